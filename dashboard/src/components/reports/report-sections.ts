// The reports screen's sections, from the numbers the services sent: the heatmap table by weekday
// and hour (every value readable, also by a screen reader), the trend, the peak, visits per week
// and unique members per week. Each chart has a box (drawn by report-charts.ts) and its numbers as
// a table too. `title` is the heading with the scope it is for.
import { html, nothing, type TemplateResult } from 'lit';
import { ref } from 'lit/directives/ref.js';
import type { PeakOccupancy, UniqueMembersPerWeek, UtilisationByHour, UtilisationTrend, VisitsPerDay } from '../../../../contracts/api/index.ts';
import { heatGrid, trendPercent, visitsPerWeek } from '../../data/report-data.ts';
import { timeFormats } from '../../time-format.ts';
import { locale, t } from '../../words/locale.ts';

/** `month` is the YYYY-MM the numbers are for, on the table as data-month (so a reader or a test knows which month it shows). */
export function heatmapSection(u: UtilisationByHour, title: TemplateResult | string, month: string) {
  const m = t().reports;
  const grid = heatGrid(u);
  // 2 June 2025 was a Monday: weekday names in the reader's language, Monday first.
  const dayName = new Intl.DateTimeFormat(locale.tag, { weekday: 'short', timeZone: 'UTC' });
  const days = grid.map((_, i) => dayName.format(Date.UTC(2025, 5, 2 + i)));
  const hour = (h: number) => `${String(h).padStart(2, '0')}:00`;
  return html`<section class="panel" aria-labelledby="heat-title">
    <h2 id="heat-title">${title}</h2>
    <p class="muted">${m.heatNote(u.desks)} <span class="nodata-key" aria-hidden="true"></span> ${m.heatNoDataNote}</p>
    <div class="scroller">
      <table class="heat" data-testid="heatmap" data-month=${month}>
        <thead>
          <tr>
            <td class="corner"></td>
            ${grid[0]!.map((_, h) => html`<th scope="col" abbr=${hour(h)}>${h % 3 === 0 ? h : ''}<span class="visually-hidden">${h % 3 === 0 ? '' : h}</span></th>`)}
          </tr>
        </thead>
        <tbody>
          ${grid.map(
            (row, d) =>
              html`<tr>
                <th scope="row">${days[d]}</th>
                ${row.map((v, h) => {
                  if (v === null) {
                    const label = m.heatCellNoData(days[d]!, hour(h));
                    return html`<td class="nodata" title=${label} data-cell=${`${d + 1}-${h}`}><span class="visually-hidden">${m.noDataShort}</span></td>`;
                  }
                  const pct = Math.round(v * 100);
                  const label = m.heatCell(days[d]!, hour(h), pct);
                  // The cell's share as a CSS property set through the CSSOM: a `style` attribute
                  // would be inline style, which the Content-Security-Policy refuses.
                  const share = v.toFixed(2);
                  const paint = (el: Element | undefined) => (el as HTMLElement | undefined)?.style.setProperty('--u', share);
                  return html`<td ${ref(paint)} title=${label} data-cell=${`${d + 1}-${h}`}><span class="visually-hidden">${pct}%</span></td>`;
                })}
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
  </section>`;
}

export function weeksSection(v: VisitsPerDay, month: string) {
  const m = t().reports;
  const weeks = visitsPerWeek(v);
  return html`<section class="panel" aria-labelledby="weeks-title">
    <h2 id="weeks-title">${m.weekTitle}</h2>
    <p class="muted">${m.weekNote} ${m.siteWide}</p>
    ${
      weeks.length === 0
        ? html`<p class="muted">${m.noData}</p>`
        : html`<div class="chart" data-chart="weeks" aria-hidden="true"></div>
            <details>
              <summary>${m.table}</summary>
              <table data-testid="weeks-table" data-month=${month}>
                <tr>
                  <th scope="col">${m.colWeek}</th>
                  <th scope="col">${m.visits}</th>
                </tr>
                ${weeks.map(
                  (w) =>
                    html`<tr>
                      <td>${w.week}</td>
                      <td>${w.visits}</td>
                    </tr>`,
                )}
              </table>
            </details>`
    }
  </section>`;
}

export function peakSection(p: PeakOccupancy, title: TemplateResult | string, timeZone: string) {
  const m = t().reports;
  const f = timeFormats(locale.tag, timeZone);
  return html`<section class="panel" aria-labelledby="peak-title">
    <h2 id="peak-title">${title}</h2>
    <p data-testid="peak-headline">${p.peak > 0 && p.at !== null ? m.peakHeadline(p.peak, f.dated(p.at)) : m.peakNone}</p>
    ${
      p.days.length === 0
        ? nothing
        : html`<p class="muted">${m.peakPerDay}</p>
            <div class="chart" data-chart="peak" aria-hidden="true"></div>
            <details>
              <summary>${m.table}</summary>
              <table data-testid="peak-table">
                <tr>
                  <th scope="col">${m.colDay}</th>
                  <th scope="col">${m.desks}</th>
                </tr>
                ${p.days.map(
                  (d) =>
                    html`<tr>
                      <td>${d.date}</td>
                      <td>${d.peak}</td>
                    </tr>`,
                )}
              </table>
            </details>`
    }
  </section>`;
}

export function trendSection(trend: UtilisationTrend, title: TemplateResult | string) {
  const m = t().reports;
  const days = trendPercent(trend);
  return html`<section class="panel" aria-labelledby="trend-title">
    <h2 id="trend-title">${title}</h2>
    <p class="muted">${m.trendNote(trend.desks)}</p>
    ${
      days.length === 0
        ? html`<p class="muted">${m.noData}</p>`
        : html`<div class="chart" data-chart="trend" aria-hidden="true"></div>
            <details>
              <summary>${m.table}</summary>
              <table data-testid="trend-table">
                <tr>
                  <th scope="col">${m.colDay}</th>
                  <th scope="col">${m.utilisation}</th>
                </tr>
                ${days.map(
                  (d) =>
                    html`<tr>
                      <td>${d.date}</td>
                      <td>${d.pct === null ? m.noDataShort : m.pct(d.pct)}</td>
                    </tr>`,
                )}
              </table>
            </details>`
    }
  </section>`;
}

export function membersSection(u: UniqueMembersPerWeek) {
  const m = t().reports;
  return html`<section class="panel" aria-labelledby="members-title">
    <h2 id="members-title">${m.membersTitle}</h2>
    <p class="muted">${m.membersNote} ${m.siteWide}</p>
    ${
      u.weeks.length === 0
        ? html`<p class="muted">${m.noData}</p>`
        : html`<div class="chart" data-chart="members" aria-hidden="true"></div>
            <details>
              <summary>${m.table}</summary>
              <table data-testid="members-table">
                <tr>
                  <th scope="col">${m.colWeek}</th>
                  <th scope="col">${m.members}</th>
                </tr>
                ${u.weeks.map(
                  (w) =>
                    html`<tr>
                      <td>${w.week}</td>
                      <td>${w.members}</td>
                    </tr>`,
                )}
              </table>
            </details>`
    }
  </section>`;
}
