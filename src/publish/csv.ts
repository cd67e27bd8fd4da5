/**
 * One CSV cell (RFC 4180), safe to open in a spreadsheet. Roster ids and names are the user's text:
 * a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return would run as a formula in
 * Excel, LibreOffice or Google Sheets (CSV injection), so such a cell is prefixed with `'`, as
 * OWASP advises. Numbers, and text that reads as a number with its unit (`-3.5`, `1,024`,
 * `-133,656,576 MACs`: a difference from the standard count), are kept as they are: no operator,
 * call or reference can follow the number.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[-+]?\d[\d,]*(\.\d+)?([eE][-+]?\d+)?( [\p{L}/%·µ]+)*$/u;

export function csvCell(cell: string | number): string {
  let text = String(cell);
  if (typeof cell === 'string' && FORMULA_START.test(text) && !PLAIN_NUMBER.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows of cells as CSV text, one line each, ending with a newline. */
export function csvLines(rows: readonly (readonly (string | number)[])[]): string {
  return rows.map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}
