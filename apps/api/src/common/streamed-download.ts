import { Readable } from 'node:stream';
import { StreamableFile } from '@nestjs/common';

/**
 * A download whose first chunk has already been read, so a failure to start is an ordinary error
 * response; later chunks are pulled only as fast as the client reads them. A failure after the
 * headers went out aborts the connection (Nest's StreamableFile handler), so a truncated file
 * never looks complete. The CSV exports and the decision log's NDJSON export stream through it.
 */
export async function streamedDownload(chunks: AsyncGenerator<string>, type: string, filename: string): Promise<StreamableFile> {
  const first = await chunks.next();
  async function* rest(): AsyncGenerator<string> {
    if (first.done) return;
    yield first.value;
    yield* chunks;
  }
  return new StreamableFile(Readable.from(rest(), { objectMode: false }), { type, disposition: `attachment; filename="${filename}"` });
}
