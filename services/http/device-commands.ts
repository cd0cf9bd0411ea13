// Signed, expiring device commands (`device/<id>/command`) and their results
// (`device/<id>/result`): enrolling an OSDP reader's key, from the dashboard or
// `smartspace osdp enrol`. The request waits for the gateway's answer; the key itself is made
// and kept on the gateway and never passes here. Audited like door commands.
import { randomUUID } from 'node:crypto';
import { apiError } from '../../contracts/errors.ts';
import { PAYLOAD_VERSION, type DeviceCommand, type DeviceCommandResult } from '../../contracts/payloads.ts';
import type { DeviceEnrolReply } from '../../contracts/api/index.ts';
import { sign } from '../../contracts/signing.ts';
import type { SiteConfig } from '../../config/schema.ts';
import type { HttpDeps } from './context.ts';

/**
 * How long a request waits for the gateway's answer. An enrolment takes a few exchanges on the
 * line (well under a second at 9600 baud); a reader that does not answer is offline after about
 * a second. The command's own expiry (services.commandTtlMs) bounds when the gateway starts it.
 */
export const DEVICE_RESULT_TIMEOUT_MS = 30_000;

export type DeviceCommandDeps = Pick<HttpDeps, 'presence' | 'store' | 'log' | 'now' | 'publish'> & {
  config: Pick<SiteConfig, 'doors' | 'services'>;
  keyOf(gateway: string): string | undefined;
  timeoutMs?: number;
};

export interface EnrolRequest {
  device: string;
  /** Audit actor: member id or `automation`. */
  actor: string;
  source: string;
}

export class DeviceCommands {
  readonly #d: DeviceCommandDeps;
  readonly #waiting = new Map<string, (r: DeviceCommandResult | null) => void>();

  constructor(deps: DeviceCommandDeps) {
    this.#d = deps;
  }

  /** A result from a gateway (ingest): the request waiting for it answers. */
  result(r: DeviceCommandResult): void {
    this.#waiting.get(r.command)?.(r);
  }

  /** Sends osdp-enrol to the reader's gateway and waits for its answer (or the timeout). */
  async enrol(req: EnrolRequest): Promise<DeviceEnrolReply> {
    const { config, presence, store, log } = this.#d;
    const now = this.#d.now();
    const audit = (detail: Record<string, unknown>) =>
      store.audit.write({ ts: this.#d.now(), actor: req.actor, action: 'device.osdp-enrol', target: req.device, detail, source: req.source });
    const door = config.doors.find((d) => d.reader.id === req.device && d.reader.driver === 'osdp');
    if (!door) {
      audit({ error: 'unknown-device' });
      throw apiError('unknown-device', 'There is no OSDP reader with this id.');
    }
    const key = this.#d.keyOf(door.gateway);
    if (!presence.isOnline(door.gateway) || !key) {
      audit({ error: 'gateway-offline' });
      throw apiError('gateway-offline', 'The reader’s gateway is offline.');
    }
    const unsigned: Omit<DeviceCommand, 'sig'> = {
      v: PAYLOAD_VERSION,
      ts: now,
      id: randomUUID(),
      device: req.device,
      action: 'osdp-enrol',
      exp: now + config.services.commandTtlMs,
    };
    const command = sign(unsigned, key);
    const answer = new Promise<DeviceCommandResult | null>((resolve) => {
      const timer = setTimeout(() => done(null), this.#d.timeoutMs ?? DEVICE_RESULT_TIMEOUT_MS);
      const done = (r: DeviceCommandResult | null) => {
        clearTimeout(timer);
        this.#waiting.delete(command.id);
        resolve(r);
      };
      this.#waiting.set(command.id, done);
    });
    try {
      await this.#d.publish('deviceCommand', req.device, command);
    } catch (err) {
      this.#waiting.get(command.id)?.(null);
      log.warn({ err, device: req.device, commandId: command.id }, 'device command not published');
      audit({ commandId: command.id, error: 'gateway-offline' });
      throw apiError('gateway-offline', 'The command could not be sent to the gateway.');
    }
    log.info({ device: req.device, actor: req.actor, commandId: command.id }, 'OSDP enrol command sent');
    const r = await answer;
    const reply: DeviceEnrolReply = r
      ? { device: req.device, ok: r.ok, ...(r.reason && { reason: r.reason }) }
      : { device: req.device, ok: false, reason: 'timeout' };
    audit({ commandId: command.id, ok: reply.ok, ...(reply.reason && { reason: reply.reason }) });
    return reply;
  }
}
