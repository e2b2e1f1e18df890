// The password list of a batch or a renewal run: CSV (holder, alias, file name, password), written to a
// file the operator names, never inside a bundle folder. Each line is flushed as soon as its bundle is
// complete, so an interrupted run keeps the passwords of everything it finished.
import { closeSync, fstatSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import { ioError } from '../files.js';

export const PASSWORD_LIST_HEADER = ['holder', 'alias', 'file', 'password'] as const;

export class PasswordList {
  private readonly fd: number;
  readonly path: string;

  /** Opens the list for appending (a resumed run adds to it); a new file gets the header line. Owner-only. */
  constructor(path: string) {
    this.path = path;
    try {
      this.fd = openSync(path, 'a', 0o600);
      if (fstatSync(this.fd).size === 0) this.write([...PASSWORD_LIST_HEADER]);
    } catch (e) {
      throw ioError(path, e);
    }
  }

  append(holder: string, alias: string | null, file: string, password: string): void {
    this.write([holder, alias ?? '', file, password]);
  }

  close(): void {
    closeSync(this.fd);
  }

  private write(cells: string[]): void {
    try {
      writeSync(this.fd, stringify([cells], { record_delimiter: 'windows' }));
      fsyncSync(this.fd);
    } catch (e) {
      throw ioError(this.path, e);
    }
  }
}
