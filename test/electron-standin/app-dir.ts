// An app folder for the stand-in to start, as `electron .` would be given one: the project's package.json,
// its built dist/ (linked), and where native-binding.ts looks in a development checkout,
// node_modules/.cache/certdesk-native/electron-<version>-<platform>-<arch>/better_sqlite3.node. Under the
// stand-in that file is the Node build of better-sqlite3 (the runtime here is Node); on a machine with
// Electron, build/electron-native.mjs puts Electron's build there. The project's own node_modules stay
// untouched.
import { copyFileSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The Electron version the project installs (node_modules/electron/package.json). */
export function electronVersion(): string {
  return (JSON.parse(readFileSync(join(ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version;
}

/** Lays out an app folder at `dir` (created) and returns it. */
export function makeAppDir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  symlinkSync(join(ROOT, 'dist'), join(dir, 'dist'), 'dir');
  const binding = join(dirname(createRequire(join(ROOT, 'package.json')).resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');
  const cache = join(dir, 'node_modules', '.cache', 'certdesk-native', `electron-${electronVersion()}-${process.platform}-${process.arch}`);
  mkdirSync(cache, { recursive: true });
  copyFileSync(binding, join(cache, 'better_sqlite3.node'));
  return dir;
}
