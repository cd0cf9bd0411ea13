// A PN532 on an HSU link, byte-exact (protocols.md §2): asleep until the `55` wake-up (§2.4),
// ignores commands until SAMConfiguration, answers every host command frame with the ACK
// frame and then its response frame (§2.1), resends its last response on a NACK, and
// answers unknown commands with the application-level error frame (§2.3).
import { concatBytes } from '../codecs/bytes.ts';
import { Pn532Command, encodeInListPassiveTargetA, type Pn532Firmware, type SimTarget } from '../codecs/pn532-commands.ts';
import { PN532_ACK, PN532_ERROR_FRAME, Pn532Decoder, TFI_HOST, encodePn532Response } from '../codecs/pn532-frame.ts';

export interface Pn532SimOptions {
  /** Start in LowVbat, deaf until a `55` byte arrives (the C106 default, §2.4). Default true. */
  asleep?: boolean;
  /** Default IC `32`, version 1, revision 6, support `07` (the §2.5 example). */
  firmware?: Pn532Firmware;
  card?: SimTarget | null;
}

export class Pn532Sim {
  private readonly decoder = new Pn532Decoder();
  private readonly firmware: Pn532Firmware;
  private awake: boolean;
  private configured = false;
  private card: SimTarget | null;
  private lastResponse: Uint8Array | null = null;
  private lose = 0;
  /** Command codes received, in order (for tests and the demo's trace). */
  readonly commands: number[] = [];

  constructor(opts: Pn532SimOptions = {}) {
    this.awake = !(opts.asleep ?? true);
    this.firmware = opts.firmware ?? { ic: 0x32, ver: 0x01, rev: 0x06, support: 0x07 };
    this.card = opts.card ?? null;
  }

  /** Puts a card in the field (`null` takes it away). */
  setCard(card: SimTarget | null): void {
    this.card = card;
  }

  /**
   * The next `n` responses are lost on the way to the host (a bit error on the line, a glitch in
   * the level shifter): the ACK arrives, the response does not. The chip still has it for a NACK.
   */
  loseResponses(n = 1): void {
    this.lose += n;
  }

  /** Bytes from the host in, bytes the PN532 sends back out (possibly empty). */
  receive(bytes: Uint8Array): Uint8Array {
    let input = bytes;
    if (!this.awake) {
      const k = bytes.indexOf(0x55);
      if (k < 0) return new Uint8Array(0);
      this.awake = true;
      input = bytes.subarray(k + 1);
    }
    const out: Uint8Array[] = [];
    for (const f of this.decoder.push(input)) {
      if (f.kind === 'ack') {
        this.lastResponse = null; // the host aborted the pending command
      } else if (f.kind === 'nack') {
        if (this.lastResponse) out.push(this.lastResponse);
      } else if (f.kind === 'info' && f.tfi === TFI_HOST) {
        const code = f.data[0]!;
        if (!this.configured && code !== Pn532Command.SAMConfiguration) continue;
        this.commands.push(code);
        const response = this.respond(code, f.data.subarray(1));
        this.lastResponse = response;
        if (this.lose > 0) {
          this.lose--;
          out.push(PN532_ACK);
        } else {
          out.push(PN532_ACK, response);
        }
      }
    }
    return concatBytes(...out);
  }

  private respond(code: number, params: Uint8Array): Uint8Array {
    switch (code) {
      case Pn532Command.SAMConfiguration: {
        const mode = params[0];
        if (mode === undefined || mode < 1 || mode > 4) return PN532_ERROR_FRAME;
        this.configured = true;
        return encodePn532Response(code);
      }
      case Pn532Command.GetFirmwareVersion: {
        const f = this.firmware;
        return encodePn532Response(code, [f.ic, f.ver, f.rev, f.support]);
      }
      case Pn532Command.RFConfiguration:
        return encodePn532Response(code);
      case Pn532Command.InListPassiveTarget: {
        const [maxTg, brTy] = params;
        if (maxTg === undefined || maxTg < 1 || maxTg > 2 || brTy === undefined) return PN532_ERROR_FRAME;
        const targets = brTy === 0x00 && this.card ? [this.card] : [];
        return encodePn532Response(code, encodeInListPassiveTargetA(targets));
      }
      case Pn532Command.InRelease:
        return encodePn532Response(code, [0x00]);
      default:
        return PN532_ERROR_FRAME;
    }
  }
}
