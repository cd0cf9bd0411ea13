// Reading a spreadsheet's CSV export (RFC 4180) as Excel, LibreOffice and Google Sheets write it:
// a UTF-8 BOM, CRLF or LF, quoted cells with "" inside and line breaks, and the separator of the
// locale (`;` where the decimal comma is, as in Danish Excel; `,`; or a tab). The separator is
// read off the header row. Small enough to own: no dependency for ~50 lines.

export interface CsvRow {
  /** 1-based line of the file where the row starts (as a spreadsheet numbers it). */
  line: number;
  cells: string[];
}

export interface Csv {
  separator: ',' | ';' | '\t';
  header: string[];
  rows: CsvRow[];
}

export class CsvError extends Error {}

/** The separator that occurs most often outside quotes in the first line. */
function detectSeparator(text: string): Csv['separator'] {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch in counts) counts[ch as keyof typeof counts]++;
  }
  const best = (Object.keys(counts) as Csv['separator'][]).sort((a, b) => counts[b] - counts[a])[0]!;
  return counts[best] > 0 ? best : ',';
}

export function parseCsv(input: string): Csv {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const sep = detectSeparator(text);
  const records: CsvRow[] = [];
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let start = 1;
  let quoted = false;
  let wasQuoted = false;
  const endCell = () => {
    cells.push(wasQuoted ? cell : cell.trim());
    cell = '';
    wasQuoted = false;
  };
  const endRow = () => {
    endCell();
    // A blank line (or one of only separators, as spreadsheets export empty rows) is no row.
    if (cells.some((c) => c !== '')) records.push({ line: start, cells });
    cells = [];
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        cell += ch;
      }
    } else if (ch === '"' && cell.trim() === '') {
      quoted = wasQuoted = true;
      cell = '';
    } else if (ch === sep) endCell();
    else if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRow();
      start = ++line;
    } else cell += ch;
  }
  if (quoted) throw new CsvError(`line ${start}: a quoted cell is not closed`);
  if (cell !== '' || cells.length > 0) endRow();
  const [first, ...rows] = records;
  if (!first) throw new CsvError('the file is empty: expected a header row');
  return { separator: sep, header: first.cells.map((h) => h.trim()), rows };
}
