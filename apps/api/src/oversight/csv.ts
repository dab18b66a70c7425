import type { StreamableFile } from '@nestjs/common';
import { streamedDownload } from '../common/streamed-download';

export type CsvValue = string | number | null | undefined;

/** What a spreadsheet reads as the start of a formula (OWASP's CSV injection list). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * RFC 4180: a field with a comma, a quote, CR or LF is quoted, and its quotes doubled. Text that a
 * spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) is first prefixed with a
 * single quote, so it shows as typed and never runs (OWASP's rule). Numbers are numbers: a negative
 * amount stays -5 and sums in the spreadsheet; only text is neutralised, and every field the
 * exports take from people (titles, comments, conditions) is text.
 */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'number' ? String(value) : FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record, CRLF-terminated. */
export function csvRecord(values: readonly CsvValue[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

/** One chunk of records per page the source yields; the header travels with the first page. */
export async function* csvChunks<T>(header: readonly string[], pages: AsyncIterable<T[]>, toRecords: (item: T) => CsvValue[][]): AsyncGenerator<string> {
  let chunk = csvRecord(header);
  for await (const page of pages) {
    for (const item of page) for (const record of toRecords(item)) chunk += csvRecord(record);
    if (chunk) yield chunk;
    chunk = '';
  }
  if (chunk) yield chunk;
}

/** A CSV download, streamed (common/streamed-download.ts). */
export function csvDownload(chunks: AsyncGenerator<string>, filename: string): Promise<StreamableFile> {
  return streamedDownload(chunks, 'text/csv; charset=utf-8', filename);
}
