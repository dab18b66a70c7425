import { Readable } from 'node:stream';
import { StreamableFile } from '@nestjs/common';

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

/**
 * A CSV download whose first chunk (the header and the first page) has already been read, so a
 * failure to start is an ordinary error response; later pages are pulled only as fast as the
 * client reads them. A failure after the headers went out aborts the connection (Nest's
 * StreamableFile handler), so a truncated file never looks complete.
 */
export async function csvDownload(chunks: AsyncGenerator<string>, filename: string): Promise<StreamableFile> {
  const first = await chunks.next();
  async function* rest(): AsyncGenerator<string> {
    if (first.done) return;
    yield first.value;
    yield* chunks;
  }
  return new StreamableFile(Readable.from(rest(), { objectMode: false }), {
    type: 'text/csv; charset=utf-8',
    disposition: `attachment; filename="${filename}"`,
  });
}
