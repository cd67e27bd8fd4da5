/** CSV cells (src/publish/csv.ts): quoting as RFC 4180, and no formula from a roster's text. */
import { describe, expect, it } from 'vitest';
import { csvCell, csvLines } from '../../src/publish/csv.ts';

describe('csvCell', () => {
  it.each([
    ['s123', 's123'],
    [42, '42'],
    [-3.5, '-3.5'],
    ['-3.5', '-3.5'],
    ['1,024', '"1,024"'],
    ['46.7 ms', '46.7 ms'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ['=1+1', "'=1+1"],
    ['+cmd|calc', "'+cmd|calc"],
    ['-2+3', "'-2+3"],
    ['-133,656,576 MACs', '"-133,656,576 MACs"'],
    ['-0.5 tokens/s', '-0.5 tokens/s'],
    ['-1+cmd|calc!A0', "'-1+cmd|calc!A0"],
    ['-1 SUM(A1)', "'-1 SUM(A1)"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
  ] as [string | number, string][])('%j -> %s', (cell, want) => {
    expect(csvCell(cell)).toBe(want);
  });
  it('joins rows, one line each', () => {
    expect(csvLines([['student', 'name'], ['=a', 'Ann']])).toBe("student,name\n'=a,Ann\n");
  });
});
