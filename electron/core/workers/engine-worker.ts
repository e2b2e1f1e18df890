// The engine's worker thread: runs the EngineJobs (engine-jobs.ts) that WorkerPools of engine-pool.ts send
// it, with the handlers of engine-handlers.ts (which zero the secret bytes they receive once used, and move
// the secret bytes they answer to the caller).
import type { EngineJobs } from './engine-jobs.js';
import { engineHandlers } from './engine-handlers.js';
import { serveJobs } from './worker-host.js';

serveJobs<EngineJobs>(engineHandlers);
