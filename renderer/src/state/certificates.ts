// The certificate table's data: the filter, the total, and pages of rows fetched as the virtualised
// table scrolls to them. Only the pages near the viewport are ever requested, so 100,000 certificates
// cost what one screenful does; a filter change starts a new generation and late answers are dropped.
import { create } from 'zustand';
import type { RequestOf } from '../../../shared/api.js';
import type { CertificateRecord } from '../../../shared/domain.js';
import { call, messageOf } from './api.js';

export const PAGE_SIZE = 100;

export type CertFilter = Omit<RequestOf<'cert.list'>, 'offset' | 'limit'>;

interface CertificatesState {
  filter: CertFilter;
  total: number | null;
  pages: Map<number, CertificateRecord[]>;
  loading: Set<number>;
  generation: number;
  error: string | null;
  setFilter(filter: CertFilter): void;
  /** Makes sure the pages holding rows first..last are loaded or loading. */
  ensureRows(first: number, last: number): void;
  row(index: number): CertificateRecord | undefined;
  reload(): void;
}

/** The pages that hold rows first..last. */
export function pagesFor(first: number, last: number, pageSize = PAGE_SIZE): number[] {
  if (last < first) return [];
  const out: number[] = [];
  for (let p = Math.floor(first / pageSize); p <= Math.floor(last / pageSize); p++) out.push(p);
  return out;
}

export const useCertificates = create<CertificatesState>((set, get) => {
  const load = async (page: number, generation: number) => {
    set({ loading: new Set(get().loading).add(page) });
    try {
      const res = await call('cert.list', { ...get().filter, offset: page * PAGE_SIZE, limit: PAGE_SIZE });
      if (get().generation !== generation) return;
      const pages = new Map(get().pages).set(page, res.rows);
      set({ pages, total: res.total, error: null });
    } catch (e) {
      if (get().generation === generation) set({ error: messageOf(e) });
    } finally {
      if (get().generation === generation) {
        const loading = new Set(get().loading);
        loading.delete(page);
        set({ loading });
      }
    }
  };
  return {
    filter: {},
    total: null,
    pages: new Map(),
    loading: new Set(),
    generation: 0,
    error: null,
    setFilter: (filter) => {
      set({ filter, total: null, pages: new Map(), loading: new Set(), generation: get().generation + 1 });
      void load(0, get().generation);
    },
    ensureRows: (first, last) => {
      const { pages, loading, generation } = get();
      for (const p of pagesFor(first, last)) if (!pages.has(p) && !loading.has(p)) void load(p, generation);
    },
    row: (index) => get().pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE],
    reload: () => get().setFilter(get().filter),
  };
});
