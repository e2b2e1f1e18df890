// Writing a backup or a restored vault under a name that must be new: a temporary sibling (owner-only, created
// exclusively), written and flushed, linked (or renamed) into place, and the folder flushed; never over an existing file.
// Through a FileSink (files.ts), so tests see every byte written and every temporary name.
import { existsSync, linkSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { ioError, nodeFileSink, type FileSink } from '../files.js';

/** The temporary sibling's name: `.NAME.<uuid>.tmp` in the target's folder. */
export function tmpSibling(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomUUID()}.tmp`);
}

/**
 * Writes `data` to the new file `tmp` (mode 0600, exclusive create, flushed), moves it to `path` unless
 * something appeared there meanwhile, and flushes the folder. The temporary file is removed on any failure.
 * @param onExists the error to throw when `path` exists
 * @throws what onExists returns; CertDeskError IO_ERROR (ioError: disk full, permission denied, …)
 */
export async function writeNewAtomic(path: string, data: Uint8Array, onExists: () => Error, sink: FileSink = nodeFileSink): Promise<void> {
  const tmp = tmpSibling(path);
  try {
    sink.writeNew(tmp, data, 0o600, true);
  } catch (e) {
    sink.remove(tmp);
    throw ioError(path, e);
  }
  await moveIntoPlace(tmp, path, onExists, sink);
}

/** Errors of link(2) on a file system without hard links (FAT and exFAT sticks, some network shares). */
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK', 'EACCES']);

/**
 * Moves a complete, flushed temporary file to `path` and flushes the folder; refuses when `path` exists. The
 * move is a hard link (link(2) fails with EEXIST rather than replace a file that appeared a moment ago) and
 * the temporary name is removed; where the file system has no hard links it is a rename after a last check.
 * @throws what onExists returns (the temporary file removed); CertDeskError IO_ERROR when the move or flush fails
 */
export async function moveIntoPlace(tmp: string, path: string, onExists: () => Error, sink: FileSink = nodeFileSink): Promise<void> {
  const refuse = () => {
    sink.remove(tmp);
    return onExists();
  };
  if (existsSync(path)) throw refuse();
  try {
    linkSync(tmp, path);
    sink.remove(tmp);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    if (code === 'EEXIST') throw refuse();
    if (!NO_LINKS.has(code)) {
      sink.remove(tmp);
      throw ioError(path, e);
    }
    if (existsSync(path)) throw refuse();
    try {
      sink.rename(tmp, path);
    } catch (e2) {
      sink.remove(tmp);
      throw ioError(path, e2);
    }
  }
  try {
    await sink.flush([], [dirname(path)]);
  } catch (e) {
    throw ioError(path, e);
  }
}
