// build/electron-builder.yml, checked the way electron-builder itself reads and checks it: its own config
// loader and schema validator (app-builder-lib, offline), and its own file matcher for the `files` globs.
// Packaging cannot run here (it downloads Electron), so this is what keeps the config honest.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../helpers/tmp.js';

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
// app-builder-lib logs ("• loaded configuration") to stdout, which in a test file's process is the test runner's
// own channel: a multi-byte line there can break its frames ("Unable to deserialize cloned data", nodejs/node#66164).
// builder-util's logger (the one app-builder-lib logs with) writes to stderr instead.
(require(require.resolve('builder-util/out/log.js', { paths: [require.resolve('app-builder-lib')] })) as { log: { stream: NodeJS.WritableStream } }).log.stream = process.stderr;
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

/**
 * Every fuse in electron-builder's scheme (FuseOptionsV1), with the value CertDesk needs, or `null` for
 * one deliberately left at Electron's default. A fuse added by a newer electron-builder fails the test
 * below until it is decided here.
 */
const REQUIRED_FUSES: Readonly<Record<string, boolean | null>> = {
  runAsNode: false,
  enableCookieEncryption: true,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  loadBrowserProcessSpecificV8Snapshot: null, // needs a separate browser snapshot; not built
  grantFileProtocolExtraPrivileges: false,
  resetAdHocDarwinSignature: true, // not a fuse: re-signs ad hoc after flipping (see the yml)
};

test('Electron fuses: every fuse of electron-builder\'s scheme is decided, and set to the required value', async () => {
  const scheme = JSON.parse(readFileSync(join(dirname(require.resolve('app-builder-lib/package.json')), 'scheme.json'), 'utf8')) as {
    definitions: { FuseOptionsV1: { properties: Record<string, { type: string }> } };
  };
  const known = scheme.definitions.FuseOptionsV1.properties;
  assert.deepEqual(Object.keys(known).sort(), Object.keys(REQUIRED_FUSES).sort(), 'the fuses in app-builder-lib/scheme.json and REQUIRED_FUSES differ');
  const fuses = (await config()).electronFuses as Record<string, unknown> | undefined;
  assert.ok(fuses);
  for (const [key, want] of Object.entries(REQUIRED_FUSES)) {
    assert.equal(known[key]?.type, 'boolean', `${key} is not a boolean in the scheme`);
    assert.equal(fuses[key], want ?? undefined, `electronFuses.${key}`);
  }
});

test('Electron fuses: electron-builder hands each one to @electron/fuses as the wire it names', async () => {
  // What electron-builder passes to flipFuses() just before signing (platformPackager.js). It uses no
  // packager state, and reaches @electron/fuses the way packaging does.
  type FuseConfigFn = (fuses: object) => Promise<Record<string | number, unknown>>;
  // From the package's entry point: loading platformPackager.js on its own trips over a require cycle.
  const { PlatformPackager } = require('app-builder-lib') as { PlatformPackager: { prototype: object } };
  const generate = (PlatformPackager.prototype as { generateFuseConfig: FuseConfigFn }).generateFuseConfig;
  const wires = await generate.call(null, (await config()).electronFuses!);
  const requireFromBuilder = createRequire(require.resolve('app-builder-lib/package.json'));
  const { FuseV1Options } = requireFromBuilder('@electron/fuses') as { FuseV1Options: Record<string, number> };
  for (const [key, want] of Object.entries(REQUIRED_FUSES)) {
    if (key === 'resetAdHocDarwinSignature') {
      assert.equal(wires[key], want);
      continue;
    }
    const wire = FuseV1Options[key[0]!.toUpperCase() + key.slice(1)];
    assert.equal(typeof wire, 'number', `@electron/fuses has no FuseV1Options for ${key}`);
    assert.equal(wires[wire!], want ?? undefined, `wire ${wire} (${key})`);
  }
});

test('asar integrity: the archive is packed and its hash embedded, or the integrity fuse would stop the app', async () => {
  // With the fuse on and no hash in Info.plist / the .exe resource, Electron terminates at start.
  const cfg = await config();
  assert.notEqual(cfg.asar, false);
  assert.notEqual(cfg.disableAsarIntegrity, true);
  assert.equal(cfg.electronFuses?.onlyLoadAppFromAsar, true, 'without it, an app/ folder next to app.asar bypasses the check');
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
  for (const rel of [pkg.main, 'package.json', 'dist/electron/core/vault/sqlite.js', 'dist/shared/api.js', `${renderer}/index.html`, `${renderer}/assets/index.js`, `${renderer}/icon.png`, appPath('PRELOAD')]) {
    assert.ok(included(rel), `${rel} should be packaged`);
  }
  for (const rel of ['dist/test/tooling/builder-config.test.js', 'dist/bench/queries.js', 'electron/main/main.ts', 'renderer/index.html', 'build/electron-native.mjs', 'README.md']) {
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

test('icons: electron-builder takes ours for Windows, macOS and Linux, never Electron\'s default', async (t) => {
  // The lookups electron-builder makes when packaging (getOrConvertIcon for the .ico and the .icns,
  // LinuxTargetHelper for the hicolor set), on a stand-in packager with only what they read.
  const cfg = await config();
  const out = tempDir(t);
  type Proto = Record<'getOrConvertIcon' | 'resolveIcon' | 'getDefaultFrameworkIcon' | 'getResource', unknown>;
  const P = (require('app-builder-lib') as { PlatformPackager: { prototype: Proto } }).PlatformPackager.prototype;
  const { LinuxTargetHelper } = require('app-builder-lib/out/targets/LinuxTargetHelper.js') as {
    LinuxTargetHelper: new (packager: object) => { icons: Promise<{ file: string; size: number }[]> };
  };
  // The .ico and .icns are made by an icon tool that electron-builder downloads when packaging: a
  // stand-in records which file it is given and leaves a minimal result where electron-builder looks.
  type Run = (o: { inputFile: string; outputFormat: string; outDir: string }) => Promise<void>;
  const tool = require('app-builder-lib/out/toolsets/icons.js') as { runIconsTool: Run };
  const original = tool.runIconsTool;
  const given: Record<string, string> = {};
  tool.runIconsTool = async ({ inputFile, outputFormat, outDir }) => {
    given[outputFormat] = inputFile;
    const ico = Buffer.alloc(22); // an ICO directory with one 256 px entry
    ico.writeUInt16LE(1, 2);
    ico.writeUInt16LE(1, 4);
    writeFileSync(join(outDir, `icon.${outputFormat}`), outputFormat === 'ico' ? ico : Buffer.alloc(0));
  };
  t.after(() => {
    tool.runIconsTool = original;
  });
  const DEFAULT = '(Electron default icon)';
  // Class methods are not enumerable: copied one by one.
  const packager = (platform: 'win' | 'mac' | 'linux') => ({
    getOrConvertIcon: P.getOrConvertIcon,
    resolveIcon: P.resolveIcon,
    getDefaultFrameworkIcon: P.getDefaultFrameworkIcon,
    getResource: P.getResource,
    config: { ...cfg, directories: { ...cfg.directories, output: out } },
    platformSpecificBuildOptions: cfg[platform] ?? {},
    projectDir: ROOT,
    buildResourcesDir: join(ROOT, cfg.directories?.buildResources ?? 'build'),
    info: { framework: { name: 'electron', getDefaultIcon: () => DEFAULT } },
    expandMacro: (s: string) => s,
  });
  const icon = (platform: 'win' | 'mac', format: 'ico' | 'icns') => {
    const p = packager(platform);
    return (p.getOrConvertIcon as (f: string) => Promise<string | null>).call(p, format);
  };

  assert.notEqual(await icon('win', 'ico'), DEFAULT);
  assert.equal(given.ico, join(ROOT, 'build', 'icon.png'), 'the Windows .ico is made from build/icon.png');
  assert.notEqual(await icon('mac', 'icns'), DEFAULT);
  assert.equal(given.icns, join(ROOT, 'build', 'icon-mac.png'), 'the macOS .icns is made from build/icon-mac.png');

  const linux = await new LinuxTargetHelper(packager('linux')).icons;
  assert.equal(given.set, undefined, 'the Linux set is used as it is, not converted');
  assert.deepEqual(
    linux.map(({ file, size }) => [size, file]),
    [16, 24, 32, 48, 64, 128, 256, 512].map((n) => [n, join(ROOT, 'build', 'icons', `${n}x${n}.png`)]),
  );
});
