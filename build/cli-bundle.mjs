// Bundles the certdesk CLI and the engine's worker thread into dist/cli/ (rolldown, from tsc's output in
// dist/electron/). Why: unbundled, a CLI process or a worker resolves and reads about 600 module files
// (node-forge, qrcode and xmlbuilder2 alone are some 200), and that loading, not the cryptography, was
// most of a short command's CPU time (issue 13: an `issue` with a bundle 0.43 -> 0.27 s CPU, a two-row
// batch with its workers 1.65 -> 0.95 s). `package.json` "bin" points here, so the tests run what ships.
//
// Layout: dist/cli/certdesk.js and dist/cli/engine-worker.js (entries, so engine-pool's
// `new URL('./engine-worker.js', import.meta.url)` finds its sibling), dist/cli/run.js (the bin's runCli as an
// entry of its own, which tests import to run a command in their process), the commands' lazy imports as chunks
// beside them, and each npm package in a chunk of its own named npm-<package> (a scope's "/" as "+"), so a
// command loads only the packages it uses. dist/cli/packages.json lists the npm packages each chunk holds
// (rolldown may put a small package in the chunk of the one that uses it): test/cli/cli-lazy-imports.test.ts
// reads it to name the packages a command loaded.
// better-sqlite3 and pkcs11js stay external: native addons, loaded from node_modules (pkcs11js is a Node-API addon,
// one binary for Node and Electron; better-sqlite3 is built for each runtime).
import { chmodSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';

const at = (p) => fileURLToPath(new URL(`../${p}`, import.meta.url));

/** The npm package a module id belongs to ("@scope/name" or "name"), by its last node_modules folder; null for the project's own files. */
export function packageOfModule(id) {
  const parts = id.split(/[\\/]node_modules[\\/]/);
  if (parts.length < 2) return null;
  const [first, second] = parts.at(-1).split(/[\\/]/);
  return first.startsWith('@') ? `${first}/${second}` : first;
}

const bundle = await rolldown({
  input: { certdesk: at('dist/electron/cli/certdesk.js'), run: at('dist/electron/cli/run.js'), 'engine-worker': at('dist/electron/core/workers/engine-worker.js') },
  platform: 'node',
  external: ['better-sqlite3', 'pkcs11js'],
  logLevel: 'warn',
});
const { output } = await bundle.write({
  dir: at('dist/cli'),
  format: 'esm',
  cleanDir: true,
  entryFileNames: '[name].js',
  chunkFileNames: '[name]-[hash].js',
  codeSplitting: {
    groups: [{ debugName: 'npm packages', name: (id) => (packageOfModule(id) ? `npm-${packageOfModule(id).replace('/', '+')}` : null), test: /node_modules/ }],
  },
});
await bundle.close();
const packages = Object.fromEntries(
  output.filter((o) => o.type === 'chunk').map((c) => [c.fileName, [...new Set(c.moduleIds.map(packageOfModule).filter(Boolean))].sort()]),
);
writeFileSync(at('dist/cli/packages.json'), JSON.stringify(packages, null, 1) + '\n');
chmodSync(at('dist/cli/certdesk.js'), 0o755);
