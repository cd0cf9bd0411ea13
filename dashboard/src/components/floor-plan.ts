// The floor: one shape per desk at its (x, y), coloured and patterned free / in use / unknown,
// each with its name and a word for its state (colour is never the only cue), zones drawn
// around their desks, and "N of M desks free" per zone in text.
import { LitElement, css, html, nothing, svg } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { DeskView, SiteView } from '../../../contracts/api.ts';
import { baseStyles, panelStyles } from './shared-styles.ts';

/** Desk shape size in floor units (the demo's desks are 150 apart, rows 90 apart). */
const DESK_W = 120;
const DESK_H = 70;
const ZONE_PAD = 18;
const ZONE_LABEL_H = 40;

export type DeskOccupied = 'true' | 'false' | 'unknown';

export function deskOccupied(desk: DeskView): DeskOccupied {
  return desk.occupied === null ? 'unknown' : desk.occupied ? 'true' : 'false';
}

const DESK_WORDS: Record<DeskOccupied, string> = { false: 'free', true: 'in use', unknown: 'unknown' };
const DESK_FILL: Record<DeskOccupied, string> = {
  false: 'var(--ss-free-fill, #d3eedb)',
  true: 'url(#ss-occupied)',
  unknown: 'url(#ss-unknown)',
};

export interface ZoneSummary {
  id: string;
  name: string;
  free: number;
  unknown: number;
  total: number;
  /** Box around the zone's desks in floor units, with room for the label on top. */
  box: { x: number; y: number; width: number; height: number } | null;
}

export function summarizeZones(site: SiteView, desks: readonly DeskView[]): ZoneSummary[] {
  const zones = site.zones.map((z) => ({ id: z.id, name: z.name }));
  for (const d of desks) if (!zones.some((z) => z.id === d.zone)) zones.push({ id: d.zone, name: d.zone });
  return zones.map((zone) => {
    const mine = desks.filter((d) => d.zone === zone.id);
    let box: ZoneSummary['box'] = null;
    if (mine.length > 0) {
      const x0 = Math.max(0, Math.min(...mine.map((d) => d.x)) - DESK_W / 2 - ZONE_PAD);
      const y0 = Math.max(0, Math.min(...mine.map((d) => d.y)) - DESK_H / 2 - ZONE_PAD - ZONE_LABEL_H);
      const x1 = Math.min(site.floor.width, Math.max(...mine.map((d) => d.x)) + DESK_W / 2 + ZONE_PAD);
      const y1 = Math.min(site.floor.height, Math.max(...mine.map((d) => d.y)) + DESK_H / 2 + ZONE_PAD);
      box = { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
    }
    return {
      ...zone,
      free: mine.filter((d) => d.occupied === false).length,
      unknown: mine.filter((d) => d.occupied === null).length,
      total: mine.length,
      box,
    };
  });
}

export class FloorPlan extends LitElement {
  static override properties = { site: { attribute: false }, desks: { attribute: false } };
  declare site: SiteView | null;
  declare desks: readonly DeskView[];

  static override styles = [
    baseStyles,
    panelStyles,
    css`
      .scroller {
        overflow-x: auto;
      }
      svg {
        display: block;
        width: 100%;
        height: auto;
      }
      /* On a phone the whole floor at screen width makes desk names too small to read: keep
         them readable and let the plan scroll sideways (the counts below need no scrolling). */
      @media (max-width: 40rem) {
        svg {
          min-width: 36rem;
        }
      }
      .floor {
        fill: var(--ss-floor, #faf8f3);
        stroke: var(--ss-muted, #4a525c);
        stroke-width: 3;
      }
      .zone {
        fill: none;
        stroke: var(--ss-accent, #0b5e7e);
        stroke-width: 2;
        stroke-dasharray: 10 6;
      }
      .zone-label {
        fill: var(--ss-accent, #0b5e7e);
        font-size: 26px;
        font-weight: 700;
      }
      .desk rect {
        stroke-width: 3;
      }
      .desk[data-occupied='false'] rect {
        stroke: var(--ss-locked, #1e6b3a);
      }
      .desk[data-occupied='true'] rect {
        stroke: var(--ss-open, #a1260d);
      }
      .desk[data-occupied='unknown'] rect {
        stroke: var(--ss-unknown, #5b6169);
        stroke-dasharray: 8 5;
      }
      .desk text {
        fill: var(--ss-text, #1b1f24);
        text-anchor: middle;
        paint-order: stroke;
        stroke: rgb(255 255 255 / 85%);
        stroke-width: 5px;
        stroke-linejoin: round;
      }
      .desk .name {
        font-size: 24px;
        font-weight: 700;
      }
      .desk .word {
        font-size: 20px;
      }
      .counts,
      .legend {
        list-style: none;
        margin: 0.75rem 0 0;
        padding: 0;
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 1.25rem;
      }
      .counts {
        font-size: 1rem;
      }
      .legend {
        font-size: 0.875rem;
        color: var(--ss-muted, #4a525c);
      }
      .legend li {
        display: inline-flex;
        align-items: center;
        gap: 0.4rem;
      }
      .swatch {
        width: 1.5rem;
        height: 1rem;
        border-radius: 0.2rem;
        border: 2px solid;
      }
      .swatch.free {
        background: var(--ss-free-fill, #d3eedb);
        border-color: var(--ss-locked, #1e6b3a);
      }
      .swatch.occupied {
        background: repeating-linear-gradient(45deg, #f4cfc6 0 4px, #d9907f 4px 6px);
        border-color: var(--ss-open, #a1260d);
      }
      .swatch.unknown {
        background: radial-gradient(#8b9199 1.5px, #e6e8eb 1.5px) 0 0 / 6px 6px;
        border-color: var(--ss-unknown, #5b6169);
        border-style: dashed;
      }
      p {
        margin: 0;
        color: var(--ss-muted, #4a525c);
      }
    `,
  ];

  constructor() {
    super();
    this.site = null;
    this.desks = [];
  }

  override render() {
    const site = this.site;
    return html`
      <section class="panel" aria-labelledby="floor-title">
        <h2 id="floor-title">Desks</h2>
        ${site ? this.#plan(site) : html`<p>Loading the floor plan…</p>`}
      </section>
    `;
  }

  #plan(site: SiteView) {
    const zones = summarizeZones(site, this.desks);
    const { width, height } = site.floor;
    return html`
      <div class="scroller" tabindex="0" role="region" aria-label="Floor plan, scrolls sideways on small screens">
      <svg viewBox="0 0 ${width} ${height}" role="group" aria-label="Floor plan">
        <defs>
          <pattern id="ss-occupied" width="12" height="12" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="12" height="12" fill="#f4cfc6"></rect>
            <rect width="4" height="12" fill="#d9907f"></rect>
          </pattern>
          <pattern id="ss-unknown" width="12" height="12" patternUnits="userSpaceOnUse">
            <rect width="12" height="12" fill="#e6e8eb"></rect>
            <circle cx="6" cy="6" r="2" fill="#8b9199"></circle>
          </pattern>
        </defs>
        <rect class="floor" x="0" y="0" width=${width} height=${height}></rect>
        ${zones.map((z) =>
          z.box
            ? svg`<g data-zone=${z.id}>
                <rect class="zone" x=${z.box.x} y=${z.box.y} width=${z.box.width} height=${z.box.height} rx="12"></rect>
                <text class="zone-label" x=${z.box.x + 14} y=${z.box.y + 32}>${z.name}</text>
              </g>`
            : nothing,
        )}
        ${repeat(
          this.desks,
          (d) => d.id,
          (d) => {
            const occupied = deskOccupied(d);
            const label = `${d.name}: ${DESK_WORDS[occupied]}`;
            return svg`<g class="desk" data-desk=${d.id} data-occupied=${occupied} role="img" aria-label=${label}>
              <title>${label}</title>
              <rect x=${d.x - DESK_W / 2} y=${d.y - DESK_H / 2} width=${DESK_W} height=${DESK_H} rx="8"
                fill=${DESK_FILL[occupied]}></rect>
              <text class="name" x=${d.x} y=${d.y - 4}>${d.name}</text>
              <text class="word" x=${d.x} y=${d.y + 22}>${DESK_WORDS[occupied]}</text>
            </g>`;
          },
        )}
      </svg>
      </div>
      <ul class="counts" aria-label="Free desks per zone">
        ${zones.map(
          (z) => html`<li data-zone=${z.id}>
            <strong>${z.name}</strong>: ${z.free} of ${z.total} desks free${z.unknown
              ? html` <span class="unknown">(${z.unknown} unknown)</span>`
              : nothing}
          </li>`,
        )}
      </ul>
      <ul class="legend" aria-label="Legend">
        <li><span class="swatch free"></span>free</li>
        <li><span class="swatch occupied"></span>in use</li>
        <li><span class="swatch unknown"></span>unknown (no report)</li>
      </ul>
    `;
  }
}

customElements.define('ss-floor-plan', FloorPlan);

declare global {
  interface HTMLElementTagNameMap {
    'ss-floor-plan': FloorPlan;
  }
}
