// Weekly windows of a plan (contracts TimeWindow: ISO days 1 = Monday … 7 = Sunday, "HH:MM"
// from/to in the site's zone, `to` may be "24:00"), in words and as editor rows. An `<input
// type=time>` cannot say 24:00: an end of "00:00" in the editor means midnight at the end.
import type { TimeWindow } from '../../../contracts/payloads.ts';
import { t } from '../words/locale.ts';

export interface WindowRow {
  days: number[];
  from: string;
  to: string;
}

export type RowProblem = 'noDay' | 'badWindow' | null;

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** "Mon–Fri", "Mon, Wed, Fri", "Sat–Sun": runs of three or more days joined with a dash. */
export function daysInWords(days: readonly number[]): string {
  const names = t().plans.dayNames;
  const sorted = [...new Set(days)].filter((d) => d >= 1 && d <= 7).sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    const first = names[sorted[i]! - 1]!;
    const last = names[sorted[j]! - 1]!;
    if (j - i >= 2) parts.push(`${first}–${last}`);
    else for (let k = i; k <= j; k++) parts.push(names[sorted[k]! - 1]!);
    i = j + 1;
  }
  return parts.join(', ');
}

/** "Mon–Fri 08:00–18:00; Sat 10:00–14:00", or "any time" for none. */
export function windowsInWords(windows: readonly TimeWindow[]): string {
  return windowPhrases(windows).join('; ');
}

/** Each window in words ("Mon–Fri 08:00–18:00"); one "any time" for none. */
export function windowPhrases(windows: readonly TimeWindow[]): string[] {
  if (windows.length === 0) return [t().plans.anyTime];
  return windows.map((w) => `${daysInWords(w.days)} ${w.from}–${w.to}`);
}

export function toRows(windows: readonly TimeWindow[]): WindowRow[] {
  return windows.map((w) => ({ days: [...w.days].sort((a, b) => a - b), from: w.from, to: w.to === '24:00' ? '00:00' : w.to }));
}

/** What is wrong with a row, if anything. */
export function rowProblem(r: WindowRow): RowProblem {
  if (r.days.length === 0) return 'noDay';
  const end = r.to === '00:00' ? 24 * 60 : minutes(r.to);
  if (!/^\d\d:\d\d$/.test(r.from) || !/^\d\d:\d\d$/.test(r.to) || minutes(r.from) >= end) return 'badWindow';
  return null;
}

export function toWindows(rows: readonly WindowRow[]): TimeWindow[] {
  return rows.map((r) => ({ days: [...new Set(r.days)].sort((a, b) => a - b), from: r.from, to: r.to === '00:00' ? '24:00' : r.to }));
}

/** A new row: weekdays, office hours. */
export const newRow = (): WindowRow => ({ days: [1, 2, 3, 4, 5], from: '08:00', to: '18:00' });
