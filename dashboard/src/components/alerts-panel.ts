// Alerts for hosts, each saying what is wrong, since when and what to do: the services' alert
// centre's (acknowledged here, with who took care and what was not delivered yet) and those
// derived from the live state (alerts.ts) that the centre does not already show. Alerts that
// appear while the page is open are announced (urgent ones assertively); re-derived on a slow
// tick too, so a burst of denied attempts goes away by itself.
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { AlertView, DeskView, DeviceView, DoorView, EventView, GatewayView } from '../../../contracts/api/index.ts';
import { deriveAlerts, type Alert } from '../data/alerts.ts';
import { notInCentre } from '../data/alert-centre.ts';
import { call } from '../api.ts';
import './alert-prefs.ts';
import { deviceLabel } from '../data/device-status.ts';
import { LocaleController, locale, t } from '../words/locale.ts';
import { timeFormats } from '../time-format.ts';
import { baseStyles, buttonStyles, panelStyles } from './shared-styles.ts';

const TICK_MS = 30_000;

export function alertWords(a: Alert): { title: string; hint: string } {
  const m = t().alerts;
  switch (a.kind) {
    case 'forced-open':
      return { title: m.forcedOpen(a.subject), hint: m.forcedOpenHint };
    case 'held-open':
      return { title: m.heldOpen(a.subject), hint: m.heldOpenHint };
    case 'lockdown':
      return { title: m.lockdown(a.subject), hint: m.lockdownHint };
    case 'gateway-offline':
      return { title: m.gatewayOffline(a.subject), hint: m.gatewayOfflineHint };
    case 'denied':
      return { title: m.denied(a.count ?? 0, a.subject), hint: m.deniedHint };
    case 'device-fault': {
      const d = a.device ?? { id: a.subject, kind: '', place: null, error: null };
      return { title: m.deviceFault(deviceLabel(d, d.place)), hint: m.deviceFaultHint(d.error) };
    }
  }
}

/** An alert of the centre in the words of the derived ones. */
export function centreWords(a: AlertView): { title: string; hint: string } {
  const m = t().alerts;
  switch (a.kind) {
    case 'forced-open':
      return { title: m.forcedOpen(a.name), hint: m.forcedOpenHint };
    case 'held-open':
      return { title: m.heldOpen(a.name), hint: m.heldOpenHint };
    case 'gateway-offline':
      return { title: m.gatewayOffline(a.name), hint: m.gatewayOfflineHint };
    case 'denied':
      return { title: m.denied(a.detail.attempts ?? 0, a.name), hint: m.deniedHint };
    case 'device-fault':
      return { title: m.deviceFault(a.name), hint: m.deviceFaultHint(a.text) };
    case 'capacity':
      return { title: m.capacity(a.name), hint: m.capacityHint(a.detail.occupied ?? 0, a.detail.capacity ?? 0) };
    case 'rule-failed':
      return { title: m.ruleFailed, hint: m.ruleFailedHint(a.text) };
    case 'sensor-suspect':
      return { title: m.sensorSuspect(a.name), hint: m.sensorSuspectHint };
    case 'automation-offline':
      return { title: m.automationOffline, hint: m.automationOfflineHint };
  }
}

interface Item {
  key: string;
  kind: string;
  severity: Alert['severity'];
  subject: string;
  title: string;
  hint: string;
  since: number | null;
  denied: boolean;
  centre: AlertView | null;
}

export class AlertsPanel extends LitElement {
  static override properties = {
    doors: { attribute: false },
    gateways: { attribute: false },
    events: { attribute: false },
    devices: { attribute: false },
    desks: { attribute: false },
    centre: { attribute: false },
    timeZone: { attribute: 'time-zone' },
    failed: { state: true },
    prefsOpen: { state: true },
    announcement: { state: true },
  };
  declare doors: readonly DoorView[];
  declare gateways: readonly GatewayView[];
  declare events: readonly EventView[];
  declare devices: readonly DeviceView[];
  declare desks: readonly DeskView[];
  /** The alert centre's active alerts (live stream). */
  declare centre: readonly AlertView[];
  declare timeZone: string;
  /** The alert whose acknowledgement failed, for the message. */
  declare failed: number | null;
  /** The host's own choices, loaded when first opened. */
  declare prefsOpen: boolean;
  declare announcement: { urgent: string; polite: string };

  #alerts: Item[] = [];
  /** Acknowledged here, until the live stream says so too. */
  readonly #acked = new Map<number, AlertView>();
  #seen: Set<string> | null = null;
  #tick: ReturnType<typeof setInterval> | null = null;

  static override styles = [
    baseStyles,
    panelStyles,
    buttonStyles,
    css`
      h2 {
        display: flex;
        align-items: center;
        gap: 0.5rem;
      }
      .count {
        font-size: 0.875rem;
        min-width: 1.6rem;
        padding: 0 0.45rem;
        border-radius: 999px;
        background: var(--ss-open, #a1260d);
        color: #fff;
        text-align: center;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 0.6rem;
      }
      li {
        border-left: 0.4rem solid var(--ss-unlocked, #8a4b00);
        background: var(--ss-unlocked-tint, #fdf3e7);
        border-radius: 0.4rem;
        padding: 0.5rem 0.75rem;
        display: grid;
        gap: 0.15rem;
      }
      li[data-severity='critical'] {
        border-left-color: var(--ss-open, #a1260d);
        background: var(--ss-open-tint, #fbeae6);
        animation: arrive 0.6s ease-out;
      }
      @keyframes arrive {
        from {
          transform: translateX(-0.5rem);
          opacity: 0.4;
        }
      }
      .title {
        font-weight: 700;
      }
      .severity {
        font-size: 0.8125rem;
        font-weight: 700;
        text-transform: uppercase;
        letter-spacing: 0.03em;
        color: var(--ss-unlocked, #8a4b00);
      }
      li[data-severity='critical'] .severity {
        color: var(--ss-open, #a1260d);
      }
      .hint,
      time {
        font-size: 0.9375rem;
        color: var(--ss-muted, #4a525c);
      }
      p {
        margin: 0;
        color: var(--ss-muted, #4a525c);
      }
      .prefs {
        margin-top: 0.75rem;
      }
      .prefs summary {
        cursor: pointer;
        min-height: 2.75rem;
        display: flex;
        align-items: center;
        font-weight: 700;
      }
      li[data-acked] {
        background: var(--ss-surface, #fff);
        border-left-color: var(--ss-muted, #4a525c);
      }
      .ack {
        justify-self: start;
        margin-top: 0.35rem;
        min-height: 2.75rem;
      }
      .acked,
      .undelivered {
        font-size: 0.9375rem;
      }
      .undelivered {
        color: var(--ss-open, #a1260d);
      }
    `,
  ];

  constructor() {
    super();
    new LocaleController(this); // re-renders on a change of language
    this.doors = [];
    this.gateways = [];
    this.events = [];
    this.devices = [];
    this.desks = [];
    this.centre = [];
    this.failed = null;
    this.prefsOpen = false;
    this.timeZone = 'Europe/Copenhagen';
    this.announcement = { urgent: '', polite: '' };
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#tick = setInterval(() => this.requestUpdate(), TICK_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.#tick) clearInterval(this.#tick);
    this.#tick = null;
  }

  protected override willUpdate(_changed: PropertyValues<this>): void {
    const derived = deriveAlerts({ doors: this.doors, gateways: this.gateways, events: this.events, devices: this.devices, desks: this.desks }, Date.now());
    const centre = this.centre.map((a) => {
      const mine = this.#acked.get(a.id);
      if (mine && a.ackedAt === null) return mine;
      this.#acked.delete(a.id);
      return a;
    });
    const fromCentre: Item[] = centre.map((a) => ({
      key: `centre:${a.id}`,
      kind: a.kind,
      severity: a.severity,
      subject: a.name,
      ...centreWords(a),
      since: a.kind === 'denied' ? a.lastAt : a.raisedAt,
      denied: a.kind === 'denied',
      centre: a,
    }));
    const rest: Item[] = notInCentre(derived, this.centre).map((a) => ({
      key: a.id,
      kind: a.kind,
      severity: a.severity,
      subject: a.subject,
      ...alertWords(a),
      since: a.since,
      denied: a.kind === 'denied',
      centre: null,
    }));
    // Not yet acknowledged first, urgent first within; acknowledged ones last.
    const rank = (i: Item) => (i.centre?.ackedAt ? 2 : 0) + (i.severity === 'critical' ? 0 : 1);
    this.#alerts = [...fromCentre, ...rest].sort((a, b) => rank(a) - rank(b) || (b.since ?? 0) - (a.since ?? 0));
    const ids = new Set(this.#alerts.map((a) => a.key));
    // The first list is read as it is; only alerts that appear later are announced.
    if (this.#seen) {
      const fresh = this.#alerts.filter((a) => !this.#seen!.has(a.key));
      if (fresh.length) {
        const words = (list: Item[]) => list.map((a) => a.title).join('. ');
        this.announcement = {
          urgent: words(fresh.filter((a) => a.severity === 'critical')),
          polite: words(fresh.filter((a) => a.severity !== 'critical')),
        };
      }
    }
    this.#seen = ids;
  }

  async #ack(a: AlertView): Promise<void> {
    this.failed = null;
    try {
      this.#acked.set(a.id, await call('ackAlert', { params: { id: a.id } }));
      this.requestUpdate();
    } catch {
      this.failed = a.id;
    }
  }

  #centrePart(a: AlertView, title: string, f: ReturnType<typeof timeFormats>) {
    const m = t().alerts;
    const undelivered = [...new Set(a.deliveries.filter((d) => d.state !== 'sent').map((d) => m.channel[d.channel]))];
    return html`${a.count > 1 ? html`<span class="hint">${m.times(a.count)}</span>` : nothing}
    ${undelivered.length ? html`<span class="undelivered" data-testid="undelivered">${m.notDelivered(undelivered.join(', '))}</span>` : nothing}
    ${
      a.ackedAt !== null
        ? html`<span class="acked" data-testid="acked">${m.acked(a.ackedByName ?? '—', f.short(a.ackedAt))}</span>`
        : html`<button class="ack" data-testid="ack" aria-label=${m.ackLabel(title)} @click=${() => void this.#ack(a)}>${m.ack}</button>`
    }
    ${this.failed === a.id ? html`<span class="undelivered" role="alert">${m.ackFailed}</span>` : nothing}`;
  }

  override render() {
    const m = t().alerts;
    const f = timeFormats(locale.tag, this.timeZone);
    const alerts = this.#alerts;
    const open = alerts.filter((a) => !a.centre?.ackedAt).length;
    return html`
      <section class="panel" aria-labelledby="alerts-title">
        <h2 id="alerts-title">${m.title}${open ? html` <span class="count">${open}</span>` : nothing}</h2>
        ${
          alerts.length === 0
            ? html`<p data-testid="no-alerts">${m.none}</p>`
            : html`<ul>
                ${repeat(
                  alerts,
                  (a) => a.key,
                  (a) => {
                    const when = a.since === null ? '' : a.denied ? m.lastAt(f.short(a.since)) : m.since(f.short(a.since));
                    return html`<li
                      data-alert=${a.kind}
                      data-severity=${a.severity}
                      data-subject=${a.subject}
                      data-centre=${a.centre ? a.centre.id : nothing}
                      ?data-acked=${!!a.centre?.ackedAt}
                    >
                      <span class="severity">${a.severity === 'critical' ? m.critical : m.warning}</span>
                      <span class="title">${a.title}</span>
                      ${when ? html`<time datetime=${new Date(a.since!).toISOString()}>${when}</time>` : nothing}
                      <span class="hint">${a.hint}</span>
                      ${a.centre ? this.#centrePart(a.centre, a.title, f) : nothing}
                    </li>`;
                  },
                )}
              </ul>`
        }
        <details class="prefs" @toggle=${(e: Event) => (this.prefsOpen ||= (e.target as HTMLDetailsElement).open)}>
          <summary>${m.prefsTitle}</summary>
          ${this.prefsOpen ? html`<ss-alert-prefs></ss-alert-prefs>` : nothing}
        </details>
        <p class="visually-hidden" role="alert">${this.announcement.urgent}</p>
        <p class="visually-hidden" role="status">${this.announcement.polite}</p>
      </section>
    `;
  }
}

customElements.define('ss-alerts', AlertsPanel);

declare global {
  interface HTMLElementTagNameMap {
    'ss-alerts': AlertsPanel;
  }
}
