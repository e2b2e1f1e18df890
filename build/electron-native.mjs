#!/usr/bin/env node
// Builds better-sqlite3 for Electron's ABI into
//   node_modules/.cache/certdesk-native/electron-<version>-<platform>-<arch>/better_sqlite3.node
// (where electron/main/native-binding.ts looks for it in a development checkout), without touching
// node_modules/better-sqlite3/build: that one stays the Node build that `npm test` and the CLI load.
// pkcs11js (PKCS#11 tokens) needs nothing here: it is a Node-API addon (napi_register_module_v1), whose one
// binary loads in Node and in Electron alike (test/pkcs11/pkcs11-engine.test.ts checks the export).
//
// It works on a copy of the package in a temporary folder: first prebuild-install (a prebuilt binary
// from better-sqlite3's releases or npm's _prebuilds cache), then node-gyp against Electron's headers.
// `--runtime node --target <version> --out DIR` builds for Node instead, so the same path is tested
// where Electron's headers cannot be downloaded.
//
// Usage: node build/electron-native.mjs [--runtime electron|node] [--target VERSION] [--arch ARCH]
//                                       [--out DIR] [--force]
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(ROOT, 'package.json'));
const CACHE = join(ROOT, 'node_modules', '.cache', 'certdesk-native');
const FILE = 'better_sqlite3.node';

class BuildError extends Error {}

function fail(message) {
  throw new BuildError(message);
}

function packageDir(name, from = ROOT) {
  try {
    return dirname(createRequire(join(from, 'package.json')).resolve(`${name}/package.json`));
  } catch {
    return fail(`cannot find the ${name} package from ${from}; run "npm install" first`);
  }
}

function options() {
  const { values } = parseArgs({
    options: {
      runtime: { type: 'string', default: 'electron' },
      target: { type: 'string' },
      arch: { type: 'string', default: process.arch },
      out: { type: 'string' },
      force: { type: 'boolean', default: false },
    },
  });
  const runtime = values.runtime;
  if (runtime !== 'electron' && runtime !== 'node') fail(`--runtime must be "electron" or "node", not "${runtime}"`);
  let target = values.target;
  let abi; // the NODE_MODULE_VERSION the binary must carry, when known
  if (runtime === 'electron') {
    const electron = packageDir('electron');
    const installed = JSON.parse(readFileSync(join(electron, 'package.json'), 'utf8')).version;
    target ??= installed;
    const abiFile = join(electron, 'abi_version');
    if (target === installed && existsSync(abiFile)) abi = readFileSync(abiFile, 'utf8').trim();
  } else {
    target ??= process.versions.node;
    if (target.replace(/^v/, '') === process.versions.node) abi = process.versions.modules;
  }
  target = target.replace(/^v/, '');
  const tag = `${runtime}-${target}-${process.platform}-${values.arch}`;
  const out = resolve(values.out ?? join(CACHE, tag));
  return { runtime, target, arch: values.arch, abi, tag, out, force: values.force };
}

/**
 * The ABI a V8-API addon was compiled for: such addons export `node_register_module_v<ABI>`, and the
 * name is stored as plain text in ELF, PE and Mach-O files alike. This is what catches a build that
 * silently used Node's headers (e.g. npm's `nodedir` leaking in) while claiming to be for Electron.
 */
function abiOf(file) {
  const m = /node_register_module_v(\d+)/.exec(readFileSync(file).toString('latin1'));
  return m ? m[1] : undefined;
}

function checkAbi(file, want, what) {
  const got = abiOf(file);
  if (want && got && got !== want) fail(`${what} is built for ABI ${got}, but ${want} is needed`);
}

/**
 * The environment for prebuild-install and node-gyp. node-gyp lets npm_config_* variables override its
 * command line, and `npm start` exports the project's npm config (here `nodedir`, pointing at Node's
 * headers), so those that decide what is built are dropped; proxy and certificate settings stay.
 */
function childEnv(runtime) {
  const drop = /^npm_config_(runtime|target|target_arch|arch|dist_url|disturl|build_from_source|platform|libc)$|^npm_package_/i;
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !drop.test(k)));
  if (runtime === 'electron') for (const k of Object.keys(env)) if (/^npm_config_nodedir$/i.test(k)) delete env[k];
  return env;
}

/** node-gyp: the one npm runs scripts with, else npm's bundled copy, else one in node_modules. */
function nodeGyp() {
  const candidates = [process.env.npm_config_node_gyp];
  if (process.env.npm_execpath) candidates.push(join(dirname(dirname(process.env.npm_execpath)), 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  const bin = dirname(process.execPath);
  candidates.push(join(bin, '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js')); // Unix installs
  candidates.push(join(bin, 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js')); // Windows installs
  try {
    candidates.push(require.resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    /* not installed locally */
  }
  return candidates.find((c) => c && existsSync(c)) ?? fail('cannot find node-gyp (neither npm_config_node_gyp, npm\'s bundled copy, nor node_modules/node-gyp)');
}

function run(what, args, cwd, env) {
  console.error(`electron-native: ${what}: ${[process.execPath, ...args].join(' ')}`);
  const r = spawnSync(process.execPath, args, { cwd, env, stdio: 'inherit' });
  if (r.error) fail(`${what} could not start: ${r.error.message}`);
  return r.status === 0;
}

function build(opts) {
  const pkg = packageDir('better-sqlite3');
  const work = mkdtempSync(join(tmpdir(), 'certdesk-native-'));
  try {
    // Only what the build needs; never the package's own build/ folder.
    cpSync(join(pkg, 'package.json'), join(work, 'package.json'));
    cpSync(join(pkg, 'binding.gyp'), join(work, 'binding.gyp'));
    cpSync(join(pkg, 'src'), join(work, 'src'), { recursive: true });
    cpSync(join(pkg, 'deps'), join(work, 'deps'), { recursive: true });
    const env = childEnv(opts.runtime);
    const built = join(work, 'build', 'Release', FILE);
    const target = [`--runtime=${opts.runtime}`, `--target=${opts.target}`, `--arch=${opts.arch}`];

    const prebuild = join(packageDir('prebuild-install', pkg), 'bin.js');
    const gotPrebuilt = run('prebuild-install', [prebuild, ...target, '--verbose'], work, env) && existsSync(built);
    if (!gotPrebuilt) {
      console.error('electron-native: no prebuilt binary; building from source with node-gyp');
      const gypArgs = [nodeGyp(), 'rebuild', '--release', '--jobs=max', ...target];
      if (opts.runtime === 'electron') gypArgs.push('--dist-url=https://electronjs.org/headers');
      else if (!env.npm_config_nodedir && opts.abi) {
        // Building for the running Node: use its own headers when it ships them (Unix installs do),
        // instead of downloading them.
        const prefix = resolve(dirname(process.execPath), '..');
        if (existsSync(join(prefix, 'include', 'node', 'node_version.h'))) gypArgs.push(`--nodedir=${prefix}`);
      }
      if (!run('node-gyp', gypArgs, work, env)) {
        fail(`node-gyp could not build better-sqlite3 for ${opts.tag} (see its output above). It needs Python 3, a C++ compiler` +
          (opts.runtime === 'electron' ? ' and Electron\'s headers from https://electronjs.org/headers (internet access)' : ' and Node\'s headers'));
      }
      if (!existsSync(built)) fail(`node-gyp reported success but left no ${FILE} in ${join(work, 'build', 'Release')}`);
    }
    checkAbi(built, opts.abi, gotPrebuilt ? 'the prebuilt binary' : 'the node-gyp build');
    mkdirSync(opts.out, { recursive: true });
    const tmp = join(opts.out, `${FILE}.${process.pid}.tmp`);
    copyFileSync(built, tmp);
    renameSync(tmp, join(opts.out, FILE));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** native-binding.ts quotes this list when the build it wants is missing. */
function writeIndex() {
  if (!existsSync(CACHE)) return;
  const present = readdirSync(CACHE).filter((d) => existsSync(join(CACHE, d, FILE)));
  writeFileSync(join(CACHE, 'README'), `${present.join(', ')}\n`);
}

try {
  const opts = options();
  const file = join(opts.out, FILE);
  let fresh = !opts.force && existsSync(file);
  if (fresh && opts.abi && abiOf(file) && abiOf(file) !== opts.abi) {
    console.error(`electron-native: ${file} has ABI ${abiOf(file)}, not ${opts.abi}; rebuilding`);
    fresh = false;
  }
  if (fresh) {
    console.error(`electron-native: ${file} exists (${opts.tag})`);
  } else {
    const started = Date.now();
    build(opts);
    console.error(`electron-native: wrote ${file} (${opts.tag}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  writeIndex();
} catch (e) {
  const expected = e instanceof BuildError || String(e?.code).startsWith('ERR_PARSE_ARGS'); // no stack for those
  console.error(`electron-native: ${expected ? e.message : e instanceof Error ? e.stack : e}`);
  process.exit(1);
}
