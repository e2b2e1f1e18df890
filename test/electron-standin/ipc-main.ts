// Stand-in for Electron's `ipcMain` (https://www.electronjs.org/docs/latest/api/ipc-main) and the path of
// an `ipcRenderer.invoke` call to it (https://www.electronjs.org/docs/latest/api/ipc-renderer#ipcrendererinvokechannel-args).
import { EventEmitter } from 'node:events';
import type { WebContents, WebFrameMain } from './windows.js';

type InvokeListener = (event: unknown, ...args: unknown[]) => unknown;

class IpcMain extends EventEmitter {
  private readonly handlers = new Map<string, InvokeListener>();

  /** "Adds a handler for an invokeable IPC"; a second handler for the same channel throws. */
  handle(channel: string, listener: InvokeListener): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }
  handleOnce(channel: string, listener: InvokeListener): void {
    this.handle(channel, (e, ...a) => {
      this.removeHandler(channel);
      return listener(e, ...a);
    });
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  channels(): string[] {
    return [...this.handlers.keys()];
  }
  handlerFor(channel: string): InvokeListener | undefined {
    return this.handlers.get(channel);
  }
}

export const ipcMain = new IpcMain();

/**
 * One ipcRenderer.invoke(channel, ...args) from `frame` of `sender`. Arguments and the result cross with
 * the structured clone algorithm ("Functions, Promises, Symbols, WeakMaps, or WeakSets will throw");
 * the event carries `sender`, `senderFrame` (null once the frame is gone), `processId` and `frameId`.
 * A handler that throws rejects the caller with "Error invoking remote method '<channel>': <error>".
 */
export async function invokeFrom(sender: WebContents, frame: WebFrameMain | null, channel: string, ...args: unknown[]): Promise<unknown> {
  const cloned = structuredClone(args);
  const handler = ipcMain.handlerFor(channel);
  if (!handler) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
  const event = { type: 'frame', sender, senderFrame: frame && !frame.isDestroyed() ? frame : null, processId: frame?.processId ?? sender.id, frameId: frame?.routingId ?? 0 };
  let result: unknown;
  try {
    result = await handler(event, ...cloned);
  } catch (e) {
    throw new Error(`Error invoking remote method '${channel}': ${String(e)}`);
  }
  return structuredClone(result);
}
