// The alert centre: the one source of alerts. Node-RED's rules (and operators) raise and clear
// them through the API; hosts see them live and acknowledge them (audited); each fresh alert is
// queued for delivery to every host who chose its kind (e-mail, push) and to the site's
// webhooks. Deliveries are rows in SQLite, tried until they succeed or run out of attempts (then
// they show as failed on the alert), held back during a host's quiet hours unless critical.
import { apiError } from '../../contracts/errors.ts';
import { ALERT_CHANNELS, ALERT_KINDS, ALERT_SEVERITY, type AlertPrefs, type AlertView, type RaiseAlertBody } from '../../contracts/api/index.ts';
import { localWeekMinute } from '../../contracts/local-time.ts';
import type { SiteConfig } from '../../config/schema.ts';
import type { Logger } from '../../runtime/log.ts';
import type { Store } from '../db/store.ts';
import type { AlertRow, DeliveryRow } from '../db/alerts-repo.ts';
import type { LiveHub } from '../live/hub.ts';
import { SubscriptionGone, WebhookFailed, reasonOf, type Channels } from './channels.ts';
import { alertText } from '../../contracts/alert-words.ts';

export interface AlertCentreDeps {
  config: Pick<SiteConfig, 'site' | 'doors' | 'zones' | 'gateways' | 'alerts' | 'desks'>;
  store: Store;
  hub: Pick<LiveHub, 'publish'>;
  channels: Channels;
  log: Logger;
  now: () => number;
}

const DAY_MIN = 24 * 60;
const minuteOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Milliseconds until the quiet hours end, or 0 when `now` is outside them. */
export function quietFor(quiet: AlertPrefs['quiet'], now: number, timeZone: string): number {
  if (!quiet) return 0;
  const start = minuteOf(quiet.start);
  const end = minuteOf(quiet.end);
  if (start === end) return 0;
  const { minute } = localWeekMinute(now, timeZone);
  const inside = start < end ? minute >= start && minute < end : minute >= start || minute < end;
  if (!inside) return 0;
  const minutes = (end - minute + DAY_MIN) % DAY_MIN;
  return minutes * 60_000 - (now % 60_000);
}

export class AlertCentre {
  readonly #d: AlertCentreDeps;
  readonly #names: Map<string, string>;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #running: Promise<void> | null = null;
  #again = false;
  #stopped = true;

  constructor(deps: AlertCentreDeps) {
    this.#d = deps;
    const { config } = deps;
    this.#names = new Map([
      ...config.doors.map((d) => [`door:${d.id}`, d.name] as const),
      ...config.zones.map((z) => [`zone:${z.id}`, z.name] as const),
      ...config.gateways.map((g) => [`gateway:${g.id}`, g.name] as const),
      ...config.desks.map((d) => [`desk:${d.id}`, d.name] as const),
    ]);
  }

  /** What a host chooses when they have not: every kind, by every channel there is, no quiet hours. */
  static defaultPrefs(): AlertPrefs {
    return { kinds: [...ALERT_KINDS], channels: [...ALERT_CHANNELS], quiet: null };
  }

  get pushPublicKey(): string | null {
    return this.#d.channels.pushPublicKey;
  }

  view(a: AlertRow): AlertView {
    const { store } = this.#d;
    const acker = a.ackedBy ? store.members.byId(a.ackedBy) : undefined;
    return {
      ...a,
      name: this.#names.get(a.subject) ?? a.subject.replace(/^\w+:/, ''),
      ackedByName: a.ackedBy === 'automation' ? 'Node-RED' : (acker?.name ?? null),
      deliveries: store.alerts.deliveries(a.id).map((d) => ({
        channel: d.channel,
        target: d.channel === 'webhook' ? d.target : (store.members.byId(d.target)?.name ?? '—'),
        state: d.state,
        attempts: d.attempts,
        error: d.error,
      })),
    };
  }

  list(active: boolean, limit: number): AlertView[] {
    return this.#d.store.alerts.list(active, limit).map((a) => this.view(a));
  }

  active(): AlertView[] {
    return this.list(true, 200);
  }

  /** Raises (or counts, or clears) an alert; null for a clear with nothing active. Throws apiError for an unknown door, zone or gateway. */
  raise(body: RaiseAlertBody, actor: string | null, source: string | null): AlertView | null {
    const { config, store, now, hub } = this.#d;
    if (body.door && !config.doors.some((d) => d.id === body.door)) throw apiError('unknown-door', `There is no door "${body.door}".`, 400);
    if (body.zone && !config.zones.some((z) => z.id === body.zone)) throw apiError('unknown-zone', `There is no zone "${body.zone}".`);
    if (body.gateway && !config.gateways.some((g) => g.id === body.gateway)) throw apiError('unknown-gateway', `There is no gateway "${body.gateway}".`);
    if (body.desk && !config.desks.some((d) => d.id === body.desk)) throw apiError('unknown-desk', `There is no desk "${body.desk}".`);
    const subject = body.door
      ? `door:${body.door}`
      : body.desk
        ? `desk:${body.desk}`
        : body.zone
          ? `zone:${body.zone}`
          : body.gateway
            ? `gateway:${body.gateway}`
            : 'site';
    const ts = now();
    if (body.clear) {
      const active = store.alerts.active(body.kind, subject);
      if (!active || !store.alerts.clear(active.id, ts)) return null;
      const view = this.view(store.alerts.byId(active.id)!);
      hub.publish({ type: 'alert', alert: view });
      return view;
    }
    const { alert, fresh } = store.alerts.raise(
      {
        kind: body.kind,
        severity: body.severity ?? ALERT_SEVERITY[body.kind],
        subject,
        door: body.door ?? null,
        zone: body.zone ?? null,
        gateway: body.gateway ?? null,
        detail: body.detail ?? {},
        text: body.text ?? null,
      },
      ts,
    );
    if (fresh) {
      store.audit.write({ ts, actor, action: 'alert.raise', target: String(alert.id), detail: { kind: alert.kind, subject }, source });
      this.#queue(alert, ts);
    }
    const view = this.view(alert);
    hub.publish({ type: 'alert', alert: view });
    return view;
  }

  /** A host has seen it and takes care (audited). The first acknowledgement stands. */
  ack(id: number, member: string, source: string | null): AlertView {
    const { store, now, hub } = this.#d;
    const alert = store.alerts.byId(id);
    if (!alert) throw apiError('not-found', `There is no alert ${id}.`);
    const ts = now();
    if (store.alerts.ack(id, ts, member)) {
      store.audit.write({ ts, actor: member, action: 'alert.ack', target: String(id), detail: { kind: alert.kind, subject: alert.subject }, source });
    }
    const view = this.view(store.alerts.byId(id)!);
    hub.publish({ type: 'alert', alert: view });
    return view;
  }

  prefs(member: string): AlertPrefs {
    return this.#d.store.alerts.prefs(member) ?? AlertCentre.defaultPrefs();
  }

  setPrefs(member: string, prefs: AlertPrefs, source: string | null): AlertPrefs {
    const { store, now } = this.#d;
    store.alerts.setPrefs(member, prefs);
    store.audit.write({ ts: now(), actor: member, action: 'alert.prefs', target: member, detail: { ...prefs }, source });
    return prefs;
  }

  /** Alerts go to this browser too (web push); audited. */
  subscribe(sub: { endpoint: string; member: string; p256dh: string; auth: string }, source: string | null): void {
    const { store, now } = this.#d;
    store.alerts.subscribe(sub, now());
    // The endpoint is a capability URL: the audit says that a browser subscribed, not which.
    store.audit.write({ ts: now(), actor: sub.member, action: 'alert.push-subscribe', target: sub.member, source });
  }

  /** One delivery per host who wants this kind by a channel that is set up, and per matching webhook. */
  #queue(alert: AlertRow, ts: number): void {
    const { store, config, channels } = this.#d;
    const hosts = store.members.list({ status: 'active', limit: 10_000, offset: 0 }).items.filter((m) => m.role !== 'member');
    for (const host of hosts) {
      const prefs = this.prefs(host.id);
      if (!prefs.kinds.includes(alert.kind)) continue;
      const held = alert.severity === 'critical' ? 0 : quietFor(prefs.quiet, ts, config.site.timeZone);
      const state = held > 0 ? 'held' : 'pending';
      if (prefs.channels.includes('email') && channels.email && host.email !== null) store.alerts.addDelivery(alert.id, 'email', host.id, state, ts + held);
      if (prefs.channels.includes('push') && channels.push && store.alerts.subscriptions(host.id).length > 0) {
        store.alerts.addDelivery(alert.id, 'push', host.id, state, ts + held);
      }
    }
    for (const hook of config.alerts.webhooks) {
      if (!hook.kinds || hook.kinds.includes(alert.kind)) store.alerts.addDelivery(alert.id, 'webhook', hook.id, 'pending', ts);
    }
    this.#kick();
  }

  start(): void {
    this.#stopped = false;
    this.#kick();
  }

  /** Waits for the deliveries under way; later ones stay queued in the database for the next start. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#running;
    this.#d.channels.close();
  }

  /** Delivers what is due now: after the clock moved on (quiet hours ended while the process slept). */
  wake(): void {
    this.#kick();
  }

  /** Resolves when nothing is due now (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  #kick(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#running = this.#deliverDue().finally(() => {
      this.#running = null;
      if (this.#again) {
        this.#again = false;
        this.#kick();
      } else this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#stopped) return;
    const next = this.#d.store.alerts.nextDue();
    if (next === null) return;
    // setTimeout takes at most ~24.8 days; a later one is re-planned when it fires.
    const wait = Math.min(Math.max(0, next - this.#d.now()), 2 ** 31 - 1);
    this.#timer = setTimeout(() => this.#kick(), wait);
    this.#timer.unref?.();
  }

  async #deliverDue(): Promise<void> {
    const { store, now } = this.#d;
    for (;;) {
      const due = store.alerts.due(now());
      if (due.length === 0 || this.#stopped) return;
      await Promise.all(due.map((d) => this.#deliver(d)));
      for (const id of new Set(due.map((d) => d.alert))) {
        const a = store.alerts.byId(id);
        if (a) this.#d.hub.publish({ type: 'alert', alert: this.view(a) });
      }
    }
  }

  async #deliver(d: DeliveryRow): Promise<void> {
    const { store, config, channels, log, now } = this.#d;
    const alert = store.alerts.byId(d.alert);
    const attempts = d.attempts + 1;
    try {
      if (!alert) throw new Error('alert gone');
      const view = this.view(alert);
      const m = { alert: view, text: alertText(view, config.alerts.language), site: config.site.name, url: config.alerts.dashboardUrl ?? null };
      if (d.channel === 'webhook') {
        const hook = config.alerts.webhooks.find((h) => h.id === d.target);
        if (!hook) throw new Error(`no webhook "${d.target}" in the config`);
        await channels.webhook(hook, m);
      } else {
        const host = store.members.byId(d.target);
        if (!host?.active) throw new Error('host no longer active');
        if (d.channel === 'email') {
          if (!channels.email) throw new Error('e-mail is not configured');
          if (host.email === null) throw new Error('the host has no e-mail address');
          await channels.email({ name: host.name, email: host.email }, m);
        } else {
          if (!channels.push) throw new Error('push is not configured');
          const subs = store.alerts.subscriptions(host.id);
          let sent = 0;
          for (const sub of subs) {
            try {
              await channels.push(sub, m);
              sent++;
            } catch (err) {
              if (!(err instanceof SubscriptionGone)) throw err;
              store.alerts.unsubscribe(sub.endpoint);
            }
          }
          if (sent === 0) throw new Error('no push subscription left');
        }
      }
      store.alerts.updateDelivery({ id: d.id, state: 'sent', attempts, nextAt: d.nextAt, error: null }, now());
    } catch (err) {
      const error = reasonOf(err);
      const { firstMs, maxMs, attempts: max } = config.alerts.retry;
      // A webhook's 4xx is its final no; a 429's Retry-After says when to come back.
      const refused = err instanceof WebhookFailed && !err.retry;
      const failed = refused || attempts >= max;
      const wait = err instanceof WebhookFailed && err.retryAfterMs !== null ? err.retryAfterMs : Math.min(maxMs, firstMs * 2 ** (attempts - 1));
      const nextAt = now() + wait;
      store.alerts.updateDelivery({ id: d.id, state: failed ? 'failed' : 'pending', attempts, nextAt, error }, null);
      log[failed ? 'error' : 'warn'](
        { alert: d.alert, channel: d.channel, attempts, error },
        failed ? 'alert delivery failed for good' : 'alert delivery failed, will retry',
      );
    }
  }
}
