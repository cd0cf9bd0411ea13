// The public availability page: one server-rendered HTML document with its style inline and the
// forecast as an inline SVG chart. No script, no image, no font, no other request: readable with
// JavaScript off and in one round trip on a slow rural 4G line. Its CSP allows only that one
// style block (by hash) and nothing else.
import { createHash } from 'node:crypto';
import type { ForecastCell, PublicAvailability } from '../../contracts/api/public.ts';
import { PUBLIC_WORDS, type PublicLang } from './words.ts';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const pct = (x: number) => `${Math.round(x * 100)} %`;

const STYLE = `body{font:16px/1.4 system-ui,sans-serif;margin:0 auto;max-width:34rem;padding:1rem;color:#1d2125;background:#fff}
h1{font-size:1.25rem;margin:0 0 .25rem}.sub{color:#555;margin:0 0 1rem}
.big{font-size:1.1rem;margin:.5rem 0}.big strong{font-size:3rem;display:block;line-height:1}
ul{padding:0;list-style:none}li{display:flex;justify-content:space-between;border-bottom:1px solid #ddd;padding:.35rem 0}
.tag{display:inline-block;border-radius:1rem;padding:.1rem .6rem;background:#e7f2ea;color:#185c2c;margin:.2rem .3rem .2rem 0}
.tag.off{background:#f3e8e8;color:#7a1f1f}svg{width:100%;height:auto}.m{fill:#2d6a4f}.band{fill:#b7dfc5}.nd{fill:#eee}
.now{stroke:#d97706;stroke-width:2}.ax{fill:#555;font-size:10px}h2{font-size:1rem;margin:1.25rem 0 .25rem}small,.lang{color:#555}
@media (prefers-color-scheme:dark){body{background:#16191c;color:#e8eaed}.sub,small,.lang,.ax{color:#aaa;fill:#aaa}li{border-color:#333}.nd{fill:#333}a{color:#8ab4f8}}`;

/** The CSP of the page: nothing but its own inline style block. */
export const PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The weekday whose forecast the page draws: today, or the next day the space opens. */
function chartDay(a: PublicAvailability): number {
  const open = new Set((a.forecast?.cells ?? []).map((c) => c.day));
  for (let i = 0; i < 7; i++) {
    const d = ((a.today.day - 1 + i) % 7) + 1;
    if (open.has(d)) return d;
  }
  return a.today.day;
}

/** The forecast of one weekday as bars: p25–p75 band, the median, a grey bar where there is not enough data. */
export function forecastSvg(cells: readonly ForecastCell[], lang: PublicLang, nowHour: number | null): string {
  const w = PUBLIC_WORDS[lang];
  const H = 100;
  const bw = 24;
  const width = Math.max(1, cells.length) * bw;
  const y = (v: number) => (H - v * H).toFixed(1);
  const bars = cells.map((c, i) => {
    const x = i * bw + 3;
    const label = `<text class="ax" x="${x + 9}" y="${H + 13}" text-anchor="middle">${String(c.hour).padStart(2, '0')}</text>`;
    const now = c.hour === nowHour ? `<line class="now" x1="${x - 2}" x2="${x + 20}" y1="${H + 1}" y2="${H + 1}"/>` : '';
    if (c.median === null) {
      return `<g><title>${c.hour}:00 ${esc(w.notEnough)}</title><rect class="nd" x="${x}" y="${H - 12}" width="18" height="12"/>${label}${now}</g>`;
    }
    const band = `<rect class="band" x="${x}" y="${y(c.p75!)}" width="18" height="${((c.p75! - c.p25!) * H).toFixed(1)}"/>`;
    const med = `<rect class="m" x="${x + 4}" y="${y(c.median)}" width="10" height="${(c.median * H).toFixed(1)}"/>`;
    return `<g><title>${c.hour}:00 ${esc(w.median)} ${pct(c.median)} (${esc(w.spread)} ${pct(c.p25!)}–${pct(c.p75!)})</title>${band}${med}${label}${now}</g>`;
  });
  return `<svg viewBox="0 0 ${width} ${H + 16}" role="img" aria-label="${esc(w.forecast)}">${bars.join('')}</svg>`;
}

const hm = (ts: number, timeZone: string) => new Date(ts).toLocaleTimeString('en-GB', { timeZone, hour: '2-digit', minute: '2-digit' });

/** Free desks now; an answer of "0" would read as "full" when the sensors are only silent. */
function headline(a: PublicAvailability, w: (typeof PUBLIC_WORDS)[PublicLang]): string {
  if (a.desks > 0 && a.unknown === a.desks) return `<p class="big" id="no-sensors">${esc(w.noSensors)}</p>`;
  const unknown = a.unknown > 0 ? `; ${a.unknown} ${esc(w.unknown)}` : '';
  return `<p class="big"><strong id="free">${a.free}</strong> ${esc(w.freeNow)} (${esc(w.ofDesks)} ${a.desks}${unknown})</p>`;
}

export function renderPublicPage(a: PublicAvailability, lang: PublicLang): string {
  const w = PUBLIC_WORDS[lang];
  const other: PublicLang = lang === 'da' ? 'en' : 'da';
  const zones = a.zones
    .map(
      (z) => `<li><span>${esc(z.name)}</span><span>${z.free} ${esc(w.ofDesks)} ${z.desks}${z.unknown ? ` (${z.unknown} ${esc(w.unknown)})` : ''}</span></li>`,
    )
    .join('');
  const hours = a.today.open.length ? `${esc(w.openToday)} ${a.today.open.map((o) => `${o.from}–${o.to}`).join(', ')}` : esc(w.closedToday);
  const closure = a.today.closure ? ` (${esc(a.today.closure)})` : '';
  const tags = [
    `<span class="tag${a.today.openNow ? '' : ' off'}">${esc(a.today.openNow ? w.openNow : w.closedNow)}</span>`,
    a.hostIn === null ? '' : `<span class="tag${a.hostIn ? '' : ' off'}">${esc(a.hostIn ? w.hostIn : w.hostNotIn)}</span>`,
  ].join('');
  let chart = `<p>${esc(w.noForecast)}</p>`;
  if (a.forecast) {
    const day = chartDay(a);
    const cells = a.forecast.cells.filter((c) => c.day === day);
    const nowHour = day === a.today.day ? Number(hm(a.at, a.site.timeZone).slice(0, 2)) : null;
    const note = cells.every((c) => c.median === null) ? `<p>${esc(w.notEnough)}</p>` : '';
    chart = `<h2>${esc(w.forecastDay)} ${esc(w.days[day - 1]!)}</h2>${note}${cells.length ? forecastSvg(cells, lang, nowHour) : ''}<small>${esc(w.median)}: ■ · ${esc(w.spread)}: p25–p75</small>`;
  }
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(a.site.name)} · ${esc(w.title)}</title><style>${STYLE}</style></head><body>
<h1>${esc(a.site.name)}</h1><p class="sub">${esc(w.title)}</p>
${headline(a, w)}
<ul>${zones}</ul><p>${hours}${closure}</p><p>${tags}</p>${chart}
<p><small>${esc(w.updated)} ${hm(a.at, a.site.timeZone)}</small> · <a class="lang" href="?lang=${other}" hreflang="${other}">${esc(w.language)}</a></p>
</body></html>`;
}
