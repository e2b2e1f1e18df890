// The stand-in's own settings (what Electron would take from its command line and the packaged app) and
// what it observed. A run sets them before the main script is imported: run.ts from the environment,
// start.ts from a test's options.
export interface StandinConfig {
  /** The folder of the app's package.json: what `electron .` is given. */
  appPath: string;
  /** app.isPackaged. */
  isPackaged: boolean;
  /** app.getPath('userData') unless the app sets it; undefined: Electron's default (~/.config/<name>). */
  userData: string | undefined;
  /** process.versions.electron, as Electron reports it. */
  electronVersion: string;
}

export const config: StandinConfig = {
  appPath: process.cwd(),
  isPackaged: false,
  userData: undefined,
  electronVersion: '0.0.0',
};

export const runtime = {
  /** Documented constraints the app broke (e.g. an API used before 'ready' that Electron only warns about). */
  violations: [] as string[],
  /** Called when the app exits (app.exit, or the end of app.quit). run.ts ends the process here. */
  onExit: (_code: number): void => {},
};
