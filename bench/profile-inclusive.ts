// Benchmark helper (not a test): the inclusive time (self plus callees) of named functions in V8 CPU profiles
// (node --cpu-prof, CERTDESK_WORKER_CPU_PROF), summed over every file given; a sample counts once per function
// however deep the recursion. Usage: node dist/bench/profile-inclusive.js --fn NAME[,NAME...] [--per N] FILE.cpuprofile...
// --top N lists the N functions with the most inclusive (not idle) time. --per N also prints each figure divided by N (e.g. the batch's rows: ms per bundle).
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const args = process.argv.slice(2);
const take = (flag: string): string | undefined => {
  const at = args.indexOf(flag);
  return at >= 0 ? args.splice(at, 2)[1] : undefined;
};
const names = (take('--fn') ?? '').split(',').filter(Boolean);
const per = Number(take('--per') ?? 0);
const top = Number(take('--top') ?? 0);
const inclusive = new Map(names.map((n) => [n, 0]));
/** With --top: every function's inclusive time, to list the largest. */
const all = new Map<string, number>();
let sampled = 0;
for (const file of args) {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  p.samples.forEach((id, i) => {
    const us = p.timeDeltas[i] ?? 0;
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) seen.add(byId.get(at)!.callFrame.functionName);
    if (!seen.has('(idle)')) sampled += us;
    for (const n of names) if (seen.has(n)) inclusive.set(n, inclusive.get(n)! + us);
    if (top && !seen.has('(idle)')) for (const n of seen) all.set(n, (all.get(n) ?? 0) + us);
  });
}
console.log(`busy (not idle) ${(sampled / 1000).toFixed(0)} ms sampled${per ? `, ${(sampled / 1000 / per).toFixed(2)} ms per ${per > 1 ? 'row' : ''}` : ''}`);
for (const [n, us] of inclusive) console.log(`${(us / 1000).toFixed(0).padStart(8)} ms${per ? ` ${(us / 1000 / per).toFixed(2).padStart(7)} ms/row` : ''}  ${n}`);
for (const [n, us] of [...all].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  console.log(`${(us / 1000).toFixed(0).padStart(8)} ms${per ? ` ${(us / 1000 / per).toFixed(2).padStart(7)} ms/row` : ''}  ${n || '(anonymous)'}`);
}
