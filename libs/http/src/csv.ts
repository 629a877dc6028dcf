/**
 * RFC 4180 CSV: fields joined by commas, lines ended by CRLF; a field containing a comma, a
 * double quote, CR or LF is enclosed in double quotes with its quotes doubled. A field that
 * starts with = + - @ (or a tab / CR) is prefixed with a single quote, so a spreadsheet never runs
 * it as a formula (CSV injection; OWASP).
 */
export type CsvValue = string | number | boolean | null | undefined;

export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'string' ? value : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvLine = (values: readonly CsvValue[]): string => `${values.map(csvField).join(',')}\r\n`;

/** A UTF-8 byte order mark, so that spreadsheets read the file as UTF-8. */
export const UTF8_BOM = '\uFEFF';
