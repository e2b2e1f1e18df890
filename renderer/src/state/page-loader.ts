// Which pages of a long list to fetch, and when: the scheduling behind the virtualised certificate table.
// A fast scroll over 100,000 rows passes over hundreds of pages; fetching each as it comes into view
// queued 800 requests behind each other in main and left the table on "Loading…" for minutes. Here at
// most `maxInFlight` requests are outstanding at any time; the next one sent is always for a page in
// the current view (pages that left the view before a slot freed are never sent, and the rows of a
// late answer for a page no longer in view are dropped); a reset (new search, filter or sort) starts a
// new generation whose first page is the next request sent, and every answer of an older generation is
// ignored. Answers are kept in a small LRU cache. No DOM, no timers: it runs the same under plain Node.

/** One page of a list as main answers it: its rows and the list's total (rows of the whole filter). */
export interface PageAnswer<T> {
  rows: T[];
  total: number;
}

/** Fetches page `page` (0-based) of the current filter; `generation` says which filter it was asked for. */
export type PageFetch<T> = (page: number, generation: number) => Promise<PageAnswer<T>>;

export interface PageLoaderOptions<T> {
  fetch: PageFetch<T>;
  /** The most requests outstanding at once (default 2). */
  maxInFlight?: number;
  /** The most pages kept (default 50); the pages in view are never evicted. */
  cacheSize?: number;
  /** Called after anything readable changed: a page arrived, the total, an error, a reset. */
  onChange?: () => void;
}

/** A request sent and not yet answered. */
interface Flight {
  page: number;
  generation: number;
}

/**
 * Fetches the pages in view of a paged list with bounded concurrency and a bounded cache.
 * Usage: `setView(pages)` whenever the rows in view change (the pages holding them, most wanted first),
 * `reset()` when the filter, search or sort changes (the first reset starts it), and `rows(page)` to read. Errors of `fetch` are kept
 * in `error` (the page is not asked again in this generation, so a failing main is not hammered).
 */
export class PageLoader<T> {
  readonly maxInFlight: number;
  readonly cacheSize: number;
  private readonly fetchPage: PageFetch<T>;
  private readonly onChange: () => void;
  private gen = 0;
  private view: number[] = [];
  private readonly flights: Flight[] = [];
  /** page -> rows, oldest use first (Map keeps insertion order; a use re-inserts). */
  private readonly cache = new Map<number, T[]>();
  private readonly failed = new Set<number>();
  private totalRows: number | null = null;
  private lastError: unknown = null;
  private sentCount = 0;
  /** False before the first reset and after clear(): nothing is sent. */
  private active = false;

  constructor(opts: PageLoaderOptions<T>) {
    this.fetchPage = opts.fetch;
    this.maxInFlight = opts.maxInFlight ?? 2;
    this.cacheSize = opts.cacheSize ?? 50;
    this.onChange = opts.onChange ?? (() => {});
    if (!(this.maxInFlight >= 1) || !(this.cacheSize >= 1)) throw new RangeError('PageLoader: maxInFlight and cacheSize must be at least 1');
  }

  /** The current generation (starts at 0; each reset adds one). */
  get generation(): number {
    return this.gen;
  }

  /** Rows of the whole list as the latest answer of this generation said, or null before the first. */
  get total(): number | null {
    return this.totalRows;
  }

  /** What the latest failed fetch of this generation threw, or null. */
  get error(): unknown {
    return this.lastError;
  }

  /** Requests outstanding now, of any generation (at most maxInFlight). */
  get inFlight(): number {
    return this.flights.length;
  }

  /** Requests sent since this loader was made, over all generations. */
  get sent(): number {
    return this.sentCount;
  }

  /** The cached pages, least recently in view first. */
  cachedPages(): number[] {
    return [...this.cache.keys()];
  }

  /** The rows of `page` if they are cached (reading does not count as a use). */
  rows(page: number): T[] | undefined {
    return this.cache.get(page);
  }

  /** Whether `page` of this generation has been sent and not answered yet. */
  isLoading(page: number): boolean {
    return this.flights.some((f) => f.page === page && f.generation === this.gen);
  }

  /**
   * The pages now in view, most wanted first (duplicates and negative pages are ignored). Pages queued
   * for an earlier view and not sent yet are forgotten; the pages given are sent as slots free up.
   * Until the first answer of a generation (the total is unknown) page 0 stays wanted as well.
   */
  setView(pages: readonly number[]): void {
    const view: number[] = [];
    for (const p of pages) if (Number.isInteger(p) && p >= 0 && !view.includes(p)) view.push(p);
    this.view = view;
    for (const p of view) this.touch(p);
    this.pump();
  }

  /**
   * Starts a new generation (a new search, filter or sort): drops the cache, the total, the error and
   * the view (page 0 becomes the view), so the next request sent is page 0 of the new generation.
   * Answers still outstanding for older generations are ignored when they arrive.
   */
  reset(): void {
    this.gen++;
    this.cache.clear();
    this.failed.clear();
    this.totalRows = null;
    this.lastError = null;
    this.view = [0];
    this.active = true;
    this.onChange();
    this.pump();
  }

  /**
   * Forgets everything (as reset does) and sends nothing more until the next reset: for a locked
   * vault, whose rows must leave the screen and which would refuse every request.
   */
  clear(): void {
    this.gen++;
    this.cache.clear();
    this.failed.clear();
    this.totalRows = null;
    this.lastError = null;
    this.view = [];
    this.active = false;
    this.onChange();
  }

  /** The pages to send next, in order: the view (page 0 first while the total is unknown). */
  private wanted(): number[] {
    if (!this.active) return [];
    const pages = this.totalRows === null && !this.view.includes(0) ? [0, ...this.view] : this.view;
    return pages.filter((p) => !this.cache.has(p) && !this.failed.has(p) && !this.isLoading(p));
  }

  private pump(): void {
    for (const page of this.wanted()) {
      if (this.flights.length >= this.maxInFlight) return;
      this.send(page);
    }
  }

  private send(page: number): void {
    const flight: Flight = { page, generation: this.gen };
    this.flights.push(flight);
    this.sentCount++;
    let answer: Promise<PageAnswer<T>>;
    try {
      answer = this.fetchPage(page, flight.generation);
    } catch (e) {
      answer = Promise.reject(e);
    }
    answer.then(
      (a) => this.land(flight, a, null),
      (e: unknown) => this.land(flight, null, e ?? new Error('the page request failed')),
    );
  }

  private land(flight: Flight, answer: PageAnswer<T> | null, error: unknown): void {
    this.flights.splice(this.flights.indexOf(flight), 1);
    if (flight.generation === this.gen) {
      if (answer) {
        // A page that left the view while its request was out is not kept: it would only push pages
        // the officer may scroll back to out of the cache. Page 0 answering a new generation is: the
        // table knew no size (so no view) until it came, and shows the top of a new list.
        if (this.view.includes(flight.page) || (flight.page === 0 && this.totalRows === null)) this.store(flight.page, answer.rows);
        this.totalRows = answer.total;
      } else {
        this.failed.add(flight.page);
        this.lastError = error;
      }
      this.onChange();
    }
    this.pump();
  }

  private store(page: number, rows: T[]): void {
    this.cache.set(page, rows);
    this.touch(page);
    for (const old of this.cache.keys()) {
      if (this.cache.size <= this.cacheSize) break;
      if (!this.view.includes(old)) this.cache.delete(old);
    }
  }

  /** Marks a cached page as used now (it moves to the end of the LRU order). */
  private touch(page: number): void {
    const rows = this.cache.get(page);
    if (rows === undefined) return;
    this.cache.delete(page);
    this.cache.set(page, rows);
  }
}
