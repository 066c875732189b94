import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { open, unlink } from 'node:fs/promises';
import { Writable } from 'node:stream';
import type { Readable } from 'node:stream';
import { HttpError } from '@l2o/service-kit';
import { createCsvParser } from './csv-format.ts';

/** What spooling learned about an upload while writing it to disk. */
export type SpooledUpload = {
  bytes: number;
  sha256: string;
  header: string[];
  /** Data rows, the header not counted. */
  rows: number;
};

function refused(reason: string): HttpError {
  return new HttpError({ status: 400, code: 'bad_request', field: 'body', reason });
}

/**
 * Writes an upload to `path` chunk by chunk while hashing it and parsing it as CSV, so the file is
 * never whole in memory, its rows are counted and a malformed file or header is refused before the
 * import exists. `checkHeader` throws (an HttpError) to refuse the header row; the upload stops there.
 * On any failure the partial file is removed. The file is flushed to disk before this resolves.
 */
export async function spoolUpload(options: {
  body: Readable;
  path: string;
  delimiter: string;
  maxBytes: number;
  checkHeader: (header: string[]) => void;
}): Promise<SpooledUpload> {
  const hash = createHash('sha256');
  const parser = createCsvParser({ delimiter: options.delimiter });
  let header: string[] | undefined;
  let records = 0;
  let failure: unknown;
  parser.on('data', (record: string[]) => {
    records += 1;
    if (records !== 1) return;
    header = record;
    try {
      options.checkHeader(record);
    } catch (error) {
      failure ??= error;
    }
  });
  parser.on('error', (error) => {
    failure ??= refused(`the file is not valid CSV: ${error.message}`);
  });
  const parsed = new Promise<void>((resolve) => {
    parser.once('end', resolve);
    parser.once('error', () => resolve());
  });

  const file = await open(options.path, 'wx');
  let bytes = 0;
  async function take(buffer: Buffer): Promise<void> {
    bytes += buffer.length;
    if (bytes > options.maxBytes) {
      throw new HttpError({
        status: 413,
        code: 'payload_too_large',
        reason: `the file is larger than the ${options.maxBytes} bytes an import may have`,
      });
    }
    hash.update(buffer);
    await file.write(buffer);
    if (!parser.write(buffer) && failure === undefined) await once(parser, 'drain').catch(() => undefined);
    if (failure !== undefined) throw failure;
  }
  // Piped rather than iterated: pipe() lets go of the request on an error without destroying it,
  // so Fastify still answers on the same connection.
  const sink = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      take(typeof chunk === 'string' ? Buffer.from(chunk) : chunk).then(() => callback(), callback);
    },
  });
  try {
    await new Promise<void>((resolve, reject) => {
      sink.once('finish', resolve);
      sink.once('error', reject);
      // A client that goes away mid-upload is no server failure.
      options.body.once('error', () => reject(refused('the upload was cut off before its end')));
      options.body.once('close', () => {
        if (!options.body.readableEnded) reject(refused('the upload was cut off before its end'));
      });
      options.body.pipe(sink);
    });
    parser.end();
    await parsed;
    if (failure !== undefined) throw failure;
    if (bytes === 0) throw refused('the file is empty');
    if (header === undefined) throw refused('the file has no header row');
    await file.sync();
    await file.close();
    return { bytes, sha256: hash.digest('hex'), header, rows: records - 1 };
  } catch (error) {
    // The unread rest is discarded, not left paused: a paused request never sees its client go
    // away, and its connection would hold the server's close open forever.
    options.body.unpipe(sink);
    options.body.resume();
    parser.destroy();
    await file.close().catch(() => undefined);
    await unlink(options.path).catch(() => undefined);
    throw error;
  }
}
