// Stand-in for Electron's `session` (https://www.electronjs.org/docs/latest/api/session): the default
// session's permission handlers, and the requests a page would make, answered as Electron answers them.
import { app } from './app.js';
import type { WebContents } from './windows.js';

type RequestHandler = (contents: WebContents, permission: string, callback: (granted: boolean) => void, details: Record<string, unknown>) => void;
type CheckHandler = (contents: WebContents | null, permission: string, requestingOrigin: string, details: Record<string, unknown>) => boolean;
type DeviceHandler = (details: { deviceType: string; origin: string; device: Record<string, unknown> }) => boolean;

class Session {
  private requestHandler: RequestHandler | null = null;
  private checkHandler: CheckHandler | null = null;
  private deviceHandler: DeviceHandler | null = null;

  setPermissionRequestHandler(h: RequestHandler | null): void {
    this.requestHandler = h;
  }
  setPermissionCheckHandler(h: CheckHandler | null): void {
    this.checkHandler = h;
  }
  setDevicePermissionHandler(h: DeviceHandler | null): void {
    this.deviceHandler = h;
  }

  /** A page asks for a permission (camera, notifications, ...). "By default, Electron will automatically
   * approve all permission requests unless the developer has manually configured a custom handler." */
  requestPermission(contents: WebContents, permission: string, details: Record<string, unknown> = {}): Promise<boolean> {
    const h = this.requestHandler;
    if (!h) return Promise.resolve(true);
    return new Promise((resolve) => h(contents, permission, resolve, { requestingUrl: contents.getURL(), isMainFrame: true, ...details }));
  }

  /** A synchronous permission check (e.g. navigator.permissions.query); without a handler, granted. */
  checkPermission(contents: WebContents | null, permission: string, origin: string): boolean {
    return this.checkHandler ? this.checkHandler(contents, permission, origin, {}) : true;
  }

  /** A device permission check (HID, serial, USB). Without a handler only devices the person picked in
   * a select-*-device prompt are allowed: null here means "left to that prompt". */
  checkDevicePermission(deviceType: string, origin: string): boolean | null {
    return this.deviceHandler ? this.deviceHandler({ deviceType, origin, device: {} }) : null;
  }
}

const defaultSession = new Session();

export const session = {
  /** The default session "can only be used after the ready event of the app module gets emitted". */
  get defaultSession(): Session {
    if (!app.isReady()) throw new Error('Session can only be received when app is ready');
    return defaultSession;
  },
};
