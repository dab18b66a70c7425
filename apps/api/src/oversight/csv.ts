import type { StreamableFile } from '@nestjs/common';
import { streamedDownload } from '../common/streamed-download';

export type CsvValue = string | number | null | undefined;

/** RFC 4180: a field with a comma, a quote, CR or LF is quoted, and its quotes doubled. */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
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
