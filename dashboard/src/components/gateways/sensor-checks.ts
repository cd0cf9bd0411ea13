// Desk sensors to check (the devices screen, hosts): each suspect desk sensor with what it means,
// what to check, the numbers behind it and since when it is left out of the numbers; "The sensor
// is fine" (optionally counting the time since then too) makes it count again.
import { LitElement, css, html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { SensorSuspectView } from '../../../../contracts/api/index.ts';
import { call } from '../../api.ts';
import { LocaleController, locale, t } from '../../words/locale.ts';
import { timeFormats } from '../../time-format.ts';
import { baseStyles, buttonStyles, panelStyles, textStyles } from '../shared-styles.ts';

export class SensorChecksPanel extends LitElement {
  static override properties = {
    timeZone: { attribute: 'time-zone' },
    quiet: { type: Boolean },
    suspects: { state: true },
    failed: { state: true },
    notice: { state: true },
  };
  declare timeZone: string;
  /** Says nothing while nothing is suspect (on a screen about something else: the floor plan). */
  declare quiet: boolean;
  /** null while loading. */
  declare suspects: readonly SensorSuspectView[] | null;
  declare failed: string;
  declare notice: string;
  readonly #backfill = new Set<string>();

  static override styles = [
    baseStyles,
    buttonStyles,
    panelStyles,
    textStyles,
    css`
      :host {
        display: block;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 1rem;
      }
      li {
        border: 1px solid var(--ss-line, #dedbd2);
        border-left: 0.5rem solid var(--ss-unlocked, #8a4b00);
        border-radius: 0.5rem;
        padding: 0.75rem 1rem;
      }
      h3 {
        margin: 0 0 0.5rem;
        font-size: 1.0625rem;
      }
      .id {
        font-size: 0.8125rem;
        font-weight: 400;
        color: var(--ss-muted, #4a525c);
      }
      p {
        margin: 0 0 0.5rem;
      }
      .warning {
        font-weight: 600;
      }
      label {
        display: flex;
        gap: 0.5rem;
        align-items: flex-start;
        margin: 0.5rem 0;
      }
    `,
  ];

  constructor() {
    super();
    new LocaleController(this);
    this.timeZone = 'Europe/Copenhagen';
    this.quiet = false;
    this.suspects = null;
    this.failed = '';
    this.notice = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  async load(): Promise<void> {
    try {
      this.suspects = await call('sensorSuspects');
      this.failed = '';
    } catch {
      this.failed = t().sensorCheck.failed;
    }
  }

  async #confirm(s: SensorSuspectView): Promise<void> {
    const m = t().sensorCheck;
    try {
      await call('confirmSensor', { params: { id: s.desk }, body: { backfill: this.#backfill.has(s.desk) } });
      this.notice = m.confirmed(s.name);
      this.failed = '';
      await this.load();
    } catch {
      this.failed = m.confirmFailed;
    }
  }

  override render() {
    const m = t().sensorCheck;
    const f = timeFormats(locale.tag, this.timeZone);
    const list = this.suspects;
    if (this.quiet && (list === null || list.length === 0) && !this.notice && !this.failed) return nothing;
    return html`<section class="panel" aria-labelledby="sc-title" data-testid="sensor-checks">
      <h2 id="sc-title">${m.title}</h2>
      <p class="muted">${m.intro}</p>
      ${this.failed ? html`<p class="warning" role="alert">${this.failed}</p>` : nothing} ${this.notice ? html`<p role="status">${this.notice}</p>` : nothing}
      ${
        list === null
          ? html`<p class="muted">${m.loading}</p>`
          : list.length === 0
            ? html`<p class="muted" data-testid="sensor-checks-none">${m.none}</p>`
            : html`<ul class="list">
                ${repeat(
                  list,
                  (s) => s.desk,
                  (s) =>
                    html`<li data-desk=${s.desk} data-reason=${s.reason}>
                      <h3>${s.name} <span class="id">${s.desk}</span></h3>
                      <p class="warning" data-field="reason">${m.reason[s.reason]}</p>
                      <p data-field="evidence">${evidence(s)}</p>
                      <p data-field="check">${m.check[s.reason]}</p>
                      <p class="muted" data-field="since">
                        <time datetime=${new Date(s.since).toISOString()}>${m.since(f.short(s.since))}</time>
                      </p>
                      <label
                        ><input
                          type="checkbox"
                          data-action="backfill"
                          @change=${(ev: Event) => {
                            if ((ev.target as HTMLInputElement).checked) this.#backfill.add(s.desk);
                            else this.#backfill.delete(s.desk);
                          }}
                        />
                        ${m.backfill}</label
                      >
                      <button type="button" data-action="fine" aria-label=${m.fineLabel(s.name)} @click=${() => void this.#confirm(s)}>${m.fine}</button>
                    </li>`,
                )}
              </ul>`
      }
    </section>`;
  }
}

/** The numbers behind a suspicion, in words. */
function evidence(s: SensorSuspectView): string {
  const m = t().sensorCheck.evidence;
  const e = s.evidence;
  const n = (x: number | undefined) => (x ?? 0).toLocaleString(locale.tag, { maximumFractionDigits: 1 });
  switch (s.reason) {
    case 'stuck-occupied':
      return m['stuck-occupied'](n(e.occupiedHours), n(e.quietHours));
    case 'never-occupied':
      return m['never-occupied'](e.days ?? 0, e.busyDays ?? 0);
    case 'flapping':
      return m.flapping(e.changesPerHour ?? 0, e.hours ?? 0);
  }
}

customElements.define('ss-sensor-checks', SensorChecksPanel);

declare global {
  interface HTMLElementTagNameMap {
    'ss-sensor-checks': SensorChecksPanel;
  }
}
