// Stand-ins for Electron's `dialog` (https://www.electronjs.org/docs/latest/api/dialog) and `clipboard`
// (https://www.electronjs.org/docs/latest/api/clipboard). A dialog answers what a test queued for it, or
// its fallback (by default the person presses Cancel); every call is recorded.

type OpenAnswer = string[] | null;
type SaveAnswer = string | null;
interface OpenOptions { title?: string; properties?: string[]; defaultPath?: string; filters?: unknown[] }
interface SaveOptions { title?: string; defaultPath?: string; filters?: unknown[] }

export const dialogs = {
  calls: [] as { kind: 'open' | 'save' | 'errorBox'; options: OpenOptions | SaveOptions | { title: string; content: string } }[],
  openQueue: [] as OpenAnswer[],
  saveQueue: [] as SaveAnswer[],
  openFallback: (_o: OpenOptions): OpenAnswer => null,
  saveFallback: (_o: SaveOptions): SaveAnswer => null,
};

/** dialog.showOpenDialog([window, ]options) and showSaveDialog take the parent window as an optional first argument. */
function optionsOf<T>(a: unknown, b: unknown): T {
  return (b === undefined ? a : b) as T;
}

export const dialog = {
  /** "Resolve with an object containing: canceled boolean, filePaths string[]" (empty when cancelled). */
  async showOpenDialog(a: unknown, b?: unknown): Promise<{ canceled: boolean; filePaths: string[] }> {
    const options = optionsOf<OpenOptions>(a, b);
    dialogs.calls.push({ kind: 'open', options });
    const answer = dialogs.openQueue.length ? dialogs.openQueue.shift()! : dialogs.openFallback(options);
    return answer ? { canceled: false, filePaths: answer } : { canceled: true, filePaths: [] };
  },
  /** "Resolve with an object containing: canceled boolean, filePath string" (empty when cancelled). */
  async showSaveDialog(a: unknown, b?: unknown): Promise<{ canceled: boolean; filePath: string }> {
    const options = optionsOf<SaveOptions>(a, b);
    dialogs.calls.push({ kind: 'save', options });
    const answer = dialogs.saveQueue.length ? dialogs.saveQueue.shift()! : dialogs.saveFallback(options);
    return answer ? { canceled: false, filePath: answer } : { canceled: true, filePath: '' };
  },
  /** "Displays a modal dialog that shows an error message"; on Linux before 'ready' it goes to stderr. */
  showErrorBox(title: string, content: string): void {
    dialogs.calls.push({ kind: 'errorBox', options: { title, content } });
    process.stderr.write(`[stand-in error box] ${title}: ${content}\n`);
  },
};

export const clipboardRecord: string[] = [];

export const clipboard = {
  writeText(text: string): void {
    clipboardRecord.push(text);
  },
  readText(): string {
    return clipboardRecord.at(-1) ?? '';
  },
};
