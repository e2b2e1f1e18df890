// The stand-in's renderer: where a window's page runs. With a driver attached (chromium.ts: Debian's
// Chromium through playwright-core) every loaded page is a real page; app:// pages reach it through the
// bridge. Without one, windows load (through the protocol handler) but run no page.
import { bridgeFor } from './bridge.js';
import { isHandledScheme } from './protocol.js';
import type { WebContents } from './windows.js';

export interface RendererPage {
  /** Evaluates a JavaScript expression in the page; a promise result is awaited. */
  evaluate(code: string): Promise<unknown>;
  pdf(options: { format: string; printBackground: boolean }): Promise<Buffer>;
  close(): Promise<void>;
  /** The driver's own page object (a playwright Page), for tests that click through it. */
  readonly handle: unknown;
}

export interface RendererDriver {
  open(url: string, options: { javascript: boolean }): Promise<RendererPage>;
}

let driver: RendererDriver | null = null;

export function attachRenderer(d: RendererDriver | null): void {
  driver = d;
}

export async function openInRenderer(contents: WebContents, url: string): Promise<RendererPage | null> {
  const pageUrl = isHandledScheme(url) ? (await bridgeFor(contents)).pageUrl(url) : url;
  if (!driver) return null;
  if (contents.page) await contents.page.close();
  return driver.open(pageUrl, { javascript: contents.webPreferences.javascript !== false });
}
