// Where the renderer may have the main process read a file by its path: only a file the officer picked in main's
// open dialog this session (dialog.openFile; electron/main/host.ts records each answer). A renderer that names any
// other path (a compromised page naming ~/.ssh/id_ed25519 as "the backup") is refused before anything is read.
// The counterpart of write-grants.ts, for reading; a read grant never allows writing.
import { CertDeskError } from '../../shared/errors.js';
import { realLocation } from './write-grants.js';

/** The files the officer picked in an open dialog this session (one ServiceSession's lifetime). */
export class ReadGrants {
  private readonly files = new Set<string>();

  /** A file answered by an open dialog (dialog.openFile): it may be read. */
  grantFile(path: string): void {
    this.files.add(realLocation(path));
  }

  /** Whether `path` really leads (symbolic links followed) to a file an open dialog answered. */
  allows(path: string): boolean {
    if (path.split(/[\\/]/).includes('..')) return false;
    return this.files.has(realLocation(path));
  }

  /**
   * Refuses a path the renderer named for reading unless the officer picked that file in an open dialog.
   * @param path the file from the request
   * @param field the request field, named in the message (e.g. "file")
   * @throws CertDeskError INVALID_INPUT "<field>: <path> was not picked in an open dialog this session; choose the
   *   file with its Choose… button", details { field, path }
   */
  check(path: string, field: string): void {
    if (this.allows(path)) return;
    throw new CertDeskError('INVALID_INPUT', `${field}: ${path} was not picked in an open dialog this session; choose the file with its Choose… button`, { field, path });
  }
}
