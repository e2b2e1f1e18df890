// Runs the test files (dist/test/**/*.test.js) with Node's test runner, several files at once.
//
//   node build/test.mjs [SUBSTRING...]            the app's tests: every file except those under test/tooling/
//   node build/test.mjs --tooling [SUBSTRING...]  the slow checks of the build tooling: only test/tooling/
//                                                 (better-sqlite3 built from source, electron-builder's config, icons)
//   node build/test.mjs --times FILE [...]         as above, and each file's wall and CPU time (its own and its
//                                                 child processes', build/test-times.mjs) as JSON lines in FILE,
//                                                 summed up on stderr at the end: what SLOW_FIRST is made from
//   node build/test.mjs --cpu-prof DIR [...]       as above, and a CPU profile of every Node process's main thread
//                                                 in DIR (build/test-cpu-prof.mjs): where the suite's time goes
//   node build/test.mjs --jobs N [...]             as above, N test files at once instead of one per core
//
// `npm test` runs the first, `npm run test:tooling` the second; .ci/run runs both, and either failing fails CI.
// SUBSTRING arguments keep only the files whose path contains one of them.
//
// Which files: a compiled file runs only while its source test/**/*.test.ts exists, so a test moved or deleted
// in the sources does not keep running from a stale dist/. A directory argument would make Node 20 run every .js
// file under a "test" folder, the harness server included; globs in --test arguments arrive only with Node 21.
//
// How many at once: one file per core (os.availableParallelism()), at least 2, or N with --jobs N. One more than
// the cores did not pay: on 2 cores, 649 s with 3 at once against 604 s with 2 (whole runs with --times on an idle
// machine, 2026-12-02); on 2026-12-03's faster machine 292 s against 293 s, the cores busy 99% and 94% of the
// run. Files do not share state: each makes its own temporary folders
// (test/helpers/tmp.ts), vault files and ports (port 0 or freePort()).
//
// In what order: the files start in the order given to run(). The files in SLOW_FIRST start first, in its order,
// so the long ones (the crash loops, Samba, Chromium) run alongside the many short ones instead of ending the
// run alone; the rest follow in path order. The table comes from one whole run with --times (its figures are
// beside each file); a file missing from it only starts later, it still runs.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { run } from 'node:test';
import { pathToFileURL } from 'node:url';
import { spec, tap } from 'node:test/reporters';

const ROOT = join(import.meta.dirname, '..');
const DIST_TEST = join(ROOT, 'dist', 'test');
const TOOLING = 'tooling';

/**
 * Test files (paths under test/, with / separators) that start first, longest first (so the long ones run alongside
 * the many short ones instead of ending the run alone); the rest follow in path order. Figures: each file's wall
 * and CPU seconds (user + system, its CLI, tool and browser processes included) in one whole run with
 * `node build/test.mjs --times FILE`, 2026-12-03, 2 cores (Intel Xeon), 2 files at once, every external tool installed,
 * no other work on the machine: 190 files in 277 s wall and 448 s CPU; files from 5 s wall up. Measure again and paste
 * the list when the ranking changes.
 */
const SLOW_FIRST = [
  'cli/cli-crash.test.ts',                       //   46 s wall,   52 s CPU
  'e2e/desktop.test.ts',                         //   28 s wall,   16 s CPU
  'interop/openssl-pki.test.ts',                 //   19 s wall,   13 s CPU
  'interop/gpgsm-pfx.test.ts',                   //   18 s wall,   10 s CPU
  'interop/samba-pkinit.test.ts',                //   17 s wall,   12 s CPU
  'e2e/helpdesk-flow.test.ts',                   //   14 s wall,    8 s CPU
  'service/event-loop.test.ts',                  //   14 s wall,   17 s CPU
  'core/batch-memory.test.ts',                   //   12 s wall,   16 s CPU
  'core/backup.test.ts',                         //   12 s wall,   12 s CPU
  'cli/cli.test.ts',                             //   11 s wall,    9 s CPU
  'service/service.test.ts',                     //   10 s wall,   11 s CPU
  'e2e/device-delivery.test.ts',                 //    9 s wall,    5 s CPU
  'e2e/ca-lifecycle.test.ts',                    //    8 s wall,    5 s CPU
  'core/quorum.test.ts',                         //    8 s wall,    4 s CPU
  'e2e/recipient-step.test.ts',                  //    8 s wall,    5 s CPU
  'main/self-test.test.ts',                      //    8 s wall,    6 s CPU
  'cli/readme-walkthrough.test.ts',              //    7 s wall,    6 s CPU
  'core/search-pages.test.ts',                   //    7 s wall,    6 s CPU
  'e2e/officer-backup-shares.test.ts',           //    6 s wall,    3 s CPU
  'e2e/officer-quorum-set.test.ts',              //    6 s wall,    3 s CPU
  'bench/make-vault.test.ts',                    //    6 s wall,    5 s CPU
  'e2e/officer-token.test.ts',                   //    6 s wall,    3 s CPU
  'interop/export-bundle.test.ts',               //    5 s wall,    5 s CPU
  'renderer/certificates-sort.test.ts',          //    5 s wall,    3 s CPU
  'renderer/certificates-scroll.test.ts',        //    5 s wall,    3 s CPU
];

const args = process.argv.slice(2);
const tooling = args.includes('--tooling');
const timesAt = args.indexOf('--times');
if (timesAt >= 0 && !args[timesAt + 1]) {
  console.error('build/test.mjs: --times needs a file to write the figures to');
  process.exit(2);
}
const times = timesAt >= 0 ? resolve(args.splice(timesAt, 2)[1]) : null;
const profAt = args.indexOf('--cpu-prof');
if (profAt >= 0 && !args[profAt + 1]) {
  console.error('build/test.mjs: --cpu-prof needs a folder to write the profiles to');
  process.exit(2);
}
const profiles = profAt >= 0 ? resolve(args.splice(profAt, 2)[1]) : null;
const jobsAt = args.indexOf('--jobs');
if (jobsAt >= 0 && !(Number(args[jobsAt + 1]) >= 1)) {
  console.error('build/test.mjs: --jobs needs how many test files to run at once (1 or more)');
  process.exit(2);
}
const jobs = jobsAt >= 0 ? Number(args.splice(jobsAt, 2)[1]) : Math.max(2, availableParallelism());
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

if (times) {
  // Every test file's process loads the hook, which appends its line to the file when it ends (run() starts the
  // files with this process's environment).
  writeFileSync(times, '');
  process.env.CERTDESK_TEST_TIMES = times;
  process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --import=${pathToFileURL(join(ROOT, 'build', 'test-times.mjs')).href}`.trim();
}

if (profiles) {
  mkdirSync(profiles, { recursive: true });
  process.env.CERTDESK_TEST_CPU_PROF = profiles;
  process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --import=${pathToFileURL(join(ROOT, 'build', 'test-cpu-prof.mjs')).href}`.trim();
}

// run() rather than `node --test FILES`: the command line sorts its files by name, run() keeps this order.
// Each file still runs in a process of its own, as with --test. The report is the command line's default:
// spec on a terminal, TAP otherwise.
const stream = run({ files: files.map((f) => join(DIST_TEST, f)), concurrency: jobs });
stream.on('test:fail', (e) => {
  if (!e.todo) process.exitCode = 1;
});
stream.compose(process.stdout.isTTY ? new spec() : tap).pipe(process.stdout);
if (times) process.on('exit', () => summarizeTimes(times));

/** The --times figures on stderr: the run's wall time and CPU, then the files that cost the most of either. */
function summarizeTimes(path) {
  const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  if (lines.length === 0) return;
  const cpu = (l) => l.own + (l.children ?? 0);
  const wall = (Math.max(...lines.map((l) => l.end)) - Math.min(...lines.map((l) => l.start))) / 1000;
  const total = lines.reduce((sum, l) => sum + cpu(l), 0);
  const row = (l) => `${l.wall.toFixed(1).padStart(7)} s wall ${cpu(l).toFixed(1).padStart(7)} s CPU  ${l.file}`;
  const top = (by) => [...lines].sort((a, b) => by(b) - by(a)).slice(0, 12).map(row);
  console.error([
    `--times: ${lines.length} files in ${wall.toFixed(0)} s wall, ${total.toFixed(0)} s CPU (own + waited-for children${lines.some((l) => l.children === null) ? '; children not counted on this OS' : ''}) on ${availableParallelism()} cores; every file in ${path}`,
    'most CPU:', ...top(cpu), 'most wall:', ...top((l) => l.wall),
  ].join('\n'));
}
