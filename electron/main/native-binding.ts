// better-sqlite3 is a native module: Node and Electron need different builds. An installed app has the
// Electron build in its asar-unpacked node_modules (electron-builder rebuilds it). In a development
// checkout, node_modules holds the Node build (for npm test and the CLI), and `npm start` first runs
// build/electron-native.mjs, which puts an Electron build beside it; this finds that one.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function electronBindingPath(appPath: string): string | undefined {
  const dir = join(appPath, 'node_modules', '.cache', 'certdesk-native');
  const tag = `electron-${process.versions.electron}-${process.platform}-${process.arch}`;
  const file = join(dir, tag, 'better_sqlite3.node');
  if (existsSync(file)) return file;
  const known = existsSync(join(dir, 'README')) ? readFileSync(join(dir, 'README'), 'utf8') : '';
  throw new Error(`no better-sqlite3 build for ${tag} in ${dir}; run "npm start" (it builds one), or "node build/electron-native.mjs".${known ? ` Present: ${known}` : ''}`);
}
