// Writes a bundle folder so that it only ever appears whole: every file goes into a hidden temporary
// folder beside the target, is flushed, and the folder is renamed at the end. A pulled stick or a full
// disk leaves at most a ".partial" folder that no one mistakes for a bundle (and we remove it on error).
import { createHash, randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { BundleFile } from '../../../shared/domain.js';
import { CertDeskError } from '../../../shared/errors.js';
import { escapeRegExp, ioError, nodeFileSink, type FileSink } from '../files.js';

export interface BundleEntry {
  name: string;
  data: Uint8Array | string;
  purpose: string;
  /** Owner-only permissions (the PFX). */
  private?: boolean;
}

export const MANIFEST_NAME = 'manifest.json';

export function checkParentFolder(parent: string): void {
  let st;
  try {
    st = statSync(parent);
  } catch {
    throw new CertDeskError('IO_ERROR', `cannot write to ${parent}: the folder does not exist`, { path: parent, code: 'ENOENT' });
  }
  if (!st.isDirectory()) throw new CertDeskError('IO_ERROR', `cannot write to ${parent}: it is not a folder`, { path: parent, code: 'ENOTDIR' });
}

export interface WrittenBundle {
  folder: string;
  files: BundleFile[];
}

/** The hidden folder writeBundle fills before renaming it to `folderName`: `.NAME.partial-<8 hex>`. */
export function partialFolderPattern(folderName: string): RegExp {
  return new RegExp(`^\\.${escapeRegExp(folderName)}\\.partial-[0-9a-f]{8}$`);
}

export function writeBundle(parent: string, folderName: string, entries: BundleEntry[], manifest: Record<string, unknown>, sink: FileSink = nodeFileSink): WrittenBundle {
  checkParentFolder(parent);
  const folder = uniqueFolder(parent, folderName, sink);
  const tmp = join(parent, `.${folderName}.partial-${randomBytes(4).toString('hex')}`);
  const files: BundleFile[] = entries.map((e) => {
    const bytes = typeof e.data === 'string' ? Buffer.from(e.data, 'utf8') : e.data;
    return { name: e.name, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length, purpose: e.purpose };
  });
  try {
    sink.mkdir(tmp);
    for (const e of entries) sink.writeNew(join(tmp, e.name), e.data, e.private ? 0o600 : 0o644);
    sink.writeNew(join(tmp, MANIFEST_NAME), JSON.stringify({ ...manifest, files }, null, 2) + '\n');
    sink.rename(tmp, folder);
  } catch (e) {
    try {
      sink.remove(tmp);
    } catch {
      // The original error matters more; a leftover ".partial" folder is visibly incomplete.
    }
    throw ioError(folder, e);
  }
  return { folder, files };
}

function uniqueFolder(parent: string, name: string, sink: FileSink): string {
  for (let i = 1; i < 1000; i++) {
    const candidate = join(parent, i === 1 ? name : `${name}-${i}`);
    if (!sink.exists(candidate)) return candidate;
  }
  throw new CertDeskError('IO_ERROR', `too many bundles named ${name} in ${parent}`, { path: parent });
}
