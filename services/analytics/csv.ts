// CSV (RFC 4180): quoted when needed, CRLF line ends by the caller. A cell that a spreadsheet
// would run as a formula (= + - @ at the start) gets a leading apostrophe (OWASP CSV injection).
import { localDateTimeSeconds } from '../../contracts/local-time.ts';
/** What a cell holds: text, a number or flag, nothing, or a JSON object (an audit entry's detail). */
export type CsvValue = string | number | boolean | null | undefined | Record<string, unknown>;

/**
 * How a spreadsheet in the reader's language splits a CSV. Danish Excel (and LibreOffice in a
 * Danish locale) splits on `;`, because `,` is its decimal mark, and reads `12,5` as a number; an
 * English one splits on `,` and reads `12.5`. Machines get the English dialect (`lang=en`).
 */
export interface CsvDialect {
  separator: ',' | ';';
  decimal: '.' | ',';
}
export const CSV_EN: CsvDialect = { separator: ',', decimal: '.' };
export const csvDialect = (lang: 'da' | 'en'): CsvDialect => (lang === 'da' ? { separator: ';', decimal: ',' } : CSV_EN);

/** The UTF-8 byte order mark: Excel reads a CSV file as UTF-8 (æ, ø, å) only when it starts with one. */
export const CSV_BOM = '\uFEFF';

/** A number with `digits` decimals in the dialect's decimal mark: `12,5` in Danish. */
export const csvDecimal = (n: number, digits: number, d: CsvDialect): string => n.toFixed(digits).replace('.', d.decimal);

export function csvCell(v: CsvValue, d: CsvDialect = CSV_EN): string {
  if (v === null || v === undefined) return '';
  let s = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : typeof v === 'number' ? String(v).replace('.', d.decimal) : String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return s.includes(d.separator) || /["\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvLine = (cells: readonly CsvValue[], d: CsvDialect = CSV_EN): string => cells.map((c) => csvCell(c, d)).join(d.separator);

/** `2026-03-29T03:15:00+02:00`: the site's wall clock with its UTC offset (ISO 8601). */
export function localIso(ts: number, timeZone: string): string {
  const wall = localDateTimeSeconds(ts, timeZone);
  const offsetMin = Math.round((Date.parse(`${wall}Z`) - Math.floor(ts / 1000) * 1000) / 60_000);
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return `${wall}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** `2026-03-29 03:15`: the one readable time format of every export (24-hour, local). */
export function localReadable(ts: number, timeZone: string, seconds = false): string {
  return localDateTimeSeconds(ts, timeZone)
    .slice(0, seconds ? 19 : 16)
    .replace('T', ' ');
}

/** An audit entry's detail in words: `plan: flex; doors: front, meeting`, nested keys dotted. */
export function detailText(detail: Record<string, unknown> | null | undefined): string {
  if (!detail) return '';
  const out: string[] = [];
  const walk = (prefix: string, v: unknown) => {
    if (v === null || v === undefined) return;
    if (Array.isArray(v)) out.push(`${prefix}: ${v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(', ')}`);
    else if (typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(prefix ? `${prefix}.${k}` : k, x);
    else out.push(`${prefix}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
  };
  walk('', detail);
  return out.join('; ');
}
