// Stand-in for Electron's `app` (https://www.electronjs.org/docs/latest/api/app): the parts CertDesk's
// main process uses, each imitating the documented behaviour cited beside it. Only the stand-in's
// own configuration (config.ts) decides what Electron would take from the command line or the package.
import { EventEmitter } from 'node:events';
import { mkdirSync, readFileSync, renameSync, rmSync, unlinkSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { processAlive } from '../../electron/main/self-test.js';
import { config, runtime } from './config.js';
import { allWindows } from './windows.js';

class App extends EventEmitter {
  private ready = false;
  private readonly readyPromise: Promise<void>;
  private resolveReady!: () => void;
  private readonly paths = new Map<string, string>();
  private lock: { file: string; watcher: FSWatcher } | null = null;
  /** True from quit() until it ends or is cancelled: closing the last window then emits no 'window-all-closed'. */
  quitting = false;
  /** Set by exit() or the end of quit(); the process exits with it when config.exitProcess. */
  exitCode: number | null = null;
  sandboxEnabled = false;

  constructor() {
    super();
    this.readyPromise = new Promise((r) => (this.resolveReady = r));
  }

  /** The folder of the package.json Electron was started with (`electron .`). */
  getAppPath(): string {
    return config.appPath;
  }

  get isPackaged(): boolean {
    return config.isPackaged;
  }

  getName(): string {
    const pkg = JSON.parse(readFileSync(join(config.appPath, 'package.json'), 'utf8')) as { productName?: string; name?: string };
    return pkg.productName ?? pkg.name ?? 'Electron';
  }

  /**
   * getPath/setPath: userData defaults to appData/<name> (on Linux $XDG_CONFIG_HOME or ~/.config). "If you
   * want to change this location, you have to override the userData path before the ready event".
   */
  getPath(name: string): string {
    const set = this.paths.get(name);
    if (set) return set;
    const appData = process.env.XDG_CONFIG_HOME || join(homedir(), '.config');
    if (name === 'appData') return appData;
    if (name === 'userData' || name === 'sessionData') return config.userData ?? join(appData, this.getName());
    if (name === 'temp') return process.env.TMPDIR || '/tmp';
    throw new Error(`stand-in: app.getPath('${name}') is not imitated`);
  }

  setPath(name: string, path: string): void {
    if (name === 'userData' && this.ready) runtime.violations.push('app.setPath("userData") after ready');
    this.paths.set(name, path);
  }

  /** "This method can only be called before app is ready." */
  enableSandbox(): void {
    if (this.ready) throw new Error('app.enableSandbox() can only be called before app is ready');
    this.sandboxEnabled = true;
  }

  isReady(): boolean {
    return this.ready;
  }

  /** "Returns Promise<void> - fulfilled when Electron is initialized." */
  whenReady(): Promise<void> {
    return this.readyPromise;
  }

  /** Emits 'ready' once, after the main script has run (run.ts and start.ts call this). */
  emitReady(): void {
    if (this.ready) return;
    this.ready = true;
    this.emit('ready', { preventDefault() {} }, {});
    this.resolveReady();
  }

  /**
   * requestSingleInstanceLock: true for the first instance of a profile (userData); a later one gets
   * false ("your app should quit immediately") and the first receives 'second-instance' with the
   * later one's argv, working directory and additionalData. Electron's ProcessSingleton keeps a
   * SingletonLock in userData and signals over a socket; the stand-in keeps a lock file holding its pid
   * and signals with a file the first instance watches for.
   */
  requestSingleInstanceLock(additionalData?: Record<string, unknown>): boolean {
    if (this.lock) return true;
    const dir = this.getPath('userData');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'SingletonLock.standin');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        writeFileSync(file, String(process.pid), { flag: 'wx' });
        const watcher = watch(dir, (_ev, name) => {
          if (name && name.startsWith('SingletonNotify.')) this.deliverSecondInstance(join(dir, name));
        });
        watcher.unref(); // the lock alone keeps no process alive
        this.lock = { file, watcher };
        return true;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        const holder = Number(readFileSync(file, 'utf8'));
        if (holder && holder !== process.pid && processAlive(holder)) {
          const note = join(dir, `SingletonNotify.${process.pid}.json`);
          const tmp = join(dir, `.notify.${process.pid}.tmp`); // written whole, then renamed: read once, complete
          writeFileSync(tmp, JSON.stringify({ argv: process.argv, workingDirectory: process.cwd(), additionalData: additionalData ?? {} }));
          renameSync(tmp, note);
          return false;
        }
        rmSync(file, { force: true }); // a stale lock from a process that is gone
      }
    }
    return false;
  }

  hasSingleInstanceLock(): boolean {
    return this.lock !== null;
  }

  releaseSingleInstanceLock(): void {
    if (!this.lock) return;
    this.lock.watcher.close();
    rmSync(this.lock.file, { force: true });
    this.lock = null;
  }

  private deliverSecondInstance(note: string): void {
    let data: { argv: string[]; workingDirectory: string; additionalData: unknown };
    try {
      data = JSON.parse(readFileSync(note, 'utf8')) as typeof data;
      unlinkSync(note);
    } catch {
      return; // not complete yet, or already delivered
    }
    this.emit('second-instance', { preventDefault() {} }, data.argv, data.workingDirectory, data.additionalData);
  }

  /**
   * quit(): "Try to close all windows. The before-quit event will be emitted first. If all windows are
   * successfully closed, the will-quit event will be emitted and by default the application will
   * terminate." A 'close' handler that calls preventDefault() cancels the quit.
   */
  quit(): void {
    if (this.quitting) return;
    this.quitting = true;
    let prevented = false;
    this.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (prevented) return void (this.quitting = false);
    for (const w of allWindows()) {
      w.close();
      if (!w.isDestroyed()) return void (this.quitting = false);
    }
    this.emit('will-quit', { preventDefault: () => (prevented = true) });
    if (prevented) return void (this.quitting = false);
    this.emit('quit', { preventDefault() {} }, 0);
    this.end(0);
  }

  /** exit(code): "All windows will be closed immediately without asking the user, and the before-quit
   * and will-quit events will not be emitted." */
  exit(code = 0): void {
    this.quitting = true; // windows closed by exit() emit no 'window-all-closed'
    for (const w of allWindows()) w.destroy();
    this.end(code);
  }

  private end(code: number): void {
    this.releaseSingleInstanceLock();
    this.exitCode = code;
    runtime.onExit(code);
  }
}


export const app = new App();
export type { App };
