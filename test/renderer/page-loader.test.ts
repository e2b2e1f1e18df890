// The certificate table's page scheduling (renderer/src/state/page-loader.ts) under plain Node: main's
// answers are promises the test resolves by hand, so every figure is a count of requests, never a time.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PageLoader, type PageAnswer } from '../../renderer/src/state/page-loader.js';
import { fuzzCase, fuzzSeed, Rng } from '../helpers/fuzz.js';

const PAGE = 100;

interface Pending {
  page: number;
  generation: number;
  answer(total?: number): void;
  fail(message: string): void;
}

/** A loader over a fake main: each request waits in `pending` until the test answers it. */
function harness(opts: { total?: number; cacheSize?: number } = {}) {
  const pending: Pending[] = [];
  const sent: { page: number; generation: number }[] = [];
  let maxInFlight = 0;
  const loader = new PageLoader<string>({
    cacheSize: opts.cacheSize,
    fetch: (page, generation) => {
      sent.push({ page, generation });
      return new Promise<PageAnswer<string>>((resolve, reject) => {
        pending.push({
          page,
          generation,
          answer: (total = opts.total ?? 80_000) => resolve({ total, rows: Array.from({ length: PAGE }, (_, i) => `g${generation} row ${page * PAGE + i}`) }),
          fail: (m) => reject(new Error(m)),
        });
      });
    },
    onChange: () => {
      maxInFlight = Math.max(maxInFlight, loader.inFlight);
    },
  });
  /** Lets answered promises land (their then-callbacks run as microtasks). */
  const settle = () => new Promise<void>((r) => setImmediate(r));
  /** Answers the oldest outstanding request and lets it land. */
  const answerOldest = async (total?: number) => {
    const p = pending.shift();
    assert.ok(p, 'a request is outstanding');
    p.answer(total);
    await settle();
    return p;
  };
  const watch = () => {
    maxInFlight = Math.max(maxInFlight, loader.inFlight);
  };
  return { loader, pending, sent, settle, answerOldest, watch, maxInFlight: () => maxInFlight };
}

test('a fast scroll over 800 pages: at most 2 requests out, 44 sent in all, the last view asked next', async () => {
  const h = harness();
  h.loader.reset();
  assert.deepEqual(h.sent, [{ page: 0, generation: 1 }], 'a new generation asks for its page 0 at once');
  await h.answerOldest();
  assert.equal(h.loader.total, 80_000);
  // The officer drags the scroll bar from top to bottom: the view (two pages) moves one page per step,
  // 799 steps, while main answers one request every 20 steps (a slow OFFSET query far down the table).
  for (let step = 0; step < 799; step++) {
    h.loader.setView([step, step + 1]);
    h.watch();
    assert.ok(h.loader.inFlight <= 2, `step ${step}: ${h.loader.inFlight} requests out`);
    if (step % 20 === 19) await h.answerOldest();
  }
  // Page 0, the first two slots (pages 1 and 2), then one request per answer (39): the old store sent
  // one per page passed over, 800.
  assert.equal(h.sent.length, 42, 'requests sent up to the end of the scroll');
  assert.equal(h.maxInFlight(), 2);
  // The scroll stopped on pages 798 and 799; both slots hold requests for pages scrolled past.
  assert.ok(h.pending.every((p) => p.page < 780), `stale requests out: ${h.pending.map((p) => p.page)}`);
  await h.answerOldest(); // a stale answer lands: ignored, and its slot goes to the view
  assert.deepEqual(h.sent.at(-1), { page: 798, generation: 1 });
  await h.answerOldest();
  assert.deepEqual(h.sent.at(-1), { page: 799, generation: 1 });
  assert.equal(h.sent.length, 44, 'after the scroll stopped, only the two pages in view were asked for');
  await h.answerOldest();
  await h.answerOldest();
  assert.equal(h.loader.inFlight, 0);
  assert.equal(h.loader.rows(798)?.[0], 'g1 row 79800');
  assert.equal(h.loader.rows(799)?.[99], 'g1 row 79999');
  // Pages whose answers came after they left the view were not kept.
  assert.deepEqual(h.loader.cachedPages(), [0, 798, 799]);
  assert.equal(new Set(h.sent.map((s) => s.page)).size, h.sent.length, 'no page was asked twice');
});

test('a search after a scroll: the queued pages are dropped, its page 0 is the next request, old answers are ignored', async () => {
  const h = harness();
  h.loader.reset();
  await h.answerOldest();
  for (let step = 0; step < 300; step++) h.loader.setView([step, step + 1]);
  assert.deepEqual(h.pending.map((p) => p.page), [1, 2], 'two requests out, the rest never sent');
  const before = h.sent.length;
  h.loader.reset(); // the officer types a search
  assert.equal(h.loader.generation, 2);
  assert.equal(h.loader.total, null);
  assert.deepEqual(h.loader.cachedPages(), [], 'the old rows are gone');
  assert.equal(h.sent.length, before, 'both slots are still taken: nothing sent yet');
  h.loader.setView([299, 300]); // the table, still scrolled down for a moment, reports its view
  await h.answerOldest(); // page 1 of the old generation lands
  assert.deepEqual(h.sent.slice(before), [{ page: 0, generation: 2 }], "the search's page 0 is the next request");
  assert.equal(h.loader.total, null, 'the old answer did not set the total');
  assert.equal(h.loader.rows(1), undefined, 'nor its rows');
  await h.answerOldest(); // page 2 of the old generation lands; its slot goes to the view
  assert.deepEqual(h.sent.slice(before).map((s) => s.generation), [2, 2]);
  assert.equal(h.pending[0]!.generation, 2);
  h.pending.splice(0).forEach((p) => p.answer(40_000));
  await h.settle();
  assert.equal(h.loader.total, 40_000);
  assert.equal(h.loader.rows(0)?.[0], 'g2 row 0', 'page 0 of a new generation is kept: it is where the table starts');
  assert.equal(h.loader.rows(299)?.[0], 'g2 row 29900');
});

test('a new list: the table reports no view until it knows the size, and page 0 is asked once', async () => {
  const h = harness();
  h.loader.reset();
  h.loader.setView([]); // no total yet: the virtualised table has no rows to show
  assert.deepEqual(h.sent, [{ page: 0, generation: 1 }]);
  await h.answerOldest(1);
  assert.equal(h.loader.total, 1);
  h.loader.setView([0]); // the one row comes into view
  assert.equal(h.sent.length, 1, 'page 0 was kept, not asked again');
  assert.equal(h.loader.rows(0)?.[0], 'g1 row 0');
});

test('the cache keeps the 50 pages most recently in view and never drops a page in view', async () => {
  const h = harness({ cacheSize: 50 });
  h.loader.reset();
  await h.answerOldest();
  for (let p = 1; p <= 60; p++) {
    h.loader.setView([p]);
    await h.answerOldest();
  }
  const cached = h.loader.cachedPages();
  assert.equal(cached.length, 50);
  assert.deepEqual(cached, Array.from({ length: 50 }, (_, i) => i + 11), 'pages 0-10 were the least recently in view');
  // Seeing page 20 again makes it the most recent: the next eviction takes page 11, not 20.
  h.loader.setView([20]);
  assert.equal(h.sent.length, 61, 'a cached page is not asked again');
  h.loader.setView([61]);
  await h.answerOldest();
  assert.equal(h.loader.rows(11), undefined);
  assert.equal(h.loader.rows(20)?.[0], 'g1 row 2000');
  assert.deepEqual(h.loader.cachedPages().slice(-2), [20, 61]);
});

test('a failed page is reported and not asked again until the next reset', async () => {
  const h = harness();
  h.loader.reset();
  h.pending.shift()!.fail('the vault is locked');
  await h.settle();
  assert.equal((h.loader.error as Error).message, 'the vault is locked');
  h.loader.setView([0]);
  h.loader.setView([0]);
  assert.equal(h.sent.length, 1, 'no retry storm against a failing main');
  h.loader.reset();
  assert.equal(h.loader.error, null);
  assert.deepEqual(h.sent.at(-1), { page: 0, generation: 2 });
});

test('clear (a locked vault) forgets the rows and sends nothing until the next reset', async () => {
  const h = harness();
  h.loader.reset();
  await h.answerOldest();
  h.loader.setView([3, 4]);
  h.loader.clear();
  assert.deepEqual(h.loader.cachedPages(), []);
  h.loader.setView([5]);
  await h.answerOldest();
  await h.answerOldest();
  assert.deepEqual(h.sent.map((s) => s.page), [0, 3, 4], 'nothing sent after clear');
  assert.equal(h.loader.rows(3), undefined, 'an answer that lands after clear is ignored');
  assert.equal(h.loader.total, null);
  h.loader.reset();
  assert.deepEqual(h.sent.at(-1), { page: 0, generation: 3 });
});

test('fuzz: random views, answers, failures and resets keep every rule', async () => {
  const seed = fuzzSeed();
  const rng = new Rng(seed);
  const h = harness({ cacheSize: 8 });
  h.loader.reset();
  let view: number[] = [0];
  let viewAtSend: number[] = view;
  const checkSends = (from: number, i: number, totalBefore: number | null) => {
    for (const s of h.sent.slice(from)) {
      assert.equal(s.generation, h.loader.generation, `${fuzzCase(seed, i)}: a request of an old generation was sent`);
      const forTotal = s.page === 0 && totalBefore === null; // page 0 carries the total of a new generation
      assert.ok(viewAtSend.includes(s.page) || forTotal, `${fuzzCase(seed, i)}: page ${s.page} sent while the view was ${viewAtSend}`);
    }
  };
  for (let i = 0; i < 3000; i++) {
    const from = h.sent.length;
    const totalBefore = h.loader.total;
    const op = rng.int(10);
    if (op < 5) {
      const start = rng.int(1000);
      view = Array.from({ length: 1 + rng.int(3) }, (_, k) => start + k);
      viewAtSend = view;
      h.loader.setView(view);
    } else if (op < 9 && h.pending.length) {
      const p = h.pending.splice(rng.int(h.pending.length), 1)[0]!;
      if (rng.int(20) === 0) p.fail('boom');
      else p.answer(100_000);
      await h.settle();
    } else if (op === 9) {
      view = [0];
      viewAtSend = view;
      h.loader.reset();
    }
    checkSends(from, i, totalBefore);
    assert.ok(h.loader.inFlight <= 2, `${fuzzCase(seed, i)}: ${h.loader.inFlight} in flight`);
    assert.equal(h.loader.inFlight, h.pending.length, `${fuzzCase(seed, i)}: the loader's count matches the requests out`);
    assert.ok(h.loader.cachedPages().length <= 8, `${fuzzCase(seed, i)}: cache over its bound`);
    for (const p of h.loader.cachedPages()) assert.equal(h.loader.rows(p)?.[0], `g${h.loader.generation} row ${p * PAGE}`, `${fuzzCase(seed, i)}: page ${p} holds another generation's rows`);
    // Whenever a slot is free, every page in view is cached, loading, or failed.
    if (h.loader.inFlight < 2) for (const p of view) assert.ok(h.loader.rows(p) !== undefined || h.loader.isLoading(p) || h.loader.error !== null, `${fuzzCase(seed, i)}: page ${p} in view left waiting with a free slot`);
  }
});
