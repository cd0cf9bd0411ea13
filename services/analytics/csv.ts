// CSV (RFC 4180): quoted when needed, CRLF line ends by the caller. A cell that a spreadsheet
// would run as a formula (= + - @ at the start) gets a leading apostrophe (OWASP CSV injection).
/** What a cell holds: text, a number or flag, nothing, or a JSON object (an audit entry's detail). */
export type CsvValue = string | number | boolean | null | undefined | Record<string, unknown>;

export function csvCell(v: CsvValue): string {
  if (v === null || v === undefined) return '';
  let s = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvLine = (cells: readonly CsvValue[]): string => cells.map(csvCell).join(',');
