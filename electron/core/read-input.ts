// The one way a file named by path is read (the CLI's CSR, certificate, key, PFX, CSV, password file, letter
// template; the backup share files the app's restore was given): the size is checked with fstat before anything is read, so a 2 GB file is refused without
// being read, and a device or pipe (whose fstat size says nothing) is read only up to the limit.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { CertDeskError } from '../../shared/errors.js';
import { checkInputSize, INPUT_LIMITS, type InputKind } from './input-limits.js';

/**
 * Reads a whole input file of a kind with a size limit (core/input-limits.ts).
 * @param path the file, as given on the command line
 * @param kind which limit applies
 * @param what what the file is, for the read-error message (e.g. "--csv")
 * @returns the file's bytes
 * @throws CertDeskError INVALID_INPUT naming the path, its size and the limit, when it is larger;
 *   IO_ERROR "<what>: cannot read <path> (<errno code>)" when it cannot be opened or read
 */
export function readInputFile(path: string, kind: InputKind, what: string): Uint8Array {
  const limit = INPUT_LIMITS[kind];
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw readError(path, what, e);
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new CertDeskError('IO_ERROR', `${what}: cannot read ${path} (EISDIR)`, { path });
    // A regular file says its size: refuse before reading. Anything else is read up to one byte past the limit.
    if (stat.isFile()) checkInputSize(kind, stat.size, path);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(64 * 1024, limit + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > limit) checkInputSize(kind, total, path, false); // a pipe, a device, or a file that grew
    }
    return new Uint8Array(Buffer.concat(chunks, total));
  } catch (e) {
    if (e instanceof CertDeskError) throw e;
    throw readError(path, what, e);
  } finally {
    closeSync(fd);
  }
}

function readError(path: string, what: string, e: unknown): CertDeskError {
  return new CertDeskError('IO_ERROR', `${what}: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'})`, { path });
}
