/**
 * RFC 4180 CSV: CRLF line ends; a field with a comma, a double quote, CR or LF is quoted and
 * its quotes doubled. Prefixed with a UTF-8 byte order mark, without which Excel reads the
 * Chinese headings as mojibake.
 */
export function toCsv(rows: readonly (readonly CsvValue[])[]): string {
  return '\uFEFF' + rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

export type CsvValue = string | number | null;

export function csvField(value: CsvValue): string {
  if (value === null) return '';
  let text = String(value);
  // A cell starting with = + - @ is a formula to Excel (CSV injection): make it text.
  if (/^[=+\-@\t\r]/.test(text) && typeof value === 'string') text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
