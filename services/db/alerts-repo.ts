// The alert centre's tables (migration 6): alerts (one active per kind and subject), their
// deliveries (one per recipient, with retries), hosts' choices and push subscriptions.
import type { AlertDetail, AlertKind, AlertPrefs, AlertSeverity } from '../../contracts/api/index.ts';
import type { Db } from './database.ts';

export interface AlertRow {
  id: number;
  kind: AlertKind;
  severity: AlertSeverity;
  subject: string;
  door: string | null;
  zone: string | null;
  gateway: string | null;
  detail: AlertDetail;
  text: string | null;
  raisedAt: number;
  lastAt: number;
  count: number;
  clearedAt: number | null;
  ackedAt: number | null;
  ackedBy: string | null;
}

export type DeliveryChannel = 'email' | 'push' | 'webhook';
export type DeliveryState = 'pending' | 'held' | 'sent' | 'failed';

export interface DeliveryRow {
  id: number;
  alert: number;
  channel: DeliveryChannel;
  /** A member id (email, push) or a webhook id. */
  target: string;
  state: DeliveryState;
  attempts: number;
  nextAt: number;
  error: string | null;
}

export interface PushSubscriptionRow {
  endpoint: string;
  member: string;
  p256dh: string;
  auth: string;
}

interface Raw {
  id: number;
  kind: AlertKind;
  severity: AlertSeverity;
  subject: string;
  door: string | null;
  zone: string | null;
  gateway: string | null;
  detail: string;
  text: string | null;
  raised_at: number;
  last_at: number;
  count: number;
  cleared_at: number | null;
  acked_at: number | null;
  acked_by: string | null;
}

const toAlert = (r: Raw): AlertRow => ({
  id: r.id,
  kind: r.kind,
  severity: r.severity,
  subject: r.subject,
  door: r.door,
  zone: r.zone,
  gateway: r.gateway,
  detail: JSON.parse(r.detail) as AlertDetail,
  text: r.text,
  raisedAt: r.raised_at,
  lastAt: r.last_at,
  count: r.count,
  clearedAt: r.cleared_at,
  ackedAt: r.acked_at,
  ackedBy: r.acked_by,
});

interface RawDelivery {
  id: number;
  alert: number;
  channel: DeliveryChannel;
  target: string;
  state: DeliveryState;
  attempts: number;
  next_at: number;
  error: string | null;
}
const toDelivery = (r: RawDelivery): DeliveryRow => ({
  id: r.id,
  alert: r.alert,
  channel: r.channel,
  target: r.target,
  state: r.state,
  attempts: r.attempts,
  nextAt: r.next_at,
  error: r.error,
});

export type NewAlert = Pick<AlertRow, 'kind' | 'severity' | 'subject' | 'door' | 'zone' | 'gateway' | 'detail' | 'text'>;

export function createAlertsRepo(db: Db) {
  const s = {
    active: db.prepare('SELECT * FROM alerts WHERE kind = ? AND subject = ? AND cleared_at IS NULL'),
    insert: db.prepare(`INSERT INTO alerts (kind, severity, subject, door, zone, gateway, detail, text, raised_at, last_at)
      VALUES (@kind, @severity, @subject, @door, @zone, @gateway, @detail, @text, @ts, @ts)`),
    again: db.prepare('UPDATE alerts SET count = count + 1, last_at = ?, detail = ?, text = COALESCE(?, text) WHERE id = ?'),
    clear: db.prepare('UPDATE alerts SET cleared_at = ? WHERE id = ? AND cleared_at IS NULL'),
    ack: db.prepare('UPDATE alerts SET acked_at = ?, acked_by = ? WHERE id = ? AND acked_at IS NULL'),
    byId: db.prepare('SELECT * FROM alerts WHERE id = ?'),
    list: db.prepare('SELECT * FROM alerts WHERE (@active = 0 OR cleared_at IS NULL) ORDER BY id DESC LIMIT @limit'),
    addDelivery: db.prepare('INSERT INTO alert_deliveries (alert, channel, target, state, next_at) VALUES (?, ?, ?, ?, ?)'),
    deliveries: db.prepare('SELECT * FROM alert_deliveries WHERE alert = ? ORDER BY id'),
    due: db.prepare("SELECT * FROM alert_deliveries WHERE state IN ('pending', 'held') AND next_at <= ? ORDER BY next_at, id LIMIT 50"),
    nextDue: db.prepare("SELECT MIN(next_at) FROM alert_deliveries WHERE state IN ('pending', 'held')").pluck(),
    update: db.prepare('UPDATE alert_deliveries SET state = @state, attempts = @attempts, next_at = @nextAt, error = @error, sent_at = @sentAt WHERE id = @id'),
    prefs: db.prepare('SELECT prefs FROM alert_prefs WHERE member = ?').pluck(),
    setPrefs: db.prepare('INSERT INTO alert_prefs (member, prefs) VALUES (?, ?) ON CONFLICT (member) DO UPDATE SET prefs = excluded.prefs'),
    subscribe: db.prepare(`INSERT INTO push_subscriptions (endpoint, member, p256dh, auth, created_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (endpoint) DO UPDATE SET member = excluded.member, p256dh = excluded.p256dh, auth = excluded.auth`),
    subscriptions: db.prepare('SELECT endpoint, member, p256dh, auth FROM push_subscriptions WHERE member = ? ORDER BY created_at'),
    unsubscribe: db.prepare('DELETE FROM push_subscriptions WHERE endpoint = ?'),
    forgetPrefs: db.prepare('DELETE FROM alert_prefs WHERE member = ?'),
    forgetSubscriptions: db.prepare('DELETE FROM push_subscriptions WHERE member = ?'),
    dropWaiting: db.prepare("DELETE FROM alert_deliveries WHERE channel IN ('email', 'push') AND target = ? AND state IN ('pending', 'held')"),
    renameTarget: db.prepare("UPDATE alert_deliveries SET target = ? WHERE channel IN ('email', 'push') AND target = ?"),
    renameAcker: db.prepare('UPDATE alerts SET acked_by = ? WHERE acked_by = ?'),
  };
  return {
    /**
     * Erasure: a member's choices and browsers go (not left to the foreign keys' cascade, which a
     * connection without foreign_keys skips); deliveries still waiting for them are dropped, the
     * ones made and the acknowledgements stay, under the pseudonym. Returns the rows changed.
     */
    forgetMember: (member: string, pseudonym: string): number =>
      s.forgetPrefs.run(member).changes +
      s.forgetSubscriptions.run(member).changes +
      s.dropWaiting.run(member).changes +
      s.renameTarget.run(pseudonym, member).changes +
      s.renameAcker.run(pseudonym, member).changes,
    active: (kind: AlertKind, subject: string): AlertRow | undefined => {
      const r = s.active.get(kind, subject) as Raw | undefined;
      return r && toAlert(r);
    },
    /** A new alert, or null when one is already active for its kind and subject (then counted). */
    raise: db.transaction((a: NewAlert, ts: number): { alert: AlertRow; fresh: boolean } => {
      const existing = s.active.get(a.kind, a.subject) as Raw | undefined;
      if (existing) {
        s.again.run(ts, JSON.stringify(a.detail), a.text, existing.id);
        return { alert: toAlert(s.byId.get(existing.id) as Raw), fresh: false };
      }
      const { lastInsertRowid } = s.insert.run({ ...a, detail: JSON.stringify(a.detail), ts });
      return { alert: toAlert(s.byId.get(lastInsertRowid) as Raw), fresh: true };
    }),
    clear: (id: number, ts: number): boolean => s.clear.run(ts, id).changes === 1,
    ack: (id: number, ts: number, by: string): boolean => s.ack.run(ts, by, id).changes === 1,
    byId: (id: number): AlertRow | undefined => {
      const r = s.byId.get(id) as Raw | undefined;
      return r && toAlert(r);
    },
    list: (active: boolean, limit: number): AlertRow[] => (s.list.all({ active: active ? 1 : 0, limit }) as Raw[]).map(toAlert),
    addDelivery: (alert: number, channel: DeliveryChannel, target: string, state: 'pending' | 'held', nextAt: number): void => {
      s.addDelivery.run(alert, channel, target, state, nextAt);
    },
    deliveries: (alert: number): DeliveryRow[] => (s.deliveries.all(alert) as RawDelivery[]).map(toDelivery),
    due: (now: number): DeliveryRow[] => (s.due.all(now) as RawDelivery[]).map(toDelivery),
    nextDue: (): number | null => s.nextDue.get() as number | null,
    updateDelivery: (d: Pick<DeliveryRow, 'id' | 'state' | 'attempts' | 'nextAt' | 'error'>, sentAt: number | null): void => {
      s.update.run({ ...d, sentAt });
    },
    prefs: (member: string): AlertPrefs | null => {
      const p = s.prefs.get(member) as string | undefined;
      return p ? (JSON.parse(p) as AlertPrefs) : null;
    },
    setPrefs: (member: string, prefs: AlertPrefs): void => {
      s.setPrefs.run(member, JSON.stringify(prefs));
    },
    subscribe: (sub: PushSubscriptionRow, ts: number): void => {
      s.subscribe.run(sub.endpoint, sub.member, sub.p256dh, sub.auth, ts);
    },
    subscriptions: (member: string): PushSubscriptionRow[] => s.subscriptions.all(member) as PushSubscriptionRow[],
    /** A push service answered 404/410: the browser unsubscribed. */
    unsubscribe: (endpoint: string): void => {
      s.unsubscribe.run(endpoint);
    },
  };
}

export type AlertsRepo = ReturnType<typeof createAlertsRepo>;
