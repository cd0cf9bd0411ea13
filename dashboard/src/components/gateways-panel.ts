// For operators: each gateway's health as the services see it (contracts/api.ts GatewayView:
// online, last seen, software, uptime, access-list version, outbox, thinned readings, memory, rejected
// payloads, offline-only and stale-list warnings) and a table of its devices (DeviceView: what
// it is and where, state — unknown while the gateway is offline, never ok — since when,
// firmware, last seen, rejected frames), live from the stream — those needing attention in view,
// the working ones folded under a summary on a phone; an OSDP reader's key enrolled from its row
// (the gateway answers ok, or why not); and the way to the Node-RED editor where the site's rules
// live.
import { LitElement, html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { DeskView, DeviceState, DeviceView, DoorView, GatewayView } from '../../../contracts/api/index.ts';
import { call } from '../api.ts';
import { errorText } from '../error-words.ts';
import type { DeviceCommandFailure } from '../../../contracts/payloads.ts';
import { byTrouble, deviceLabel, devicePlace, deviceSince, deviceStatus } from '../data/device-status.ts';
import { LocaleController, locale, t } from '../words/locale.ts';
import { timeFormats } from '../time-format.ts';
import { gatewaysStyles } from './gateways/gateways-styles.ts';
import './gateways/sensor-checks.ts';
import { baseStyles, panelStyles, textStyles } from './shared-styles.ts';

const TICK_MS = 30_000;

/** An enrolment asked from this screen: running, or its outcome. */
type EnrolRun = { phase: 'running' } | { phase: 'ok' } | { phase: 'failed'; reason: DeviceCommandFailure } | { phase: 'error'; text: string };

export class GatewaysPanel extends LitElement {
  static override properties = {
    gateways: { attribute: false },
    devices: { attribute: false },
    doors: { attribute: false },
    desks: { attribute: false },
    timeZone: { attribute: 'time-zone' },
    nodeRedUrl: { attribute: 'node-red-url' },
    sensorCheck: { attribute: 'sensor-check', type: Boolean },
  };
  declare gateways: readonly GatewayView[];
  declare devices: readonly DeviceView[];
  /** For the names of the doors and desks the devices serve. */
  declare doors: readonly DoorView[];
  declare desks: readonly DeskView[];
  declare timeZone: string;
  /** Where the Node-RED editor is; no link when empty. */
  declare nodeRedUrl: string;
  /** Show the desk sensors to check (hosts and operators: it loads them from the API). */
  declare sensorCheck: boolean;

  #tick: ReturnType<typeof setInterval> | null = null;
  /** Whether each gateway's working devices are unfolded, once the operator has chosen. */
  readonly #workingOpen = new Map<string, boolean>();
  /** Enrolments of OSDP readers asked here, by device id. */
  readonly #enrol = new Map<string, EnrolRun>();

  static override styles = [baseStyles, panelStyles, textStyles, gatewaysStyles];

  constructor() {
    super();
    new LocaleController(this); // re-renders on a change of language
    this.gateways = [];
    this.devices = [];
    this.doors = [];
    this.desks = [];
    this.timeZone = 'Europe/Copenhagen';
    this.nodeRedUrl = '';
    this.sensorCheck = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#tick = setInterval(() => this.requestUpdate(), TICK_MS); // "3 minutes ago" moves on
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.#tick) clearInterval(this.#tick);
    this.#tick = null;
  }

  override render() {
    const m = t().gateways;
    return html`
      <section class="panel" aria-labelledby="gw-title">
        <h2 id="gw-title">${m.title}</h2>
        ${
          this.gateways.length === 0
            ? html`<p class="muted">${m.none}</p>`
            : html`<ul class="list">
                ${repeat(
                  this.gateways,
                  (g) => g.id,
                  (g) => html`<li>${this.#gateway(g)}</li>`,
                )}
              </ul>`
        }
      </section>
      ${this.sensorCheck ? html`<ss-sensor-checks time-zone=${this.timeZone}></ss-sensor-checks>` : nothing}
      ${
        this.nodeRedUrl
          ? html`<section class="panel" aria-labelledby="nr-title">
              <h2 id="nr-title">${m.nodeRedTitle}</h2>
              <p class="muted">${m.nodeRedText}</p>
              <a href=${this.nodeRedUrl} target="_blank" rel="noopener" data-action="node-red"
                >${m.nodeRedLink} <span class="visually-hidden">${m.newTab}</span></a
              >
            </section>`
          : nothing
      }
    `;
  }

  #gateway(g: GatewayView) {
    const m = t().gateways;
    const f = timeFormats(locale.tag, this.timeZone);
    const num = (n: number | null | undefined) => (n === null || n === undefined ? m.notReported : n.toLocaleString(locale.tag));
    const rejected = g.rejected ? Object.entries(g.rejected).filter(([, n]) => n > 0) : null;
    return html`<article data-gateway=${g.id} data-online=${String(g.online)} aria-labelledby=${`gw-${g.id}`}>
      <h3 id=${`gw-${g.id}`}>${g.name} <span class="status">${g.online ? m.online : m.offline}</span></h3>
      ${g.offlineOnly ? html`<p class="warning" data-warning="offline-only">${m.offlineOnly}</p>` : nothing}
      ${g.aclStale ? html`<p class="warning" data-warning="acl-stale">${m.aclStale}</p>` : nothing}
      <dl>
        <dt>${m.lastSeen}</dt>
        <dd data-field="last-seen">
          ${g.lastSeen === null ? m.never : html`<time datetime=${new Date(g.lastSeen).toISOString()}>${f.short(g.lastSeen)}</time> (${f.ago(g.lastSeen)})`}
        </dd>
        <dt>${m.version}</dt>
        <dd data-field="version">${g.version ?? m.notReported}</dd>
        <dt>${m.uptime}</dt>
        <dd data-field="uptime">${g.uptimeS === null || g.uptimeS === undefined ? m.notReported : uptime(g.uptimeS)}</dd>
        <dt>${m.acl}</dt>
        <dd data-field="acl">${g.aclVersion !== null ? m.aclVersion(g.aclVersion) : g.online ? m.aclNone : m.notReported}</dd>
        <dt>${m.outbox}</dt>
        <dd data-field="outbox">${num(g.outboxDepth)}</dd>
        <dt>${m.thinned}</dt>
        <dd data-field="thinned">${num(g.outboxDropped)}</dd>
        <dt>${m.memory}</dt>
        <dd data-field="memory">
          ${g.rssBytes === null || g.rssBytes === undefined ? m.notReported : m.memoryValue(Math.round(g.rssBytes / 1048576).toLocaleString(locale.tag))}
        </dd>
        <dt>${m.rejected}</dt>
        <dd data-field="rejected">
          ${
            rejected === null
              ? m.notReported
              : rejected.length === 0
                ? m.rejectedNone
                : rejected.map(([kind, n]) => `${kind} ${n.toLocaleString(locale.tag)}`).join(' · ')
          }
        </dd>
      </dl>
      ${this.#devices(g)}
    </article>`;
  }

  /**
   * The gateway's devices: those needing attention (fault, unknown) first and always in view;
   * the working ones folded under a native <details> ("21 devices working — show"), open from
   * the start on a wide screen, folded on a phone, and then as the operator leaves it.
   */
  #devices(g: GatewayView) {
    const m = t().gateways;
    const devices = byTrouble(
      this.devices.filter((d) => d.gateway === g.id),
      this.gateways,
      this.doors,
      this.desks,
    ).map((d) => ({ d, state: deviceStatus(d, this.gateways) }));
    const attention = devices.filter((x) => x.state !== 'ok');
    const working = devices.filter((x) => x.state === 'ok');
    const titleId = `gw-${g.id}-devices`;
    const open = this.#workingOpen.get(g.id) ?? wide();
    return html`<h4 id=${titleId}>${m.devicesTitle(g.name)}</h4>
      ${!g.online && devices.length ? html`<p class="muted" data-testid="devices-unknown">${m.devicesUnknown}</p>` : nothing}
      ${devices.length === 0 ? html`<p class="muted">${m.devicesNone}</p>` : nothing}
      ${attention.length ? this.#deviceTable(attention, titleId, 'attention') : nothing}
      ${
        working.length
          ? html`<details
              data-testid="devices-working"
              ?open=${open}
              @toggle=${(ev: Event) => {
                this.#workingOpen.set(g.id, (ev.target as HTMLDetailsElement).open);
                this.requestUpdate();
              }}
            >
              <summary>${m.devicesWorking(working.length)}<span aria-hidden="true"> — ${open ? m.hide : m.show}</span></summary>
              ${this.#deviceTable(working, titleId, 'working')}
            </details>`
          : nothing
      }`;
  }

  /** An OSDP reader's "Enrol key" button and what came of it (the gateway's answer). */
  #enrolControl(d: DeviceView, state: DeviceState) {
    const m = t().gateways;
    const run = this.#enrol.get(d.id);
    const outcome =
      run?.phase === 'running'
        ? m.enrolRunning
        : run?.phase === 'ok'
          ? m.enrolled
          : run?.phase === 'failed'
            ? m.enrolFailed(m.enrolReason[run.reason])
            : run?.phase === 'error'
              ? run.text
              : m.enrolHint;
    return html`<span class="enrol">
      <button type="button" data-action="enrol-key" ?disabled=${run?.phase === 'running' || state === 'unknown'} @click=${() => void this.#startEnrol(d.id)}>
        ${m.enrolKey}
      </button>
      <span class="enrol-status" role="status" data-enrol=${run?.phase ?? 'idle'}>${outcome}</span>
    </span>`;
  }

  async #startEnrol(device: string): Promise<void> {
    this.#enrol.set(device, { phase: 'running' });
    this.requestUpdate();
    try {
      const r = await call('enrolDevice', { params: { id: device } });
      this.#enrol.set(device, r.ok ? { phase: 'ok' } : { phase: 'failed', reason: r.reason ?? 'timeout' });
    } catch (err) {
      this.#enrol.set(device, { phase: 'error', text: errorText(err, { kind: 'command' }) });
    }
    this.requestUpdate();
  }

  #deviceTable(rows: ReadonlyArray<{ d: DeviceView; state: DeviceState }>, titleId: string, part: 'attention' | 'working') {
    const m = t().gateways;
    const words = t().devices;
    const f = timeFormats(locale.tag, this.timeZone);
    const when = (ts: number | null) => (ts === null ? '—' : html`<time datetime=${new Date(ts).toISOString()}>${f.short(ts)}</time>`);
    return html`<table aria-labelledby=${titleId} data-part=${part}>
      <thead>
        <tr>
          <th scope="col">${m.colDevice}</th>
          <th scope="col">${m.colState}</th>
          <th scope="col">${m.colSince}</th>
          <th scope="col">${m.colFirmware}</th>
          <th scope="col">${m.colLastSeen}</th>
          <th scope="col">${m.colRejected}</th>
        </tr>
      </thead>
      <tbody>
        ${repeat(
          rows,
          (x) => x.d.id,
          ({ d, state }) => {
            const why = state === 'fault' || state === 'warning' ? d.error : null; // unknown: the note above says why
            return html`<tr data-device=${d.id} data-state=${state}>
              <th scope="row">${deviceLabel(d, devicePlace(d, this.doors, this.desks))} <span class="id">${d.id}</span></th>
              <td data-label=${m.colState} data-field="state">
                <span><span class="state">${words.state[state]}</span>${why ? html` <span class="error">${why}</span>` : nothing}</span>
                ${d.enrol ? this.#enrolControl(d, state) : nothing}
              </td>
              <td data-label=${m.colSince} data-field="since">${when(deviceSince(d, this.gateways))}</td>
              <td data-label=${m.colFirmware} data-field="firmware">${d.firmware ?? m.notReported}</td>
              <td data-label=${m.colLastSeen} data-field="last-seen">${when(d.lastSeen)}</td>
              <td data-label=${m.colRejected} data-field="rejected">${d.dropped === null ? m.notReported : words.frames(d.dropped, d.droppedBytes)}</td>
            </tr>`;
          },
        )}
      </tbody>
    </table>`;
  }
}

/** A screen wider than a phone's (the table's phone layout below 40rem). */
function wide(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(min-width: 40rem)').matches;
}

/** "3 d 4 h", "4 h 12 min", "12 min": how long a gateway has been running. */
function uptime(seconds: number): string {
  const min = Math.floor(seconds / 60);
  return t().gateways.uptimeValue(Math.floor(min / 1440), Math.floor((min % 1440) / 60), min % 60);
}

customElements.define('ss-gateways', GatewaysPanel);

declare global {
  interface HTMLElementTagNameMap {
    'ss-gateways': GatewaysPanel;
  }
}
