// Runs the test files (dist/test/**/*.test.js) with Node's test runner, several files at once.
//
//   node build/test.mjs [SUBSTRING...]            the app's tests: every file except those under test/tooling/
//   node build/test.mjs --tooling [SUBSTRING...]  the slow checks of the build tooling: only test/tooling/
//                                                 (better-sqlite3 built from source, electron-builder's config, icons)
//
// `npm test` runs the first, `npm run test:tooling` the second; .ci/run runs both, and either failing fails CI.
// SUBSTRING arguments keep only the files whose path contains one of them.
//
// Which files: a compiled file runs only while its source test/**/*.test.ts exists, so a test moved or deleted
// in the sources does not keep running from a stale dist/. A directory argument would make Node 20 run every .js
// file under a "test" folder, the harness server included; globs in --test arguments arrive only with Node 21.
//
// How many at once: one file per core (os.availableParallelism()), at least 2. Files do not share state: each
// makes its own temporary folders (test/helpers/tmp.ts), vault files and ports (port 0 or freePort()).
//
// In what order: the files start in the order given to run(). The files in SLOW_FIRST start first, in its order,
// so the long ones (the crash loops, Samba, Chromium) run alongside the many short ones instead of ending the
// run alone; the rest follow in path order. The table comes from one measured run (seconds per file, 2 cores
// under load); a file missing from it only starts later, it still runs.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative, sep } from 'node:path';
import { run } from 'node:test';
import { spec, tap } from 'node:test/reporters';

const ROOT = join(import.meta.dirname, '..');
const DIST_TEST = join(ROOT, 'dist', 'test');
const TOOLING = 'tooling';

/**
 * Test files (paths under test/, with / separators) that start first, in this order. Seconds: one file's wall
 * time in a whole run before test/tooling/ was split off (2 cores, load average 10 to 20 from other work, so
 * only the ranking counts). The crash loops come first; then the files that mostly wait on external programs
 * (a Samba DC, Chromium, gpg-agent), which overlap well with the CPU-bound rest; then by measured time.
 */
const SLOW_FIRST = [
  'cli/cli-crash.test.ts',                       //  705 s
  'interop/samba-pkinit.test.ts',                //   65 s
  'e2e/desktop.test.ts',                         //   55 s
  'e2e/helpdesk-flow.test.ts',                   //   18 s (issue 14's files: timed alone, 2026-12-01)
  'renderer/details-dialogs.test.ts',            //   20 s
  'e2e/ca-lifecycle.test.ts',                    //   11 s
  'e2e/device-delivery.test.ts',                 //   11 s
  'core/backup.test.ts',                         //   30 s
  'interop/gpgsm-pfx.test.ts',                   //   75 s
  'cli/cli-ad-mapping.test.ts',                  //  190 s
  'cli/cli-export.test.ts',                      //  189 s
  'cli/cli-lifecycle.test.ts',                   //  135 s
  'cli/cli-delivery-tamper.test.ts',             //  122 s
  'cli/cli-batch.test.ts',                       //   89 s
  'cli/cli-pending.test.ts',                     //   81 s
  'cli/cli.test.ts',                             //   76 s
  'service/event-loop.test.ts',                  //   72 s
  'cli/cli-terminal-refs.test.ts',               //   59 s
  'cli/cli-sign-csr-rules.test.ts',              //   54 s
  'cli/cli-preflight.test.ts',                   //   54 s
  'renderer/stores.test.ts',                     //   40 s
  'service/service.test.ts',                     //   40 s
  'interop/openssl-pki.test.ts',                 //   36 s
  'interop/export-bundle.test.ts',               //   26 s
  'cli/readme-walkthrough.test.ts',              //   22 s
  'cli/cli-vault-verify.test.ts',                //   20 s
  'security/electronegativity.test.ts',          //   18 s
];

const args = process.argv.slice(2);
const tooling = args.includes('--tooling');
const only = args.filter((a) => a !== '--tooling');

const files = readdirSync(DIST_TEST, { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.test.js'))
  .map((f) => f.split(sep).join('/'))
  .filter((f) => existsSync(join(ROOT, 'test', f.replace(/\.js$/, '.ts'))))
  .filter((f) => f.startsWith(`${TOOLING}/`) === tooling)
  .filter((f) => only.length === 0 || only.some((o) => join(DIST_TEST, f).includes(o)));

const rank = (f) => {
  const i = SLOW_FIRST.indexOf(f.replace(/\.js$/, '.ts'));
  return i === -1 ? SLOW_FIRST.length : i;
};
files.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));

if (files.length === 0) {
  console.error(`build/test.mjs: no test file matches ${only.join(' ') || '(all)'}${tooling ? ' under test/tooling/' : ' outside test/tooling/ (those run with --tooling)'} in ${relative(ROOT, DIST_TEST)}; is the build done?`);
  process.exit(1);
}
// The CLI tests run the CLI as it ships, the bundle in dist/cli (build/cli-bundle.mjs, part of `npm run build`).
// After a `tsc -b` alone it is older than the code it was made from: make it again first, never test stale code.
const newest = (dir) => Math.max(0, ...readdirSync(dir, { recursive: true }).map((f) => statSync(join(dir, String(f))).mtimeMs));
const bundled = join(ROOT, 'dist', 'cli', 'certdesk.js');
if (!existsSync(bundled) || Math.max(newest(join(ROOT, 'dist', 'electron')), newest(join(ROOT, 'dist', 'shared'))) > statSync(bundled).mtimeMs) {
  console.error('build/test.mjs: dist/cli is older than dist/electron: bundling the CLI again (node build/cli-bundle.mjs)');
  execFileSync(process.execPath, [join(ROOT, 'build', 'cli-bundle.mjs')], { stdio: 'inherit' });
}

// run() rather than `node --test FILES`: the command line sorts its files by name, run() keeps this order.
// Each file still runs in a process of its own, as with --test. The report is the command line's default:
// spec on a terminal, TAP otherwise.
const stream = run({ files: files.map((f) => join(DIST_TEST, f)), concurrency: Math.max(2, availableParallelism()) });
stream.on('test:fail', (e) => {
  if (!e.todo) process.exitCode = 1;
});
stream.compose(process.stdout.isTTY ? new spec() : tap).pipe(process.stdout);
