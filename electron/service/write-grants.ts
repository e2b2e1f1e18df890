// Where the renderer may have the main process write: only a file or folder the officer picked in a native
// dialog this session (electron/main/host.ts records each answer), or a place inside a picked folder. A
// renderer that names any other path (a compromised page naming ~/.bashrc as the batch password list) is
// refused before anything is written. Paths are compared by where they really lead: symbolic links are
// followed (fs.realpath) for the part that exists, so a link inside the chosen folder that points out of it
// does not count as inside, and a ".." segment is refused outright (a dialog never answers with one).
import { realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { CertDeskError } from '../../shared/errors.js';

/** Where a path really leads: realpath of its deepest existing ancestor, plus the segments that do not exist yet. */
export function realLocation(path: string): string {
  const abs = resolve(path);
  try {
    return realpathSync.native(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const parent = dirname(abs);
    if ((code === 'ENOENT' || code === 'ENOTDIR') && parent !== abs) return join(realLocation(parent), basename(abs));
    return abs;
  }
}

/**
 * Whether `path` is `folder` or lies inside it, never through a hidden name (".bashrc", ".config/autostart"):
 * a folder the officer chose for bundles does not make their shell start-up files or autostart entries
 * writable, and CertDesk itself never names such a place for the renderer.
 */
function inside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  if (rel === '') return true;
  if (rel.startsWith('..') || isAbsolute(rel)) return false;
  return !rel.split(/[\\/]/).some((segment) => segment.startsWith('.'));
}

/** What a grant must be for a request field: a place inside a chosen folder, or exactly a file a dialog answered. */
export type GrantKind = 'inside-folder' | 'exact-file';

/** The places the officer chose in a dialog this session (one ServiceSession's lifetime). */
export class WriteGrants {
  private readonly files = new Set<string>();
  private readonly folders = new Set<string>();
  private readonly modules = new Set<string>();

  /** A file answered by a save or open dialog (dialog.saveFile, dialog.openVault): that file may be written. */
  grantFile(path: string): void {
    this.files.add(realLocation(path));
  }

  /**
   * A PKCS#11 module file answered by dialog.openModule (issue 15): main may load (dlopen) it. Kept apart from
   * the write grants: a file chosen to be written is never one main loads as code.
   */
  grantModule(path: string): void {
    this.modules.add(realLocation(path));
  }

  /**
   * Refuses a PKCS#11 module path the renderer named unless it is one of `known` (knownModules()) or the file
   * dialog.openModule answered this session: main never loads a library the window merely names.
   * @throws CertDeskError INVALID_INPUT "<field>: <path> is not a known PKCS#11 module and was not chosen …", details { field, path }
   */
  checkModule(path: string, field: string, known: readonly string[]): void {
    if (!path.split(/[\\/]/).includes('..') && (known.includes(path) || this.modules.has(realLocation(path)))) return;
    throw new CertDeskError('INVALID_INPUT', `${field}: ${path} is not a known PKCS#11 module and was not chosen in the module dialog this session; choose the module file with its Choose… button`, { field, path });
  }

  /** A folder answered by a folder dialog (dialog.chooseFolder): it and everything really inside it may be written. */
  grantFolder(path: string): void {
    this.folders.add(realLocation(path));
  }

  /**
   * Whether `path` is a granted file, or (kind 'inside-folder') really lies inside, or is, a granted folder
   * without passing through a hidden name. Kind 'exact-file' (a file CertDesk appends to or replaces: the
   * password list, a vault) takes only a file a dialog answered itself.
   */
  allows(path: string, kind: GrantKind = 'inside-folder'): boolean {
    if (path.split(/[\\/]/).includes('..')) return false;
    const real = realLocation(path);
    if (this.files.has(real)) return true;
    if (kind === 'exact-file') return false;
    for (const folder of this.folders) if (inside(folder, real)) return true;
    return false;
  }

  /**
   * Refuses a path the renderer named for writing unless the officer chose it (or a folder holding it) in a
   * dialog this session.
   * @param path the file or folder from the request
   * @param field the request field, named in the message (e.g. "passwordsFile", "delivery.folder")
   * @param kind 'inside-folder' (default) or 'exact-file' (see allows)
   * @throws CertDeskError INVALID_INPUT "<field>: <path> was not chosen in a dialog this session …", details { field, path }
   */
  check(path: string, field: string, kind: GrantKind = 'inside-folder'): void {
    if (this.allows(path, kind)) return;
    const why = path.split(/[\\/]/).includes('..')
      ? " (a path with '..' is never one a dialog answered)"
      : kind === 'exact-file'
        ? ' (this file must be the one a save or open dialog answered, not only a place in a chosen folder)'
        : '';
    throw new CertDeskError(
      'INVALID_INPUT',
      `${field}: ${path} was not chosen in a dialog this session${why}; choose the ${field.toLowerCase().endsWith('folder') ? 'folder' : 'file'} with its Choose… button`,
      { field, path },
    );
  }
}
