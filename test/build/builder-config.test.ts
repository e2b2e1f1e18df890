// build/electron-builder.yml, checked the way electron-builder itself reads and checks it: its own config
// loader and schema validator (app-builder-lib, offline), and its own file matcher for the `files` globs.
// Packaging cannot run here (it downloads Electron), so this is what keeps the config honest.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync, type Stats } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

type ConfigModule = typeof import('app-builder-lib/out/util/config/config.js');
type MatcherModule = typeof import('app-builder-lib/out/fileMatcher.js');
type Configuration = Awaited<ReturnType<ConfigModule['getConfig']>>;
type DebugLogger = Parameters<ConfigModule['validateConfiguration']>[1];

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CONFIG = join(ROOT, 'build', 'electron-builder.yml');
const require = createRequire(join(ROOT, 'package.json'));
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as ConfigModule;
// getNodeModuleFileMatcher is exported but marked @internal, so it has no declaration.
type NodeModuleMatcher = (appDir: string, to: string, expand: (s: string) => string, options: object, packager: { config: Configuration; debugLogger: { isEnabled: boolean } }) => { createFilter(): (file: string, stat: Stats) => boolean };
const { getFileMatchers, getNodeModuleFileMatcher } = require('app-builder-lib/out/fileMatcher.js') as MatcherModule & { getNodeModuleFileMatcher: NodeModuleMatcher };
const { Minimatch } = require('minimatch') as typeof import('minimatch');
const noDebug = { isEnabled: false, add() {} } as unknown as DebugLogger;
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main: string; scripts: Record<string, string> };

/** A path main.ts builds with join(APP_DIR, 'a', 'b'), so the packaged files follow what the app loads. */
function appPath(name: string): string {
  const main = readFileSync(join(ROOT, 'electron', 'main', 'main.ts'), 'utf8');
  const m = new RegExp(`const ${name} = join\\(APP_DIR, ((?:'[^']+',? ?)+)\\)`).exec(main);
  assert.ok(m?.[1], `cannot find ${name} = join(APP_DIR, ...) in electron/main/main.ts`);
  return m[1].split(',').map((s) => s.trim().replace(/^'|'$/g, '')).join('/');
}

let loaded: Promise<Configuration> | undefined;
/** Loaded by electron-builder's own loader, exactly as `electron-builder --config build/electron-builder.yml` does. */
function config(): Promise<Configuration> {
  loaded ??= getConfig(ROOT, CONFIG, null);
  return loaded;
}

test('the config passes electron-builder\'s schema validation, and the validator does reject mistakes', async () => {
  const cfg = await config();
  await validateConfiguration(cfg, noDebug);
  // A misspelt fuse must fail: proves the validator checks the fuse keys we rely on.
  const typo = { ...cfg, electronFuses: { ...cfg.electronFuses, runAsnode: false } } as Configuration;
  await assert.rejects(validateConfiguration(typo, noDebug), /electronFuses/);
});

test('npm run dist uses this config, and writes to release/, which git ignores', async () => {
  const cfg = await config();
  assert.match(pkg.scripts.dist ?? '', /electron-builder --config build\/electron-builder\.yml/);
  assert.equal(cfg.directories?.output, 'release');
  assert.match(readFileSync(join(ROOT, '.gitignore'), 'utf8'), /^\/?release\/?$/m);
  assert.equal(cfg.productName, 'CertDesk');
  assert.ok(cfg.appId);
});

test('Electron fuses: RunAsNode, NODE_OPTIONS and inspect off; app only from asar; cookies encrypted', async () => {
  const fuses = (await config()).electronFuses;
  assert.ok(fuses);
  assert.equal(fuses.runAsNode, false);
  assert.equal(fuses.enableNodeOptionsEnvironmentVariable, false);
  assert.equal(fuses.enableNodeCliInspectArguments, false);
  assert.equal(fuses.onlyLoadAppFromAsar, true);
  assert.equal(fuses.enableCookieEncryption, true);
  assert.equal(fuses.grantFileProtocolExtraPrivileges, false);
});

test('targets: AppImage and deb, NSIS, dmg', async () => {
  const cfg = await config();
  const names = (t: unknown) => (Array.isArray(t) ? t : [t]).map((x) => (typeof x === 'string' ? x : (x as { target: string }).target));
  assert.deepEqual(names(cfg.linux?.target), ['AppImage', 'deb']);
  assert.deepEqual(names(cfg.win?.target), ['nsis']);
  assert.deepEqual(names(cfg.mac?.target), ['dmg']);
});

test('native modules: rebuilt for Electron at packaging, .node files unpacked from the asar', async () => {
  const cfg = await config();
  assert.notEqual(cfg.npmRebuild, false);
  assert.notEqual(cfg.asar, false);
  const unpack = [cfg.asarUnpack ?? []].flat().map((p) => new Minimatch(p, { dot: true }));
  for (const file of ['node_modules/better-sqlite3/build/Release/better_sqlite3.node', 'node_modules/some/nested/addon.node']) {
    assert.ok(unpack.some((m) => m.match(file)), `${file} is not unpacked`);
  }
  assert.ok(!unpack.some((m) => m.match(pkg.main)), 'the main entry should stay inside the asar');
});

test('files: the built app and package.json go in; tests, benchmarks and sources stay out', async () => {
  const cfg = await config();
  const matchers = getFileMatchers(cfg, 'files', '/app', { macroExpander: (s) => s, customBuildOptions: {}, globalOutDir: join(ROOT, 'release'), defaultSrc: ROOT });
  assert.ok(matchers?.length === 1, 'one set of patterns relative to the project');
  const filter = matchers[0]!.createFilter();
  // The filter is called for every folder on the way down, then for the file.
  const fake = (dir: boolean) => ({ isDirectory: () => dir }) as Stats;
  const included = (rel: string) => {
    const parts = rel.split('/');
    return parts.every((_, i) => {
      const path = join(ROOT, ...parts.slice(0, i + 1));
      const last = i === parts.length - 1;
      return filter(path, existsSync(path) ? statSync(path) : fake(!last));
    });
  };
  assert.ok(existsSync(join(ROOT, pkg.main)), `${pkg.main} is built`);
  const renderer = appPath('RENDERER_DIR');
  for (const rel of [pkg.main, 'package.json', 'dist/electron/core/vault/sqlite.js', 'dist/shared/api.js', `${renderer}/index.html`, `${renderer}/assets/index.js`, appPath('PRELOAD')]) {
    assert.ok(included(rel), `${rel} should be packaged`);
  }
  for (const rel of ['dist/test/build/builder-config.test.js', 'dist/bench/queries.js', 'electron/main/main.ts', 'renderer/index.html', 'build/electron-native.mjs', 'README.md']) {
    assert.ok(!included(rel), `${rel} should not be packaged`);
  }
});

test('files: of better-sqlite3 only what runs is packaged, not its sources or build leftovers', async () => {
  const cfg = await config();
  // The matcher electron-builder applies to production dependencies (platformPackager.js); it reads only
  // `config` and `debugLogger` from the packager.
  const filter = getNodeModuleFileMatcher(ROOT, '/app', (s) => s, {}, { config: cfg, debugLogger: { isEnabled: false } }).createFilter();
  const file = { isDirectory: () => false } as Stats;
  const pkgDir = 'node_modules/better-sqlite3';
  for (const rel of ['lib/index.js', 'lib/database.js', 'package.json', 'build/Release/better_sqlite3.node']) {
    assert.ok(filter(join(ROOT, pkgDir, rel), file), `${pkgDir}/${rel} should be packaged`);
  }
  for (const rel of ['src/better_sqlite3.cpp', 'deps/sqlite3/sqlite3.c', 'build/Release/obj.target/better_sqlite3.node', 'build/Release/test_extension.node']) {
    assert.ok(!filter(join(ROOT, pkgDir, rel), file), `${pkgDir}/${rel} should not be packaged`);
  }
});
