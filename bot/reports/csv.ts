/**
 * CSV for the report tables (RFC 4180): quoted where needed, a UTF-8 byte
 * order mark so spreadsheet programs read Chinese right, and a cell that a
 * spreadsheet would run as a formula (=, +, -, @, tab, carriage return at
 * its start: unanswered questions are the customers' own words) prefixed
 * with an apostrophe.
 */
export type Cell = string | number | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value;
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: string[], rows: Cell[][]): string {
  return `\uFEFF${[header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
