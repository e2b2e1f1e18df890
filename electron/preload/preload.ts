// The preload: exposes exactly one function per channel of the typed API as window.certdesk, and nothing
// else (no raw ipcRenderer, no events). Sandboxed preloads cannot require local files, so this is
// bundled into one CommonJS file at build time (build/vite.preload.config.ts).
import { contextBridge, ipcRenderer } from 'electron';
import type { CertDeskApi } from '../../shared/api.js';
import { CHANNEL_NAMES } from '../../shared/channels.js';

const api = Object.fromEntries(CHANNEL_NAMES.map((channel) => [channel, (request: unknown) => ipcRenderer.invoke(channel, request)])) as unknown as CertDeskApi;

contextBridge.exposeInMainWorld('certdesk', api);
