// Alerts for hosts (alerts.ts), each saying what is wrong, since when and what to do. Alerts
// that appear while the page is open are announced (urgent ones assertively); re-derived on a
// slow tick too, so a burst of denied attempts goes away by itself.
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { DeskView, DeviceView, DoorView, EventView, GatewayView } from '../../../contracts/api/index.ts';
import { deriveAlerts, type Alert } from '../data/alerts.ts';
import { deviceLabel } from '../data/device-status.ts';
import { LocaleController, locale, t } from '../words/locale.ts';
import { timeFormats } from '../time-format.ts';
import { baseStyles, panelStyles } from './shared-styles.ts';

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

export class AlertsPanel extends LitElement {
  static override properties = {
    doors: { attribute: false },
    gateways: { attribute: false },
    events: { attribute: false },
    devices: { attribute: false },
    desks: { attribute: false },
    timeZone: { attribute: 'time-zone' },
    announcement: { state: true },
  };
  declare doors: readonly DoorView[];
  declare gateways: readonly GatewayView[];
  declare events: readonly EventView[];
  declare devices: readonly DeviceView[];
  declare desks: readonly DeskView[];
  declare timeZone: string;
  declare announcement: { urgent: string; polite: string };

  #alerts: Alert[] = [];
  #seen: Set<string> | null = null;
  #tick: ReturnType<typeof setInterval> | null = null;

  static override styles = [
    baseStyles,
    panelStyles,
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
    this.#alerts = deriveAlerts({ doors: this.doors, gateways: this.gateways, events: this.events, devices: this.devices, desks: this.desks }, Date.now());
    const ids = new Set(this.#alerts.map((a) => a.id));
    // The first list is read as it is; only alerts that appear later are announced.
    if (this.#seen) {
      const fresh = this.#alerts.filter((a) => !this.#seen!.has(a.id));
      if (fresh.length) {
        const words = (list: Alert[]) => list.map((a) => alertWords(a).title).join('. ');
        this.announcement = {
          urgent: words(fresh.filter((a) => a.severity === 'critical')),
          polite: words(fresh.filter((a) => a.severity !== 'critical')),
        };
      }
    }
    this.#seen = ids;
  }

  override render() {
    const m = t().alerts;
    const f = timeFormats(locale.tag, this.timeZone);
    const alerts = this.#alerts;
    return html`
      <section class="panel" aria-labelledby="alerts-title">
        <h2 id="alerts-title">${m.title}${alerts.length ? html` <span class="count">${alerts.length}</span>` : nothing}</h2>
        ${
          alerts.length === 0
            ? html`<p data-testid="no-alerts">${m.none}</p>`
            : html`<ul>
                ${repeat(
                  alerts,
                  (a) => a.id,
                  (a) => {
                    const words = alertWords(a);
                    const when = a.since === null ? '' : a.kind === 'denied' ? m.lastAt(f.short(a.since)) : m.since(f.short(a.since));
                    return html`<li data-alert=${a.kind} data-severity=${a.severity} data-subject=${a.subject}>
                      <span class="severity">${a.severity === 'critical' ? m.critical : m.warning}</span>
                      <span class="title">${words.title}</span>
                      ${when ? html`<time datetime=${new Date(a.since!).toISOString()}>${when}</time>` : nothing}
                      <span class="hint">${words.hint}</span>
                    </li>`;
                  },
                )}
              </ul>`
        }
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
