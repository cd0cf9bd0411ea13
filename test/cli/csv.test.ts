import { describe, expect, it } from 'vitest';
import { CsvError, parseCsv } from '../../cli/csv.ts';

describe('CSV from a spreadsheet', () => {
  it("reads Danish Excel's export: BOM, ';' between cells, CRLF", () => {
    const csv = parseCsv('\uFEFFnavn;e-mail;kort\r\nAnna Berg;anna@example.org;0012345678\r\nBo Ørsted;bo@example.org;\r\n');
    expect(csv.separator).toBe(';');
    expect(csv.header).toEqual(['navn', 'e-mail', 'kort']);
    expect(csv.rows).toEqual([
      { line: 2, cells: ['Anna Berg', 'anna@example.org', '0012345678'] },
      { line: 3, cells: ['Bo Ørsted', 'bo@example.org', ''] },
    ]);
  });

  it('takes quoted cells with separators, doubled quotes and line breaks, and counts lines', () => {
    const csv = parseCsv('name,email,cards\n"Berg, Anna","a@x.dk","123,45678 ABCDEF"\n"Bo ""B"" Line\nTwo",b@x.dk,\nCarl,c@x.dk,1\n');
    expect(csv.separator).toBe(',');
    expect(csv.rows.map((r) => r.cells)).toEqual([
      ['Berg, Anna', 'a@x.dk', '123,45678 ABCDEF'],
      ['Bo "B" Line\nTwo', 'b@x.dk', ''],
      ['Carl', 'c@x.dk', '1'],
    ]);
    expect(csv.rows.map((r) => r.line)).toEqual([2, 3, 5]);
  });

  it('reads tabs, skips blank rows and rows of only separators, and trims unquoted cells', () => {
    const csv = parseCsv('name\temail\n\n Anna \t a@x.dk\n\t\nBo\tb@x.dk');
    expect(csv.separator).toBe('\t');
    expect(csv.rows).toEqual([
      { line: 3, cells: ['Anna', 'a@x.dk'] },
      { line: 5, cells: ['Bo', 'b@x.dk'] },
    ]);
  });

  it('refuses an empty file and an unclosed quote, naming the line', () => {
    expect(() => parseCsv('\uFEFF\r\n')).toThrow(CsvError);
    expect(() => parseCsv('name,email\n"Anna,a@x.dk\n')).toThrow('line 2: a quoted cell is not closed');
  });
});
