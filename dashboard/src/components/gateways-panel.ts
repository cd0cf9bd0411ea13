// For operators: each gateway's health as the services see it (contracts/api.ts GatewayView:
// online, last seen, software, uptime, access-list version, outbox, thinned readings, rejected
// payloads, offline-only and stale-list warnings) and a table of its devices (DeviceView: what
// it is and where, state — unknown while the gateway is offline, never ok — since when,
// firmware, last seen, rejected frames), live from the stream — those needing attention in view,
// the working ones folded under a summary on a phone; and the way to the Node-RED editor where
// the site's rules live.
import { LitElement, css, html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { DeskView, DeviceState, DeviceView, DoorView, GatewayView } from '../../../contracts/api/index.ts';
import { byTrouble, deviceLabel, devicePlace, deviceSince, deviceStatus } from '../device-status.ts';
import { LocaleController, locale, t } from '../i18n/locale.ts';
import { timeFormats } from '../time-format.ts';
import { baseStyles, panelStyles, textStyles } from './shared-styles.ts';

const TICK_MS = 30_000;

export class GatewaysPanel extends LitElement {
  static override properties = {
    gateways: { attribute: false },
    devices: { attribute: false },
    doors: { attribute: false },
    desks: { attribute: false },
    timeZone: { attribute: 'time-zone' },
    nodeRedUrl: { attribute: 'node-red-url' },
  };
  declare gateways: readonly GatewayView[];
  declare devices: readonly DeviceView[];
  /** For the names of the doors and desks the devices serve. */
  declare doors: readonly DoorView[];
  declare desks: readonly DeskView[];
  declare timeZone: string;
  /** Where the Node-RED editor is; no link when empty. */
  declare nodeRedUrl: string;

  #tick: ReturnType<typeof setInterval> | null = null;
  /** Whether each gateway's working devices are unfolded, once the operator has chosen. */
  readonly #workingOpen = new Map<string, boolean>();

  static override styles = [
    baseStyles,
    panelStyles,
    textStyles,
    css`
      :host {
        display: grid;
        gap: 1rem;
      }
      .list {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 1rem;
      }
      article {
        border: 1px solid var(--ss-line, #dedbd2);
        border-left: 0.5rem solid var(--ss-locked, #1e6b3a);
        border-radius: 0.5rem;
        padding: 0.75rem 1rem;
      }
      article[data-online='false'] {
        border-left-color: var(--ss-open, #a1260d);
      }
      h3 {
        margin: 0 0 0.5rem;
        font-size: 1.0625rem;
        display: flex;
        justify-content: space-between;
        gap: 0.5rem;
      }
      h4 {
        margin: 1rem 0 0.5rem;
        font-size: 1rem;
      }
      .status,
      .state {
        font-size: 0.875rem;
        padding: 0.1rem 0.6rem;
        border-radius: 999px;
        color: #fff;
        background: var(--ss-locked, #1e6b3a);
        white-space: nowrap;
      }
      [data-online='false'] .status,
      [data-state='fault'] .state {
        background: var(--ss-open, #a1260d);
      }
      [data-state='unknown'] .state {
        background: var(--ss-muted, #4a525c);
      }
      .warning {
        border-left: 0.25rem solid var(--ss-unlocked, #8a4b00);
        background: var(--ss-unlocked-tint, #fdf3e7);
        padding: 0.4rem 0.6rem;
        border-radius: 0.25rem;
        margin: 0 0 0.75rem;
      }
      dl {
        margin: 0;
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(7rem, auto) minmax(8rem, 1fr));
        gap: 0.25rem 0.75rem;
      }
      dt {
        color: var(--ss-muted, #4a525c);
      }
      dd {
        margin: 0;
        font-variant-numeric: tabular-nums;
      }
      time {
        white-space: nowrap;
      }
      table {
        width: 100%;
        border-collapse: collapse;
        font-size: 0.9375rem;
        font-variant-numeric: tabular-nums;
      }
      th,
      td {
        text-align: left;
        vertical-align: top;
        padding: 0.35rem 0.5rem 0.35rem 0;
        border-top: 1px solid var(--ss-line, #dedbd2);
      }
      thead th {
        border-top: 0;
        color: var(--ss-muted, #4a525c);
        font-weight: 600;
      }
      .id,
      .error {
        display: block;
        font-size: 0.8125rem;
        font-weight: 400;
        color: var(--ss-muted, #4a525c);
      }
      [data-state='fault'] .error {
        color: var(--ss-open, #a1260d);
        font-weight: 600;
      }
      /* The attention table and the folded working one keep the same columns. */
      table {
        table-layout: fixed;
      }
      th[scope='col']:nth-child(1) {
        width: 30%;
      }
      th[scope='col']:nth-child(4),
      th[scope='col']:nth-child(6) {
        width: 17%;
      }
      td,
      th {
        overflow-wrap: anywhere;
      }
      table[data-part='attention'] {
        margin-bottom: 0.5rem;
      }
      details > summary {
        cursor: pointer;
        min-height: 44px;
        display: flex;
        align-items: center;
        gap: 0.25rem;
        font-weight: 600;
        color: var(--ss-accent, #0b5e7e);
        border-top: 1px solid var(--ss-line, #dedbd2);
      }
      details > summary::before {
        content: '▸';
        display: inline-block;
        width: 1em;
      }
      details[open] > summary::before {
        content: '▾';
      }
      details > summary::-webkit-details-marker {
        display: none;
      }
      summary:focus-visible {
        outline: 3px solid var(--ss-accent, #0b5e7e);
        outline-offset: 2px;
      }
      /* A phone: each device is its name, then its facts as labelled runs that wrap. */
      @media (max-width: 40rem) {
        table,
        tbody {
          display: block;
        }
        thead {
          position: absolute;
          width: 1px;
          height: 1px;
          overflow: hidden;
          clip: rect(0 0 0 0);
        }
        tr {
          display: flex;
          flex-wrap: wrap;
          gap: 0.15rem 0.9rem;
          border-top: 1px solid var(--ss-line, #dedbd2);
          padding: 0.5rem 0;
        }
        th,
        td {
          border: 0;
          padding: 0;
        }
        th {
          flex-basis: 100%;
        }
        th .id {
          display: inline;
          margin-left: 0.25rem;
        }
        td::before {
          content: attr(data-label) ': ';
          color: var(--ss-muted, #4a525c);
        }
        td[data-field='state']::before {
          content: none;
        }
      }
      a {
        color: var(--ss-accent, #0b5e7e);
        font-weight: 600;
      }
    `,
  ];

  constructor() {
    super();
    new LocaleController(this); // re-renders on a change of language
    this.gateways = [];
    this.devices = [];
    this.doors = [];
    this.desks = [];
    this.timeZone = 'Europe/Copenhagen';
    this.nodeRedUrl = '';
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
        ${this.gateways.length === 0
          ? html`<p class="muted">${m.none}</p>`
          : html`<ul class="list">
              ${repeat(
                this.gateways,
                (g) => g.id,
                (g) => html`<li>${this.#gateway(g)}</li>`,
              )}
            </ul>`}
      </section>
      ${this.nodeRedUrl
        ? html`<section class="panel" aria-labelledby="nr-title">
            <h2 id="nr-title">${m.nodeRedTitle}</h2>
            <p class="muted">${m.nodeRedText}</p>
            <a href=${this.nodeRedUrl} target="_blank" rel="noopener" data-action="node-red"
              >${m.nodeRedLink} <span class="visually-hidden">${m.newTab}</span></a
            >
          </section>`
        : nothing}
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
        <dt>${m.rejected}</dt>
        <dd data-field="rejected">
          ${rejected === null
            ? m.notReported
            : rejected.length === 0
              ? m.rejectedNone
              : rejected.map(([kind, n]) => `${kind} ${n.toLocaleString(locale.tag)}`).join(' · ')}
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
      ${working.length
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
        : nothing}`;
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
            const why = state === 'fault' ? d.error : null; // unknown: the note above says why
            return html`<tr data-device=${d.id} data-state=${state}>
              <th scope="row">${deviceLabel(d, devicePlace(d, this.doors, this.desks))} <span class="id">${d.id}</span></th>
              <td data-label=${m.colState} data-field="state">
                <span><span class="state">${words.state[state]}</span>${why ? html` <span class="error">${why}</span>` : nothing}</span>
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
