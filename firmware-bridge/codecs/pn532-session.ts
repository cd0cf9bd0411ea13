// Host side of a PN532 over HSU as a pure state machine (protocols.md §2.1–§2.6): wake-up +
// SAMConfiguration, GetFirmwareVersion, RFConfiguration with a finite passive-activation retry
// count, then InListPassiveTarget polling. The caller feeds it received bytes and clock ticks
// and writes whatever it returns; the session owns no timer and no port.
import { concatBytes } from './bytes.ts';
import type { DecoderStats } from './decoder-stats.ts';
import {
  Pn532Command,
  PN532_WAKEUP,
  getFirmwareVersion,
  inListPassiveTarget,
  parseFirmwareVersion,
  parseInListPassiveTargetA,
  rfConfigurationRetries,
  samConfiguration,
  type Pn532Firmware,
} from './pn532-commands.ts';
import { PN532_ACK, PN532_NACK, Pn532Decoder, TFI_PN532 } from './pn532-frame.ts';
import { RepeatSuppressor } from './repeat-suppressor.ts';

export interface Pn532SessionOptions {
  /** SAMConfiguration parameters (§2.5). Default `[0x01, 0x14, 0x01]`. */
  samParams?: number[];
  /** MxRtyPassiveActivation (§2.5): finite so a poll returns when no card is there. Default 1. */
  passiveActivationRetries?: number;
  /** Ask GetFirmwareVersion during init and report it with `ready`. Default true. */
  readFirmware?: boolean;
  /** Pause between a poll's response and the next poll. Default 40 (the gateway's cadence). */
  pollIntervalMs?: number;
  /** Wait for the 6-byte ACK after a command. Default 100. */
  ackTimeoutMs?: number;
  /** Wait for the response after the ACK. Default 1000. */
  responseTimeoutMs?: number;
  /** Retransmissions of one command (missing ACK / response, bad frame) before a fault. Default 3. */
  maxRetries?: number;
  /** After a fault, start over with the wake-up this much later. Default 2000. */
  restartDelayMs?: number;
  /**
   * A held card is taken away only when a poll that got its answer lists no such card, at least
   * this long after its last read (a lost answer is not a removal). Default 300.
   */
  holdMs?: number;
}

export type Pn532FaultReason = 'no-ack' | 'no-response' | 'error-frame' | 'bad-response' | 'corrupt-response';

export type Pn532Event =
  | { type: 'ready'; firmware: Pn532Firmware | null; atMs: number }
  | { type: 'card'; uid: Uint8Array; uidHex: string; atqa: number; sak: number; ats: Uint8Array | null; atMs: number }
  /** A command failed `maxRetries + 1` times; the session restarts after `restartDelayMs`. */
  | { type: 'fault'; reason: Pn532FaultReason; command: number; atMs: number };

export interface Pn532Step {
  /** Bytes to write to the PN532, in order. */
  send: Uint8Array[];
  events: Pn532Event[];
}

export interface Pn532SessionStats {
  commands: number;
  retries: number;
  faults: number;
  cards: number;
  suppressed: number;
  frames: DecoderStats;
}

type State = 'stopped' | 'await-ack' | 'await-response' | 'idle';

export class Pn532Session {
  private readonly o: Required<Pn532SessionOptions>;
  private readonly decoder = new Pn532Decoder();
  private readonly suppressor: RepeatSuppressor;
  private state: State = 'stopped';
  private ready = false;
  private initStep = 0;
  private code = 0;
  private frame: Uint8Array = new Uint8Array(0);
  private attempts = 0;
  private deadline = 0;
  private firmware: Pn532Firmware | null = null;
  private readonly st = { commands: 0, retries: 0, faults: 0, cards: 0, suppressed: 0 };

  constructor(opts: Pn532SessionOptions = {}) {
    this.o = {
      samParams: opts.samParams ?? [0x01, 0x14, 0x01],
      passiveActivationRetries: opts.passiveActivationRetries ?? 0x01,
      readFirmware: opts.readFirmware ?? true,
      pollIntervalMs: opts.pollIntervalMs ?? 40,
      ackTimeoutMs: opts.ackTimeoutMs ?? 100,
      responseTimeoutMs: opts.responseTimeoutMs ?? 1000,
      maxRetries: opts.maxRetries ?? 3,
      restartDelayMs: opts.restartDelayMs ?? 2000,
      holdMs: opts.holdMs ?? 300,
    };
    this.suppressor = new RepeatSuppressor(this.o.holdMs, { polled: true });
  }

  /** Begins (or restarts) with the wake-up sequence. */
  start(nowMs: number): Pn532Step {
    const step: Pn532Step = { send: [], events: [] };
    // A (re)opened port: whatever card was held is forgotten. A restart after a fault keeps it:
    // the reader said nothing about the card while it did not answer.
    this.suppressor.reset();
    this.beginInit(step, nowMs);
    return step;
  }

  stop(): void {
    this.state = 'stopped';
    this.ready = false;
    this.suppressor.reset();
  }

  get isReady(): boolean {
    return this.ready;
  }

  receive(bytes: Uint8Array, nowMs: number): Pn532Step {
    const step: Pn532Step = { send: [], events: [] };
    const before = this.decoder.stats();
    const frames = this.decoder.push(bytes);
    for (const f of frames) {
      if (this.state !== 'await-ack' && this.state !== 'await-response') break;
      if (f.kind === 'ack' && this.state === 'await-ack') {
        this.state = 'await-response';
        this.deadline = nowMs + this.o.responseTimeoutMs;
      } else if (f.kind === 'error') {
        this.retryOrFault('error-frame', step, nowMs);
      } else if (f.kind === 'info' && f.tfi === TFI_PN532 && f.data[0] === ((this.code + 1) & 0xff)) {
        // Accepted in await-ack too: the ACK may have been the corrupted part.
        this.onResponse(f.data, step, nowMs);
      }
    }
    const after = this.decoder.stats();
    const corrupt = after.badChecksum + after.truncated + after.badFormat > before.badChecksum + before.truncated + before.badFormat;
    if (corrupt && this.state === 'await-response') {
      // §2.3: a NACK asks the PN532 to send its last response again.
      if (this.bumpAttempt('corrupt-response', step, nowMs)) {
        step.send.push(PN532_NACK);
        this.deadline = nowMs + this.o.responseTimeoutMs;
      }
    }
    return step;
  }

  tick(nowMs: number): Pn532Step {
    const step: Pn532Step = { send: [], events: [] };
    if (nowMs < this.deadline) return step;
    if (this.state === 'await-ack') {
      this.retryOrFault('no-ack', step, nowMs);
    } else if (this.state === 'await-response') {
      this.decoder.flush();
      // §2.3: abort the pending command with an ACK before sending anything else.
      step.send.push(PN532_ACK);
      this.retryOrFault('no-response', step, nowMs);
    } else if (this.state === 'idle') {
      if (this.ready) this.sendCommand(Pn532Command.InListPassiveTarget, inListPassiveTarget(1, 0x00), step, nowMs);
      else this.beginInit(step, nowMs);
    }
    return step;
  }

  stats(): Pn532SessionStats {
    return { ...this.st, frames: this.decoder.stats() };
  }

  private beginInit(step: Pn532Step, nowMs: number): void {
    this.ready = false;
    this.initStep = 0;
    this.firmware = null;
    this.decoder.flush();
    this.sendInit(step, nowMs);
  }

  private initSequence(): Array<[number, Uint8Array]> {
    const seq: Array<[number, Uint8Array]> = [[Pn532Command.SAMConfiguration, samConfiguration(this.o.samParams)]];
    if (this.o.readFirmware) seq.push([Pn532Command.GetFirmwareVersion, getFirmwareVersion()]);
    seq.push([Pn532Command.RFConfiguration, rfConfigurationRetries(this.o.passiveActivationRetries)]);
    return seq;
  }

  private sendInit(step: Pn532Step, nowMs: number): void {
    const [code, frame] = this.initSequence()[this.initStep]!;
    this.attempts = 0;
    this.sendCommand(code, frame, step, nowMs);
  }

  private sendCommand(code: number, frame: Uint8Array, step: Pn532Step, nowMs: number): void {
    this.code = code;
    this.frame = frame;
    this.transmit(step, nowMs);
  }

  private transmit(step: Pn532Step, nowMs: number): void {
    // §2.4: the chip may be in LowVbat; wake-up bytes and SAMConfiguration go in one write.
    const wake = this.code === Pn532Command.SAMConfiguration;
    step.send.push(wake ? concatBytes(PN532_WAKEUP, this.frame) : this.frame);
    this.st.commands++;
    this.state = 'await-ack';
    this.deadline = nowMs + this.o.ackTimeoutMs;
  }

  private onResponse(data: Uint8Array, step: Pn532Step, nowMs: number): void {
    if (this.code === Pn532Command.InListPassiveTarget) {
      const targets = parseInListPassiveTargetA(data);
      if (targets === null) {
        this.retryOrFault('bad-response', step, nowMs);
        return;
      }
      this.attempts = 0;
      // The one place a card can be seen gone: this poll got its answer and did not list it.
      this.suppressor.absent(
        targets.map((t) => t.uidHex),
        nowMs,
      );
      for (const t of targets) {
        if (this.suppressor.accept(t.uidHex, nowMs)) {
          this.st.cards++;
          step.events.push({ type: 'card', uid: t.uid, uidHex: t.uidHex, atqa: t.atqa, sak: t.sak, ats: t.ats, atMs: nowMs });
        } else {
          this.st.suppressed++;
        }
      }
      this.idleUntil(nowMs + this.o.pollIntervalMs);
      return;
    }
    if (this.code === Pn532Command.GetFirmwareVersion) this.firmware = parseFirmwareVersion(data);
    this.initStep++;
    if (this.initStep < this.initSequence().length) {
      this.sendInit(step, nowMs);
      return;
    }
    this.ready = true;
    this.attempts = 0;
    step.events.push({ type: 'ready', firmware: this.firmware, atMs: nowMs });
    this.sendCommand(Pn532Command.InListPassiveTarget, inListPassiveTarget(1, 0x00), step, nowMs);
  }

  private retryOrFault(reason: Pn532FaultReason, step: Pn532Step, nowMs: number): void {
    if (this.bumpAttempt(reason, step, nowMs)) this.transmit(step, nowMs);
  }

  /** Counts a retry; false (and a fault, and a scheduled restart) once the budget is spent. */
  private bumpAttempt(reason: Pn532FaultReason, step: Pn532Step, nowMs: number): boolean {
    this.attempts++;
    if (this.attempts <= this.o.maxRetries) {
      this.st.retries++;
      return true;
    }
    this.st.faults++;
    step.events.push({ type: 'fault', reason, command: this.code, atMs: nowMs });
    this.ready = false;
    this.idleUntil(nowMs + this.o.restartDelayMs);
    return false;
  }

  private idleUntil(atMs: number): void {
    this.state = 'idle';
    this.deadline = atMs;
  }
}
