// Loaded into every test file's process by `node build/test.mjs --times FILE` (through NODE_OPTIONS=--import):
// when the process exits it appends one JSON line to $CERTDESK_TEST_TIMES with the test file, its start and end
// (ms since the epoch), its wall time and its CPU time in seconds (user + system), both its own and that of
// the child processes it waited for (CLI runs, openssl, Chromium): on Linux from /proc/self/stat's utime,
// stime, cutime and cstime (proc(5)); elsewhere only its own, from process.resourceUsage(), and children null.
// A process that is not running a test file (a tool a test starts with this environment) writes nothing.
import { appendFileSync, readFileSync } from 'node:fs';

const start = Date.now();
const out = process.env.CERTDESK_TEST_TIMES;
const file = process.argv.find((a) => a.endsWith('.test.js'));

/** [own, children] CPU seconds; children is null where /proc is not there. */
function cpu() {
  try {
    // Fields after the command name "(comm) ": state is field 3, so utime (14), stime (15), cutime (16) and cstime (17) are at 11 to 14.
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ').at(-1).split(' ');
    const ticks = 100; // USER_HZ, 100 on every Linux this runs on (sysconf(_SC_CLK_TCK))
    const [u, s, cu, cs] = [11, 12, 13, 14].map((i) => Number(fields[i]) / ticks);
    return [u + s, cu + cs];
  } catch {
    const r = process.resourceUsage();
    return [(r.userCPUTime + r.systemCPUTime) / 1e6, null];
  }
}

if (out && file) {
  process.on('exit', () => {
    const [own, children] = cpu();
    const end = Date.now();
    const round = (n) => (n === null ? null : Math.round(n * 100) / 100);
    const line = { file: file.split(/[\\/]dist[\\/]test[\\/]/).at(-1).replaceAll('\\', '/'), start, end, wall: round((end - start) / 1000), own: round(own), children: round(children) };
    appendFileSync(out, JSON.stringify(line) + '\n');
  });
}
