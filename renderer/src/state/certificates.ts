// The certificate table's data: the filter, the total, and pages of rows fetched as the virtualised
// table scrolls to them. The fetching is page-loader.ts's: at most two requests out at once, only for
// the pages in view, the newest filter first, an LRU of 50 pages; so 100,000 certificates cost what one
// screenful does however fast the table is scrolled.
import { create } from 'zustand';
import type { RequestOf } from '../../../shared/api.js';
import type { CERT_SORTS, CertificateRecord } from '../../../shared/domain.js';
import { call, messageOf } from './api.js';
import { PageLoader } from './page-loader.js';

export const PAGE_SIZE = 100;
/** Requests for pages outstanding at once. */
export const MAX_IN_FLIGHT = 2;
/** Pages kept in memory (5,000 rows). */
export const CACHE_PAGES = 50;

export type CertFilter = Omit<RequestOf<'cert.list'>, 'offset' | 'limit'>;
export type CertSort = (typeof CERT_SORTS)[number];
export type SortDirection = 'asc' | 'desc';

/** What main sorts by when the request names no sort (shared/api.ts cert.list): expiry, ascending. */
export const DEFAULT_SORT: { sort: CertSort; direction: SortDirection } = { sort: 'expiry', direction: 'asc' };

/** The sort and direction `filter` lists by (main's defaults filled in). */
export function sortOf(filter: CertFilter): { sort: CertSort; direction: SortDirection } {
  return { sort: filter.sort ?? DEFAULT_SORT.sort, direction: filter.direction ?? DEFAULT_SORT.direction };
}

/**
 * The filter after a click on the header of `sort`: the sorted column's header flips the direction, another
 * column's sorts by it ascending. Search and filters are kept.
 */
export function nextSort(filter: CertFilter, sort: CertSort): CertFilter {
  const now = sortOf(filter);
  const direction: SortDirection = now.sort === sort && now.direction === 'asc' ? 'desc' : 'asc';
  return { ...filter, sort, direction };
}

interface CertificatesState {
  filter: CertFilter;
  total: number | null;
  /** Adds one with each new filter (and each forget). */
  generation: number;
  /** Adds one whenever rows arrive, so the table renders again. */
  version: number;
  error: string | null;
  /** A new filter, search or sort: everything queued for the old one is dropped; its page 0 goes first. */
  setFilter(filter: CertFilter): void;
  /** Sorts by `sort` (a click on its column header; see nextSort): a new generation, its page 0 first. */
  sortBy(sort: CertSort): void;
  /** The table's rows first..last are in view (0-based, inclusive): their pages are fetched first. */
  ensureRows(first: number, last: number): void;
  row(index: number): CertificateRecord | undefined;
  /** The pages held, least recently in view first. */
  cachedPages(): number[];
  reload(): void;
  /** Drops every row and total and sends nothing until the next setFilter (the vault was locked). */
  forget(): void;
}

/** The pages that hold rows first..last (0-based, inclusive), in order. */
export function pagesFor(first: number, last: number, pageSize = PAGE_SIZE): number[] {
  if (last < first) return [];
  const out: number[] = [];
  for (let p = Math.floor(first / pageSize); p <= Math.floor(last / pageSize); p++) out.push(p);
  return out;
}

/** The pages holding rows first..last, the one at the middle of the range first, then outwards. */
export function pagesByNeed(first: number, last: number, pageSize = PAGE_SIZE): number[] {
  const middle = Math.floor((first + last) / 2 / pageSize);
  return pagesFor(first, last, pageSize).sort((a, b) => Math.abs(a - middle) - Math.abs(b - middle) || a - b);
}

export const useCertificates = create<CertificatesState>((set, get) => {
  const loader: PageLoader<CertificateRecord> = new PageLoader<CertificateRecord>({
    maxInFlight: MAX_IN_FLIGHT,
    cacheSize: CACHE_PAGES,
    // Pages of an old generation are never sent after a reset, so the filter read here is the page's own.
    fetch: async (page) => call('cert.list', { ...get().filter, offset: page * PAGE_SIZE, limit: PAGE_SIZE }),
    onChange: () =>
      set((s) => ({
        total: loader.total,
        generation: loader.generation,
        error: loader.error === null ? null : messageOf(loader.error),
        version: s.version + 1,
      })),
  });
  return {
    filter: {},
    total: null,
    generation: 0,
    version: 0,
    error: null,
    setFilter: (filter) => {
      set({ filter });
      loader.reset();
    },
    sortBy: (sort) => get().setFilter(nextSort(get().filter, sort)),
    ensureRows: (first, last) => loader.setView(pagesByNeed(first, last)),
    row: (index) => loader.rows(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE],
    cachedPages: () => loader.cachedPages(),
    reload: () => get().setFilter(get().filter),
    forget: () => loader.clear(),
  };
});
