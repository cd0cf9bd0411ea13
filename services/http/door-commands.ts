// Signed, expiring door commands (ARCHITECTURE.md, flow 2), for the member's Unlock button and
// for the command route of hosts, operators and automation. Published exactly alike; audited.
import { apiError } from '../../contracts/errors.ts';
import { randomUUID } from 'node:crypto';
import { PAYLOAD_VERSION, type CommandAction, type DoorCommand } from '../../contracts/payloads.ts';
import type { UnlockAccepted } from '../../contracts/api/index.ts';
import type { HttpError } from '../../contracts/errors.ts';
import { sign } from '../../contracts/signing.ts';
import type { SiteConfig } from '../../config/schema.ts';
import type { HttpDeps } from './context.ts';

export interface CommandRequest {
  door: string;
  action: CommandAction;
  /** Audit actor: member id or `automation`. */
  actor: string;
  /** Member on whose behalf (goes into the command, for the gateway's access event). */
  member?: string;
  source: string;
  reason?: string;
}

export const unknownDoor = () => apiError('unknown-door', 'There is no such door.');
const offline = () => apiError('door-offline', 'The door is offline — try your card or call the host.');

/** What sending a door command takes: the gateways' keys stay inside `keyOf`. */
export type DoorCommandDeps = Pick<HttpDeps, 'presence' | 'store' | 'log' | 'now' | 'publish'> & {
  config: Pick<SiteConfig, 'doors' | 'site' | 'services'>;
  /** The signing key of a gateway, if it has one. */
  keyOf(gateway: string): string | undefined;
};

export type SendDoorCommand = (req: CommandRequest) => Promise<UnlockAccepted>;

export async function sendDoorCommand(ctx: DoorCommandDeps, req: CommandRequest): Promise<UnlockAccepted> {
  const { config, presence, store, log } = ctx;
  const now = ctx.now();
  // A command that cannot be sent is audited too: someone (or a rule) tried to move a door.
  const refused = (err: HttpError): HttpError => {
    store.audit.write({
      ts: now,
      actor: req.actor,
      action: 'door.command.refused',
      target: req.door,
      detail: { action: req.action, error: err.code },
      source: req.source,
    });
    return err;
  };
  const door = config.doors.find((d) => d.id === req.door);
  if (!door) throw refused(unknownDoor());
  const key = ctx.keyOf(door.gateway);
  if (!presence.isOnline(door.gateway) || !key) throw refused(offline());
  const unsigned: Omit<DoorCommand, 'sig'> = {
    v: PAYLOAD_VERSION,
    ts: now,
    id: randomUUID(),
    door: door.id,
    action: req.action,
    exp: now + config.services.commandTtlMs,
  };
  if (req.member) unsigned.member = req.member;
  const command = sign(unsigned, key);
  try {
    await ctx.publish('doorCommand', door.id, command);
  } catch (err) {
    log.warn({ err, door: door.id, commandId: command.id }, 'door command not published');
    throw refused(offline());
  }
  const detail: Record<string, unknown> = { commandId: command.id, exp: command.exp };
  if (req.action !== 'unlock') detail.action = req.action;
  if (req.reason) detail.reason = req.reason;
  store.audit.write({
    ts: now,
    actor: req.actor,
    action: req.action === 'unlock' ? 'door.unlock' : 'door.command',
    target: door.id,
    detail,
    source: req.source,
  });
  log.info({ door: door.id, actor: req.actor, action: req.action, commandId: command.id }, 'door command sent');
  return { commandId: command.id, action: req.action, exp: command.exp };
}
