// Which npm packages a child Node process loads: an ESM resolve hook (module.register) records every URL the
// process imports, and at exit the CommonJS cache (require.cache, which also holds packages loaded through
// createRequire or required by other packages) is added. Used to check each CLI command's module graph.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HOOKS = `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(process.env.CERTDESK_IMPORT_TRACE, r.url + '\\n');
  return r;
}
`;

const REGISTER = `import { register, createRequire } from 'node:module';
import { appendFileSync } from 'node:fs';
register(new URL('./trace-hooks.mjs', import.meta.url));
const cache = createRequire(import.meta.url).cache;
process.on('exit', () => appendFileSync(process.env.CERTDESK_IMPORT_TRACE, Object.keys(cache).join('\\n') + '\\n'));
`;

/**
 * Writes the tracing hooks into `dir` and returns what a child needs: `nodeArgs` (the --import flag) and
 * `env` (CERTDESK_IMPORT_TRACE, the file the child appends every loaded module's URL or path to), and
 * `packages()`, the set of npm package names (scoped ones as "@scope/name") the child loaded, read from that file.
 */
export function importTrace(dir: string, name: string): { nodeArgs: string[]; env: Record<string, string>; packages(): Set<string> } {
  writeFileSync(join(dir, 'trace-hooks.mjs'), HOOKS);
  writeFileSync(join(dir, 'trace-register.mjs'), REGISTER);
  const file = join(dir, `${name}.trace`);
  writeFileSync(file, '');
  return {
    nodeArgs: ['--import', pathToFileURL(join(dir, 'trace-register.mjs')).href],
    env: { CERTDESK_IMPORT_TRACE: file },
    packages: () => packagesOf(readFileSync(file, 'utf8').split('\n')),
  };
}

/** The npm packages each chunk of the bundled CLI holds (dist/cli/packages.json, written by build/cli-bundle.mjs). */
function bundledPackages(): Record<string, string[]> {
  return JSON.parse(readFileSync(fileURLToPath(new URL('../../cli/packages.json', import.meta.url)), 'utf8')) as Record<string, string[]>;
}

/**
 * The package names in module URLs or paths: the part after the last "node_modules/" ("@scope/name" or
 * "name"); for a chunk of the bundled CLI (".../dist/cli/FILE"), the packages dist/cli/packages.json lists
 * for FILE (`chunks`, read from the build when not given).
 */
export function packagesOf(entries: string[], chunks?: Record<string, string[]>): Set<string> {
  const out = new Set<string>();
  for (const entry of entries) {
    const path = decodeURIComponent(entry).replaceAll('\\', '/');
    const bundled = /\/dist\/cli\/([^/]+\.js)$/.exec(path);
    if (bundled) {
      chunks ??= bundledPackages();
      for (const p of chunks[bundled[1]!] ?? []) out.add(p);
      continue;
    }
    const parts = path.split('/node_modules/');
    if (parts.length < 2) continue;
    const [first, second] = parts.at(-1)!.split('/');
    out.add(first!.startsWith('@') ? `${first}/${second}` : first!);
  }
  return out;
}
