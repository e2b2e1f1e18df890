// A renderer driver for the stand-in: each page in its own browser context of Debian's Chromium
// (playwright-core), JavaScript on or off as the window's webPreferences say.
import type { Browser, Page } from 'playwright-core';
import type { RendererDriver, RendererPage } from './renderer.js';

export interface ChromiumDriverOptions {
  viewport?: { width: number; height: number };
  /** Called with each new page before it loads (to listen for console messages and errors). */
  onPage?: (page: Page) => void;
}

export function chromiumDriver(browser: Browser, opts: ChromiumDriverOptions = {}): RendererDriver {
  return {
    async open(url, { javascript }): Promise<RendererPage> {
      const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1366, height: 768 }, colorScheme: 'light', javaScriptEnabled: javascript });
      const page = await context.newPage();
      opts.onPage?.(page);
      await page.goto(url);
      return {
        evaluate: (code) => page.evaluate(code),
        pdf: (o) => page.pdf(o),
        close: () => context.close(),
        handle: page,
      };
    },
  };
}
