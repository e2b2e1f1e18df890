// What a window's preload becomes in the stand-in's renderer (Chromium, through bridge.ts): the app's own
// preload file, unchanged, run before the page's scripts with the `require` a sandboxed preload has
// (https://www.electronjs.org/docs/latest/tutorial/sandbox#preload-scripts: `electron` and a few Node
// built-ins, nothing else), whose `ipcRenderer.invoke` crosses to ipcMain over the bridge and whose
// `contextBridge.exposeInMainWorld` puts the API on window, frozen
// (https://www.electronjs.org/docs/latest/api/context-bridge: it "throws when contextIsolation is off").
import { readFileSync } from 'node:fs';

/** The page script: shims, then the preload at `preloadPath` as a CommonJS module. */
export function preloadScript(preloadPath: string, token: string, contextIsolation: boolean): string {
  const source = readFileSync(preloadPath, 'utf8');
  return `(() => {
  const token = ${JSON.stringify(token)};
  const freeze = (o) => { if (o && typeof o === 'object') { Object.values(o).forEach(freeze); Object.freeze(o); } return o; };
  const ipcRenderer = {
    async invoke(channel, ...args) {
      const res = await fetch('/__standin/ipc/' + encodeURIComponent(channel), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-standin-token': token },
        body: JSON.stringify({ args: args.map((a) => (a === undefined ? { __undefined: true } : a)) }),
      });
      const body = await res.json();
      if (res.status !== 200) throw new Error(body.error);
      return body.result;
    },
  };
  const contextBridge = {
    exposeInMainWorld(key, api) {
      if (!${JSON.stringify(contextIsolation)}) throw new Error('contextBridge API can only be used when contextIsolation is enabled');
      Object.defineProperty(window, key, { value: freeze(api), enumerable: true });
    },
  };
  const require = (id) => {
    if (id === 'electron') return { ipcRenderer, contextBridge };
    throw new Error("module not found: " + id + " (a sandboxed preload can require only 'electron' and a few built-ins)");
  };
  const module = { exports: {} };
  (function (require, module, exports) {
${source}
  })(require, module, module.exports);
})();
`;
}
