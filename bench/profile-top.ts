// Benchmark helper (not a test): the functions with the most self time in V8 CPU profiles (node --cpu-prof),
// summed over every file given. Usage: node dist/bench/profile-top.js [--top N] FILE.cpuprofile...
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const args = process.argv.slice(2);
const topAt = args.indexOf('--top');
const top = topAt >= 0 ? Number(args.splice(topAt, 2)[1]) : 25;
const self = new Map<string, number>();
let total = 0;
for (const file of args) {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const nameOf = new Map(p.nodes.map((n) => [n.id, `${n.callFrame.functionName || '(anonymous)'} ${basename(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`]));
  p.samples.forEach((id, i) => {
    const us = p.timeDeltas[i] ?? 0;
    const name = nameOf.get(id) ?? '?';
    self.set(name, (self.get(name) ?? 0) + us);
    total += us;
  });
  console.log(`${basename(file)}: ${((p.endTime - p.startTime) / 1000).toFixed(0)} ms profiled`);
}
console.log(`self time, ${(total / 1000).toFixed(0)} ms sampled in all:`);
for (const [name, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  console.log(`${(us / 1000).toFixed(0).padStart(8)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${name}`);
}
