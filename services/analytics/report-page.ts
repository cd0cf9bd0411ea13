// The monthly report as a page to print (A4) or save as PDF: what a municipality or a funder
// gets. Server-made HTML with one stylesheet of its own (allowed by its hash in the page's CSP),
// no script, so the browser's Print → PDF always works and `smartspace report --pdf` prints the
// same page with Chromium.
import { createHash } from 'node:crypto';
import type { FunderReport, ReportTotals } from './report.ts';
import { EXPORT_WORDS, type ExportLang } from './export-words.ts';

export const REPORT_CSS = `
@page { size: A4; margin: 16mm 14mm; }
* { box-sizing: border-box; }
body { font: 10.5pt/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #111; margin: 0 auto; max-width: 190mm; padding: 12px; }
h1 { font-size: 18pt; margin: 0 0 2px; }
h2 { font-size: 12.5pt; margin: 18px 0 6px; break-after: avoid; }
.sub { color: #444; margin: 0 0 10px; }
.kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 8px; }
.kpi { border: 1px solid #bbb; border-radius: 6px; padding: 8px 10px; break-inside: avoid; }
.kpi b { display: block; font-size: 16pt; }
.kpi span { color: #333; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid #ccc; padding: 3px 6px; text-align: right; }
th:first-child, td:first-child, th:nth-child(2), td:nth-child(2) { text-align: left; }
thead th { border-bottom: 2px solid #555; }
tr.weekend td { color: #666; }
tfoot td { font-weight: 600; border-top: 2px solid #555; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
.foot { color: #444; font-size: 9pt; margin-top: 12px; }
@media print { body { padding: 0; } .noprint { display: none; } }
`;

/** `'sha256-…'` of the stylesheet, for the page's Content-Security-Policy. */
export const REPORT_CSS_HASH = `'sha256-${createHash('sha256').update(REPORT_CSS).digest('base64')}'`;

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function reportPage(r: FunderReport, lang: ExportLang): string {
  const w = EXPORT_WORDS[lang].report;
  const num = new Intl.NumberFormat(lang === 'da' ? 'da-DK' : 'en-GB', { maximumFractionDigits: 1, minimumFractionDigits: 0 });
  const dec = new Intl.NumberFormat(lang === 'da' ? 'da-DK' : 'en-GB', { maximumFractionDigits: 1, minimumFractionDigits: 1 });
  const pct = (u: number | null) => (u === null ? '–' : `${dec.format(u * 100)} %`);
  const monthName = new Intl.DateTimeFormat(lang === 'da' ? 'da-DK' : 'en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${r.month}-15T12:00:00Z`),
  );
  const hours = r.openingHours.map((h) => `${h.days.map((d) => w.days[d - 1]).join(', ')} ${h.from}–${h.to}`).join('; ');
  const kpi = (label: string, value: string, testid: string) => `<div class="kpi" data-kpi="${testid}"><b>${esc(value)}</b><span>${esc(label)}</span></div>`;
  // A month before the history began says so, instead of zeros that read like an empty space.
  const cmp = (label: string, t: ReportTotals, testid: string) =>
    t.visits === 0 && t.deskHours === 0 && testid !== 'this'
      ? `<tr data-compare="${testid}"><td>${esc(label)}</td><td></td><td colspan="4">${esc(w.noData)}</td></tr>`
      : `<tr data-compare="${testid}"><td>${esc(label)}</td><td></td><td>${num.format(t.visits)}</td><td>${num.format(t.uniqueMembers)}</td><td>${pct(t.utilisation)}</td><td>${num.format(t.peak)}</td></tr>`;
  const rows = r.days
    .map(
      (d) =>
        `<tr${d.weekday >= 6 ? ' class="weekend"' : ''} data-date="${d.date}"><td>${d.date}</td><td>${esc(w.days[d.weekday - 1]!)}</td><td>${num.format(d.visits)}</td><td>${num.format(d.entries)}</td><td>${num.format(d.peak)}</td><td>${d.peakAt ?? ''}</td><td>${dec.format(d.deskHours)}</td><td>${pct(d.utilisation)}</td></tr>`,
    )
    .join('\n');
  const t = r.total;
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(`${w.title} · ${r.site.name} · ${r.month}`)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<h1>${esc(w.title)}</h1>
<p class="sub"><span data-testid="site">${esc(r.site.name)}</span> · <span data-testid="month">${esc(monthName)}</span> · ${esc(w.desks(r.desks))}</p>
<p class="sub">${esc(w.openingHours)}: ${esc(hours)} (${esc(r.site.timeZone)}) · ${esc(w.generated(r.madeAt))}</p>
<h2>${esc(w.summary)}</h2>
<div class="kpis">
${kpi(`${w.visits} (${w.visitsNote})`, num.format(t.visits), 'visits')}
${kpi(w.uniqueMembers, num.format(t.uniqueMembers), 'members')}
${kpi(w.utilisation, pct(t.utilisation), 'utilisation')}
${kpi(w.peak, t.peakAt ? `${num.format(t.peak)} · ${t.peakAt}` : num.format(t.peak), 'peak')}
</div>
<h2>${esc(w.trend)}</h2>
<table data-testid="compare">
<thead><tr><th></th><th></th><th>${esc(w.visits)}</th><th>${esc(w.uniqueMembers)}</th><th>${esc(w.utilisationShort)}</th><th>${esc(w.peak)}</th></tr></thead>
<tbody>
${cmp(w.thisMonth, t, 'this')}
${cmp(w.lastMonth, r.lastMonth, 'last-month')}
${cmp(w.lastYear, r.lastYear, 'last-year')}
</tbody>
</table>
<h2>${esc(w.perDay)}</h2>
<table data-testid="days">
<thead><tr><th>${esc(w.date)}</th><th>${esc(w.weekday)}</th><th>${esc(w.visits)}</th><th>${esc(w.entries)}</th><th>${esc(w.peak)}</th><th>${esc(w.peakAt)}</th><th>${esc(w.deskHours)}</th><th>${esc(w.utilisationShort)}</th></tr></thead>
<tbody>
${rows}
</tbody>
<tfoot><tr><td>${esc(w.total)}</td><td></td><td>${num.format(t.visits)}</td><td>${num.format(t.entries)}</td><td>${num.format(t.peak)}</td><td>${t.peakAt ?? ''}</td><td>${dec.format(t.deskHours)}</td><td>${pct(t.utilisation)}</td></tr></tfoot>
</table>
<p class="foot">${esc(w.footnote)}</p>
</body>
</html>
`;
}
