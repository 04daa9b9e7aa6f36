import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { excelSafe, fromExcelSafe, renderCsv } from '../../lambdas/core/files/csv-output.ts';

/** Reads a CSV we produced back the way a partner's tooling would (RFC 4180). */
function parseBack(csv: string, delimiter = ','): string[][] {
  return parse(csv, { delimiter, relax_column_count: false });
}

describe('fromExcelSafe', () => {
  it('gives back every cell excelSafe protected, so our lists round-trip unchanged', () => {
    fc.assert(
      fc.property(
        fc.string().filter((cell) => !cell.startsWith("'")),
        (cell) => {
          // Act
          const back = fromExcelSafe(excelSafe(cell));

          // Assess
          expect(back).toBe(cell);
        },
      ),
    );
  });

  it.each([
    ["'=SUM(A1)", '=SUM(A1)'],
    ["'-CC9", '-CC9'],
    ["'@home", '@home'],
  ])('drops the apostrophe excelSafe added to %j', (cell, expected) => {
    // Act
    const back = fromExcelSafe(cell);

    // Assess
    expect(back).toBe(expected);
  });

  it.each(["O'Brien", "'quoted'", "'12", "'-12", "'"])('keeps an apostrophe excelSafe would not have added in %j', (cell) => {
    // Act
    const back = fromExcelSafe(cell);

    // Assess
    expect(back).toBe(cell);
  });
});

describe('excelSafe', () => {
  it.each([
    ['=SUM(A1:A2)', "'=SUM(A1:A2)"],
    ['+cmd|calc', "'+cmd|calc"],
    ['-2+3', "'-2+3"],
    ['@SUM(1)', "'@SUM(1)"],
    ['\t=1', "'\t=1"],
    ['\rfoo', "'\rfoo"],
    ['-', "'-"],
    ['+', "'+"],
    ['=', "'="],
    ['-12abc', "'-12abc"],
    ['- leading dash text', "'- leading dash text"],
  ])('prefixes %j with a quote: it would start a formula', (cell, expected) => {
    // Act
    const safe = excelSafe(cell);

    // Assess
    expect(safe).toBe(expected);
  });

  it.each(['-12', '+5', '-1.5', '1,5', '-1,5', '+0', '12', '0.25', '-0'])('leaves the plain number %j alone', (cell) => {
    // Act
    const safe = excelSafe(cell);

    // Assess
    expect(safe).toBe(cell);
  });

  it.each(['', 'José da Silva', 'Conceição', 'a=b', 'x+y', 'mail@example.com', 'ACME, Inc.', ' =1', '2026-11-22'])(
    'leaves the ordinary text %j untouched',
    (cell) => {
      // Act
      const safe = excelSafe(cell);

      // Assess
      expect(safe).toBe(cell);
    },
  );

  it('never lets a cell that a spreadsheet would evaluate through, and only ever adds one quote', () => {
    fc.assert(
      fc.property(fc.string(), (cell) => {
        // Act
        const safe = excelSafe(cell);

        // Assess
        const risky = /^[=+\-@\t\r]/.test(cell) && !/^[+-]?\d+([.,]\d+)?$/.test(cell);
        expect(safe).toBe(risky ? `'${cell}` : cell);
      }),
    );
  });
});

describe('renderCsv', () => {
  it('writes the header first and ends every record with CRLF', () => {
    // Prepare
    const header = ['a', 'b'];
    const rows = [
      ['1', '2'],
      ['3', '4'],
    ];

    // Act
    const csv = renderCsv(header, rows);

    // Assess
    expect(csv).toBe('a,b\r\n1,2\r\n3,4\r\n');
  });

  it('writes only the header when there are no rows', () => {
    // Act
    const csv = renderCsv(['filename', 'status'], []);

    // Assess
    expect(csv).toBe('filename,status\r\n');
  });

  it.each([
    ['a comma', 'ACME, Inc.', '"ACME, Inc."'],
    ['a double quote', 'the "best" file', '"the ""best"" file"'],
    ['a bare line feed', 'line one\nline two', '"line one\nline two"'],
    ['a bare carriage return', 'line one\rline two', '"line one\rline two"'],
    ['a CRLF', 'line one\r\nline two', '"line one\r\nline two"'],
  ])('quotes a cell with %s, so no reader can take it for a record end', (_what, cell, quoted) => {
    // Act
    const csv = renderCsv(['h'], [[cell]]);

    // Assess
    expect(csv).toBe(`h\r\n${quoted}\r\n`);
    expect(parseBack(csv)).toEqual([['h'], [cell]]);
  });

  it('renders undefined as an empty field and numbers as text', () => {
    // Prepare
    const rows = [
      [undefined, 7, 'x'],
      ['y', undefined, -3],
    ];

    // Act
    const csv = renderCsv(['a', 'b', 'c'], rows);

    // Assess
    expect(csv).toBe('a,b,c\r\n,7,x\r\ny,,-3\r\n');
    expect(parseBack(csv)).toEqual([
      ['a', 'b', 'c'],
      ['', '7', 'x'],
      ['y', '', '-3'],
    ]);
  });

  it('makes every data cell Excel-safe, in every column', () => {
    // Prepare
    const rows = [['=1+1', '@x', '-12', '-1.5', 'plain']];

    // Act
    const csv = renderCsv(['a', 'b', 'c', 'd', 'e'], rows);

    // Assess
    expect(parseBack(csv)[1]).toEqual(["'=1+1", "'@x", '-12', '-1.5', 'plain']);
  });

  it('uses a custom delimiter and quotes cells that contain it', () => {
    // Prepare
    const rows = [['Acme; Ltda', '1,5', 'x']];

    // Act
    const csv = renderCsv(['name', 'amount', 'other'], rows, ';');

    // Assess
    expect(csv.split('\r\n')[0]).toBe('name;amount;other');
    expect(csv).toContain('"Acme; Ltda"');
    expect(parseBack(csv, ';')).toEqual([
      ['name', 'amount', 'other'],
      ['Acme; Ltda', '1,5', 'x'],
    ]);
  });

  it('round-trips any text through csv-parse, formula cells coming back with their quote', () => {
    const cell = fc.string({ unit: 'grapheme', maxLength: 20 });
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 3, maxLength: 3 }), { maxLength: 5 }), (rows) => {
        // Act
        const csv = renderCsv(['x', 'y', 'z'], rows);

        // Assess
        expect(csv.endsWith('\r\n')).toBe(true);
        expect(parseBack(csv)).toEqual([['x', 'y', 'z'], ...rows.map((row) => row.map(excelSafe))]);
      }),
    );
  });
});
