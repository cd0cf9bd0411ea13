// Remote commands for a gateway's devices (`device/<id>/command`): today one, enrolling an OSDP
// reader's key. Obeyed like door commands (command-handler.ts) only when signed with this
// gateway's key, not expired nor implausibly far ahead, for one of its devices, never seen
// before; the outcome goes back on `device/<id>/result` for whoever asked (the services wait for
// it). The key an enrolment makes stays on the gateway: the reader and the secrets file only.
import type { Logger } from 'pino';
import type { DeviceCommand, DeviceCommandFailure, DeviceCommandResult } from '../../contracts/payloads.ts';
import { PAYLOAD_VERSION } from '../../contracts/payloads.ts';
import { verify } from '../../contracts/signing.ts';
import type { OsdpEnrolResult } from '../drivers/serial/osdp-reader.ts';
import { MAX_AHEAD_MS } from './command-handler.ts';
import type { ReplayGuard } from './replay-guard.ts';

/** A device that can be enrolled (an OSDP reader). */
export interface Enrollable {
  readonly id: string;
  enrol(): Promise<OsdpEnrolResult>;
}

export interface DeviceCommandsOptions {
  gatewayId: string;
  key: string;
  /** Every device of this gateway by id; only those with `enrol` take osdp-enrol. */
  devices: ReadonlyMap<string, { id: string } & Partial<Enrollable>>;
  replay: ReplayGuard;
  /** Sends a result (false: not connected; the services then time out and say so). */
  publish: (device: string, result: DeviceCommandResult) => void;
  log: Logger;
  now?: () => number;
}

export class DeviceCommands {
  readonly #o: DeviceCommandsOptions;
  readonly #now: () => number;

  constructor(opts: DeviceCommandsOptions) {
    this.#o = opts;
    this.#now = opts.now ?? Date.now;
  }

  /** Checks the command, runs it, and reports its outcome; resolves once the outcome is sent. */
  async handle(cmd: DeviceCommand): Promise<void> {
    const { log } = this.#o;
    const refusal = this.#check(cmd, this.#now());
    if (refusal) {
      log.warn({ device: cmd.device, action: cmd.action, commandId: cmd.id, reason: refusal }, 'device command refused');
      // A forged command gets no answer: only a signed one is worth a result.
      if (refusal !== 'bad-signature') this.#send(cmd, { ok: false, reason: refusal });
      return;
    }
    const device = this.#o.devices.get(cmd.device)!;
    log.info({ device: cmd.device, action: cmd.action, commandId: cmd.id }, 'device command accepted: enrolling the OSDP reader');
    let result: OsdpEnrolResult;
    try {
      result = await device.enrol!();
    } catch (err) {
      log.error({ err, device: cmd.device }, 'device command failed');
      result = { ok: false, reason: 'line-error' };
    }
    if (result.ok) log.info({ device: cmd.device, commandId: cmd.id }, 'OSDP reader enrolled: its new key is in the secrets file');
    else log.warn({ device: cmd.device, commandId: cmd.id, reason: result.reason }, 'OSDP reader not enrolled');
    this.#send(cmd, result);
  }

  #check(cmd: DeviceCommand, now: number): DeviceCommandFailure | undefined {
    // Signature first: nothing unauthenticated reaches the replay table.
    if (!verify(cmd, this.#o.key)) return 'bad-signature';
    const device = this.#o.devices.get(cmd.device);
    if (!device) return 'unknown-device';
    if (cmd.exp <= now) return 'expired';
    if (cmd.exp > now + MAX_AHEAD_MS) return 'expiry-too-far';
    if (!this.#o.replay.firstSighting(cmd.id, cmd.exp)) return 'replay';
    if (typeof device.enrol !== 'function') return 'not-supported';
    return undefined;
  }

  #send(cmd: DeviceCommand, r: OsdpEnrolResult): void {
    const result: DeviceCommandResult = {
      v: PAYLOAD_VERSION,
      ts: this.#now(),
      device: cmd.device,
      gateway: this.#o.gatewayId,
      command: cmd.id,
      action: cmd.action,
      ok: r.ok,
      ...(!r.ok && { reason: r.reason }),
    };
    this.#o.publish(cmd.device, result);
  }
}
