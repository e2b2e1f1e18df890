// Starts the app's main process under the stand-in, as Electron starts it: the `main` of the app folder's
// package.json is imported as the entry point with `electron` resolving to the stand-in, process.versions
// carries `electron`, and 'ready' is emitted once the entry has been evaluated (an ES module entry and its
// static imports run before 'ready': https://www.electronjs.org/docs/latest/tutorial/esm#caveats). One start per process
// (ES modules load once), so each test file that starts main runs in its own process (node --test does that).
import { readFileSync } from 'node:fs';
import { register } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app } from './app.js';
import { electronVersion } from './app-dir.js';
import { config, runtime } from './config.js';

export interface StartOptions {
  appPath: string;
  userData?: string;
  isPackaged?: boolean;
  /** Environment variables the app sees (set on process.env before main runs). */
  env?: Record<string, string>;
  /** Extra command-line arguments main sees in process.argv (after the app path, as `electron . ARGS`). */
  args?: string[];
  /** What happens when the app exits; default: remember the code (tests read app.exitCode). */
  onExit?: (code: number) => void;
}

let started = false;

export async function startMain(opts: StartOptions): Promise<void> {
  if (started) throw new Error('stand-in: main was already started in this process');
  started = true;
  register('./loader.js', import.meta.url);
  config.appPath = opts.appPath;
  config.userData = opts.userData;
  config.isPackaged = opts.isPackaged ?? false;
  config.electronVersion = electronVersion();
  if (opts.onExit) runtime.onExit = opts.onExit;
  Object.defineProperty(process.versions, 'electron', { value: config.electronVersion, enumerable: true, configurable: true });
  Object.assign(process.env, opts.env ?? {});
  if (opts.args) process.argv.push(...opts.args);
  const pkg = JSON.parse(readFileSync(join(opts.appPath, 'package.json'), 'utf8')) as { main?: string };
  await import(pathToFileURL(join(opts.appPath, pkg.main ?? 'index.js')).href);
  app.emitReady();
  // whenReady() callbacks run as microtasks after 'ready': let them start.
  await new Promise((r) => setImmediate(r));
}
