// Stand-in for BrowserWindow (https://www.electronjs.org/docs/latest/api/browser-window), webContents
// (https://www.electronjs.org/docs/latest/api/web-contents) and WebFrameMain
// (https://www.electronjs.org/docs/latest/api/web-frame-main). A window's page is real when a renderer
// driver is attached (renderer.ts: Debian's Chromium through playwright-core); otherwise loading fetches
// the page through the registered protocol handler and stops there.
import { EventEmitter } from 'node:events';
import { app } from './app.js';
import { fetchThroughProtocol, isHandledScheme } from './protocol.js';
import { openInRenderer, type RendererPage } from './renderer.js';

let nextId = 1;
const windows: BrowserWindow[] = [];
const contentsList: WebContents[] = [];

export function allWindows(): BrowserWindow[] {
  return windows.filter((w) => !w.isDestroyed());
}

/** Every webContents created so far, destroyed ones included (tests read their records). */
export function allWebContents(): WebContents[] {
  return [...contentsList];
}

export interface PrintRecord {
  contents: WebContents;
  pdf: boolean;
  options: unknown;
}

/** What the app asked to print or save as PDF, in order. */
export const printed: PrintRecord[] = [];
/** What webContents.print() answers: "success" and "failureReason" (default: the person cancelled). */
export const printOutcome = { success: false, failureReason: 'cancelled' };

/** An event object as Electron passes to listeners that may cancel: preventDefault() and defaultPrevented. */
export function cancellable<T extends object>(extra: T = {} as T): T & { preventDefault(): void; defaultPrevented: boolean } {
  const e = { ...extra, defaultPrevented: false, preventDefault() { e.defaultPrevented = true; } };
  return e;
}

export class WebFrameMain {
  readonly frames: WebFrameMain[] = [];
  readonly routingId = nextId++;
  private destroyed = false;
  constructor(
    public url: string,
    readonly parent: WebFrameMain | null,
    readonly processId: number,
  ) {}
  get top(): WebFrameMain {
    return this.parent ? this.parent.top : this;
  }
  get framesInSubtree(): WebFrameMain[] {
    return [this, ...this.frames.flatMap((f) => f.framesInSubtree)];
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  detach(): void {
    this.destroyed = true;
  }
}

type OpenHandler = (details: { url: string; frameName: string; features: string; disposition: string }) => { action: 'allow' | 'deny'; overrideBrowserWindowOptions?: unknown };

export class WebContents extends EventEmitter {
  readonly id = nextId++;
  readonly mainFrame: WebFrameMain;
  page: RendererPage | null = null;
  /** The HTTP status of the last app:// page loaded (the stand-in's record; Electron has no such getter). */
  lastStatus: number | null = null;
  private openHandler: OpenHandler | null = null;
  private destroyed = false;
  constructor(
    readonly webPreferences: Record<string, unknown>,
    readonly window: BrowserWindow | null,
  ) {
    super();
    this.mainFrame = new WebFrameMain('', null, this.id);
    contentsList.push(this);
  }

  getURL(): string {
    return this.mainFrame.url;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  /**
   * loadURL: "Returns Promise<void> - the promise will resolve when the page has finished loading (see
   * did-finish-load), and rejects if the page fails to load (see did-fail-load)". Programmatic loads
   * emit no will-navigate ("not emitted when navigation is started programmatically").
   * The stand-in loads URLs of a scheme handled with protocol.handle, and data: URLs.
   */
  async loadURL(url: string): Promise<void> {
    if (this.destroyed) throw new Error('Object has been destroyed');
    let loaded = url;
    if (isHandledScheme(url)) {
      // A handler's answer is the page, whatever its status (Chromium shows a 404's body as the page and
      // finishes loading); a handler that throws is a network error: did-fail-load, and loadURL rejects.
      try {
        const res = await fetchThroughProtocol(url);
        loaded = res.url;
        this.lastStatus = res.response.status;
      } catch (e) {
        this.emit('did-fail-load', cancellable(), -2, 'ERR_FAILED', url, true);
        throw new Error(`ERR_FAILED (-2) loading '${url}': ${(e as Error).message}`);
      }
    } else if (!url.startsWith('data:')) {
      throw new Error(`stand-in: loadURL('${url.slice(0, 40)}') is not imitated (only protocol.handle schemes and data:)`);
    }
    this.mainFrame.url = loaded;
    this.page = await openInRenderer(this, loaded);
    this.emit('dom-ready', cancellable());
    this.emit('did-finish-load', cancellable());
    this.window?.firstLoadFinished();
  }

  /** "Evaluates code in page ... Returns Promise<any> - resolves with the result of the executed code". */
  async executeJavaScript(code: string, _userGesture?: boolean): Promise<unknown> {
    if (!this.page) throw new Error('stand-in: executeJavaScript needs a renderer (attach Chromium: renderer.ts)');
    return this.page.evaluate(code);
  }

  setWindowOpenHandler(handler: OpenHandler): void {
    this.openHandler = handler;
  }

  /** A page's window.open or link with target=_blank: the handler decides; without one Electron allows it. */
  simulateWindowOpen(url: string): { action: 'allow' | 'deny' } {
    return this.openHandler ? this.openHandler({ url, frameName: '', features: '', disposition: 'new-window' }) : { action: 'allow' };
  }

  /** A renderer-initiated navigation or redirect: returns true when a listener called preventDefault(). */
  simulateNavigation(url: string, kind: 'will-navigate' | 'will-redirect' | 'will-frame-navigate' = 'will-navigate'): boolean {
    const e = cancellable({ url, isMainFrame: true });
    this.emit(kind, e, url);
    if (!e.defaultPrevented) this.mainFrame.url = url;
    return e.defaultPrevented;
  }

  /** A <webview> about to attach: 'will-attach-webview' (event, webPreferences, params). */
  simulateWebviewAttach(src: string): boolean {
    const e = cancellable();
    this.emit('will-attach-webview', e, { nodeIntegration: false }, { src });
    return e.defaultPrevented;
  }

  /** An <iframe> in this page: a child frame of the main frame. */
  addSubframe(url: string): WebFrameMain {
    const f = new WebFrameMain(url, this.mainFrame, this.id);
    this.mainFrame.frames.push(f);
    return f;
  }

  /** print(options, callback): "callback(success, failureReason)"; failureReason is "cancelled" or "failed". */
  print(options: unknown, callback?: (success: boolean, failureReason: string) => void): void {
    printed.push({ contents: this, pdf: false, options });
    setImmediate(() => callback?.(printOutcome.success, printOutcome.failureReason));
  }

  /** printToPDF: "Returns Promise<Buffer> - Resolves with the generated PDF data" (Chromium's page.pdf). */
  async printToPDF(options: { pageSize?: string; printBackground?: boolean } = {}): Promise<Buffer> {
    printed.push({ contents: this, pdf: true, options });
    if (!this.page) throw new Error('stand-in: printToPDF needs a renderer (attach Chromium: renderer.ts)');
    return this.page.pdf({ format: typeof options.pageSize === 'string' ? options.pageSize : 'Letter', printBackground: options.printBackground ?? false });
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.mainFrame.detach();
    const page = this.page;
    this.page = null;
    if (page) void page.close().catch(() => {});
    this.emit('destroyed');
  }
}

export class BrowserWindow extends EventEmitter {
  readonly id = nextId++;
  readonly webContents: WebContents;
  private visible = false;
  private focused = false;
  private minimized = false;
  private destroyed = false;
  private shownOnce = false;
  /** How often focus() was called (a second instance focuses the first window). */
  focusCount = 0;

  /** "You cannot use this module until the ready event of the app module is emitted." */
  constructor(readonly options: Record<string, unknown> = {}) {
    super();
    if (!app.isReady()) throw new Error('Cannot create BrowserWindow before app is ready');
    this.webContents = new WebContents((options.webPreferences as Record<string, unknown>) ?? {}, this);
    windows.push(this);
    app.emit('web-contents-created', cancellable(), this.webContents);
    app.emit('browser-window-created', cancellable(), this);
    this.visible = options.show !== false;
    if (process.env.CERTDESK_STANDIN_TRACE) process.stderr.write(`stand-in: BrowserWindow ${this.id} created\n`);
  }

  static getAllWindows(): BrowserWindow[] {
    return allWindows();
  }

  static fromWebContents(contents: WebContents): BrowserWindow | null {
    return windows.find((w) => w.webContents === contents && !w.isDestroyed()) ?? null;
  }

  loadURL(url: string): Promise<void> {
    return this.webContents.loadURL(url);
  }

  /** 'ready-to-show': "emitted when the renderer process has rendered the page for the first time if the window has not been shown yet". */
  firstLoadFinished(): void {
    if (this.shownOnce || this.visible) return;
    this.shownOnce = true;
    this.emit('ready-to-show');
  }

  getTitle(): string {
    return String(this.options.title ?? '');
  }
  show(): void {
    this.visible = true;
    this.focused = true;
    this.emit('show');
  }
  hide(): void {
    this.visible = false;
  }
  isVisible(): boolean {
    return this.visible;
  }
  focus(): void {
    this.focusCount++;
    this.focused = true;
    this.emit('focus');
  }
  isFocused(): boolean {
    return this.focused;
  }
  minimize(): void {
    this.minimized = true;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.minimized = false;
    this.emit('restore');
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }

  /** close(): "Try to close the window" — 'close' may be cancelled with preventDefault(); then 'closed'. */
  close(): void {
    if (this.destroyed) return;
    const e = cancellable();
    this.emit('close', e);
    if (!e.defaultPrevented) this.destroy();
  }

  /** destroy(): no 'close' event, "but it guarantees the closed event will be emitted". When the last window
   * is gone: 'window-all-closed' if the app listens ("If you do not subscribe to this event and all windows
   * are closed, the default behavior is to quit the app"), never while app.quit() closes them. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.visible = false;
    this.webContents.destroy();
    this.emit('closed');
    if (allWindows().length === 0 && !app.quitting) {
      if (app.listenerCount('window-all-closed') > 0) app.emit('window-all-closed');
      else app.quit();
    }
  }
}
