// The floor: one shape per desk at its (x, y), coloured and patterned free / in use / unknown,
// each with its name and a word for its state (colour is never the only cue), zones drawn
// around their desks, and "N of M desks free" per zone in text. With `since` (hosts), each desk
// also says since when it has been free or in use, in the site's time. On a phone the plan fits
// the screen's width: it shows the part of the floor with desks on it, with larger names; the
// state is in the desk's fill pattern, its label and the counts below (no sideways scrolling).
// With `book` (issue 16), the desks and rooms the person may book are links to the bookings
// screen with that desk or room chosen (/bookings?desk=d01): tap it, tap an hour, confirm.
import { LitElement, css, html, nothing, svg } from 'lit';
import { guard } from 'lit/directives/guard.js';
import { repeat } from 'lit/directives/repeat.js';
import type { BookableView, DeskView, SiteView } from '../../../contracts/api/index.ts';
import { api } from '../api.ts';
import { LocaleController, locale, t } from '../words/locale.ts';
import { timeFormats } from '../time-format.ts';
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

/** The part of the floor a phone shows: the zones' boxes and the desks, with a small margin. */
export function contentBox(site: SiteView, zones: readonly ZoneSummary[], desks: readonly DeskView[]): { x: number; y: number; width: number; height: number } {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const z of zones) {
    if (!z.box) continue;
    x0 = Math.min(x0, z.box.x);
    y0 = Math.min(y0, z.box.y);
    x1 = Math.max(x1, z.box.x + z.box.width);
    y1 = Math.max(y1, z.box.y + z.box.height);
  }
  for (const d of desks) {
    x0 = Math.min(x0, d.x - DESK_W / 2);
    y0 = Math.min(y0, d.y - DESK_H / 2);
    x1 = Math.max(x1, d.x + DESK_W / 2);
    y1 = Math.max(y1, d.y + DESK_H / 2);
  }
  if (!Number.isFinite(x0)) return { x: 0, y: 0, width: site.floor.width, height: site.floor.height };
  const m = ZONE_PAD;
  return { x: x0 - m, y: y0 - m, width: x1 - x0 + 2 * m, height: y1 - y0 + 2 * m };
}

/** A phone's desk name: at most this wide (floor units), about this wide per character at 30px. */
const COMPACT_NAME_W = DESK_W - 8;
const COMPACT_CHAR_W = 16.5;

/** The bookings screen with a desk or room chosen (and a day): what a tap on the plan opens. */
export function bookingPath(kind: 'room' | 'desk', id: string, day?: string): string {
  const q = new URLSearchParams({ [kind]: id });
  if (day) q.set('day', day);
  return `/bookings?${q.toString()}`;
}

/** Where the plan is drawn to fit a phone's width. */
const PHONE_QUERY = '(max-width: 40rem)';

export function summarizeZones(site: SiteView, desks: readonly DeskView[]): ZoneSummary[] {
  // One pass over the desks (a live update re-runs this on every desk change).
  type Acc = { id: string; name: string; free: number; unknown: number; total: number; x0: number; y0: number; x1: number; y1: number };
  const acc = new Map<string, Acc>();
  const zone = (id: string, name: string): Acc => {
    let z = acc.get(id);
    if (!z) acc.set(id, (z = { id, name, free: 0, unknown: 0, total: 0, x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity }));
    return z;
  };
  for (const z of site.zones) zone(z.id, z.name);
  for (const d of desks) {
    const z = zone(d.zone, d.zone);
    z.total++;
    if (d.occupied === false) z.free++;
    else if (d.occupied === null) z.unknown++;
    z.x0 = Math.min(z.x0, d.x);
    z.y0 = Math.min(z.y0, d.y);
    z.x1 = Math.max(z.x1, d.x);
    z.y1 = Math.max(z.y1, d.y);
  }
  return [...acc.values()].map(({ id, name, free, unknown, total, x0, y0, x1, y1 }) => {
    let box: ZoneSummary['box'] = null;
    if (total > 0) {
      const left = Math.max(0, x0 - DESK_W / 2 - ZONE_PAD);
      const top = Math.max(0, y0 - DESK_H / 2 - ZONE_PAD - ZONE_LABEL_H);
      const right = Math.min(site.floor.width, x1 + DESK_W / 2 + ZONE_PAD);
      const bottom = Math.min(site.floor.height, y1 + DESK_H / 2 + ZONE_PAD);
      box = { x: left, y: top, width: right - left, height: bottom - top };
    }
    return { id, name, free, unknown, total, box };
  });
}

export class FloorPlan extends LitElement {
  static override properties = {
    site: { attribute: false },
    desks: { attribute: false },
    heading: {},
    since: { type: Boolean },
    book: { type: Boolean },
    bookable: { attribute: false },
    compact: { state: true },
  };
  declare site: SiteView | null;
  declare desks: readonly DeskView[];
  /** The panel's title; "Desks" when empty. */
  declare heading: string;
  /** Show since when each desk is in its state (hosts). */
  declare since: boolean;
  /** Offer booking: fetch what the person may book (GET /api/bookable) and link it. */
  declare book: boolean;
  /** What the person may book; null: nothing is offered (not asked, or the answer failed). */
  declare bookable: BookableView | null;
  /** A phone's width: the plan fits it (contentBox, larger names). */
  declare compact: boolean;
  #media: MediaQueryList | null = null;

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
      /* On a phone (compact) the plan shows only the part with desks, fitting the width; the
         names are larger and the state words give way to the fill patterns and the counts. */
      svg.compact .desk .name {
        font-size: 30px;
      }
      svg.compact .desk .word,
      svg.compact .desk .since {
        display: none;
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
      a.bookable .desk rect {
        stroke-width: 5;
      }
      a.bookable:focus-visible .desk rect {
        stroke: var(--ss-accent, #0b5e7e);
        stroke-width: 8;
      }
      .desk .book {
        font-size: 18px;
        font-weight: 700;
        text-decoration: underline;
      }
      .rooms {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem;
        margin: 0.75rem 0 0;
      }
      .rooms a {
        display: inline-flex;
        align-items: center;
        min-height: 2.75rem;
        padding: 0 0.9rem;
        border: 2px solid var(--ss-accent, #0b5e7e);
        border-radius: 0.5rem;
        color: var(--ss-accent, #0b5e7e);
        font-weight: 700;
        text-decoration: none;
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
      .since .desk .name {
        font-size: 22px;
      }
      .since .desk .word {
        font-size: 18px;
      }
      .desk .since {
        font-size: 16px;
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
    new LocaleController(this); // re-renders on a change of language
    this.site = null;
    this.desks = [];
    this.heading = '';
    this.since = false;
    this.book = false;
    this.bookable = null;
    this.compact = false;
  }

  #asked = false;

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.book && !this.#asked) {
      this.#asked = true;
      api.bookable().then(
        (b) => (this.bookable = b),
        () => {
          // Nothing offered: the plan stays as it was; the bookings screen says why.
        },
      );
    }
    this.#media = typeof matchMedia === 'function' ? matchMedia(PHONE_QUERY) : null;
    this.#media?.addEventListener('change', this.#onMedia);
    this.compact = this.#media?.matches ?? false;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#media?.removeEventListener('change', this.#onMedia);
    this.#media = null;
  }

  readonly #onMedia = (ev: MediaQueryListEvent): void => {
    this.compact = ev.matches;
  };

  override render() {
    const site = this.site;
    const m = t().desks;
    return html`
      <section class="panel" aria-labelledby="floor-title">
        <h2 id="floor-title">${this.heading || m.title}</h2>
        ${site ? this.#plan(site) : html`<p>${m.loading}</p>`}
      </section>
    `;
  }

  #plan(site: SiteView) {
    const m = t().desks;
    const zones = summarizeZones(site, this.desks);
    const { width, height } = site.floor;
    const view = this.compact ? contentBox(site, zones, this.desks) : { x: 0, y: 0, width, height };
    const f = this.since ? timeFormats(locale.tag, site.timeZone) : null;
    // What a desk's drawing depends on besides the desk: it is redrawn only when one changes
    // (a live update changes one desk of hundreds).
    const context = `${locale.lang}|${site.timeZone}|${f ? f.dayKey(Date.now()) : '-'}|${this.compact}`;
    const mayBook = new Set(this.bookable?.desks.map((d) => d.id) ?? []);
    const rooms = this.bookable?.rooms ?? [];
    const b = t().bookings;
    return html`
      <div class="scroller" tabindex="0" role="region" aria-label=${m.scroller}>
        <svg
          class=${[this.since ? 'since' : '', this.compact ? 'compact' : ''].join(' ').trim()}
          viewBox="${view.x} ${view.y} ${view.width} ${view.height}"
          role="group"
          aria-label=${m.plan}
        >
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
            (d) =>
              guard([d, context, mayBook.has(d.id)], () => {
                const occupied = deskOccupied(d);
                const word = m.word[occupied];
                const since = f && d.since !== null ? m.since(f.short(d.since)) : '';
                const label = m.label(d.name, since ? `${word}, ${since}` : word);
                // On a phone a long name is drawn narrower so it stays on its desk.
                const squeeze = this.compact && d.name.length * COMPACT_CHAR_W > COMPACT_NAME_W;
                const drawn = svg`<g class="desk" data-desk=${d.id} data-occupied=${occupied} role="img" aria-label=${label}>
              <title>${label}</title>
              <rect x=${d.x - DESK_W / 2} y=${d.y - DESK_H / 2} width=${DESK_W} height=${DESK_H} rx="8"
                fill=${DESK_FILL[occupied]}></rect>
              <text class="name" x=${d.x} y=${d.y + (this.compact ? 10 : since ? -11 : -4)}
                textLength=${squeeze ? COMPACT_NAME_W : nothing} lengthAdjust=${squeeze ? 'spacingAndGlyphs' : nothing}>${d.name}</text>
              <text class="word" x=${d.x} y=${d.y + (since ? 11 : 22)}>${word}</text>
              ${since ? svg`<text class="since" x=${d.x} y=${d.y + 30}>${since}</text>` : nothing}
              ${mayBook.has(d.id) && this.compact ? svg`<text class="book" x=${d.x} y=${d.y + 31}>${b.book}</text>` : nothing}
            </g>`;
                // A desk the person may book: a link to book it (its label says so).
                return mayBook.has(d.id)
                  ? svg`<a class="bookable" href=${bookingPath('desk', d.id)} data-book=${d.id} aria-label=${b.planBookDesk(label)}>${drawn}</a>`
                  : drawn;
              }),
          )}
        </svg>
      </div>
      <ul class="counts" aria-label=${m.countsLabel}>
        ${zones.map(
          (z) =>
            html`<li data-zone=${z.id}>
              <strong>${z.name}</strong>: ${m.zoneFree(z.free, z.total)}${z.unknown ? html` <span class="unknown">${m.zoneUnknown(z.unknown)}</span>` : nothing}
            </li>`,
        )}
      </ul>
      ${
        rooms.length > 0
          ? html`<p class="rooms" data-testid="book-rooms">
              <span>${b.planRooms}</span>
              ${rooms.map((r) => html`<a href=${bookingPath('room', r.id)} data-book=${r.id} aria-label=${b.planBookRoom(r.name)}>${r.name}</a>`)}
            </p>`
          : nothing
      }
      <ul class="legend" aria-label=${m.legend}>
        <li><span class="swatch free"></span>${m.word.false}</li>
        <li><span class="swatch occupied"></span>${m.word.true}</li>
        <li><span class="swatch unknown"></span>${m.legendUnknown}</li>
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
