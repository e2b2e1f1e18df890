// Loaded into every Node process of a test run by `node build/test.mjs --cpu-prof DIR` (through NODE_OPTIONS=--import,
// which refuses --cpu-prof itself): it samples the process's main thread with the inspector's profiler (every 2 ms)
// and writes DIR/<pid>.cpuprofile when the process exits normally (a killed CLI run writes nothing). The test
// files' processes and the CLI runs they start are profiled; worker threads are not.
// Sum them with node dist/bench/profile-top.js or profile-inclusive.js.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';

const dir = process.env.CERTDESK_TEST_CPU_PROF;
if (dir && isMainThread) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 2000 });
  session.post('Profiler.start');
  process.on('exit', () => {
    // The in-process session answers synchronously, so the profile is written before the process ends.
    session.post('Profiler.stop', (err, answer) => {
      if (!err) writeFileSync(join(dir, `${process.pid}.cpuprofile`), JSON.stringify(answer.profile));
    });
  });
}
