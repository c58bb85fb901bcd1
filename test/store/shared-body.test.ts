import { decodeBody, type ExchangeRecord } from '../../src/records';
import { exchangesFromRedis } from '../../src/suggest';
import { loadExchange } from '../../src/replay';
import type { ResultsStore } from '../../src/store';
import { startBackend, type TestBackend } from '../support/backends';
import { call, comparedAtLeast, sendAll } from '../support/report-api';
import { testRedisTarget } from '../support/redis';
import { startTestTandem, type TestTandem } from '../support/tandem';

/** A JSON body of about `bytes` bytes, its text depending on `id` and `variant`. */
const doc = (id: number, bytes: number, variant = '') => ({
  id,
  variant,
  items: Array.from({ length: Math.ceil(bytes / 40) }, (_, i) => ({ i, name: `item "${i}" of ${id}` })),
});

/**
 * The candidate's body stored once when it is legacy's (#20): what is stored holds a
 * reference, and every reader (the store, the report API's exchange, mismatch and export
 * views, rediff, replay, suggest) gets both bodies back, through a real Tandem and Redis.
 */
describe('a body legacy and the candidate share, stored once', () => {
  let legacy: TestBackend;
  let candidate: TestBackend;
  let t: TestTandem;
  let store: ResultsStore;
  /** The product ids the candidate answers differently. */
  const DIFFERENT = 3;
  /** The marker of a reference, as text the candidate answers (legacy answers other text). */
  const SPOOF = 4;
  const SPOOF_TEXT = '{"sameAs":"legacy"}';

  beforeAll(async () => {
    legacy = await startBackend((req) => {
      const m = /^\/(products|status|users)\/(\d+)$/.exec(req.url);
      if (!m) return null;
      const id = Number(m[2]);
      if (m[1] === 'users') return { body: { ...doc(id, 600), password: `legacy-secret-${id}` } };
      return { body: doc(id, 2048) };
    });
    candidate = await startBackend((req) => {
      const m = /^\/(products|status|users)\/(\d+)$/.exec(req.url);
      if (!m) return null;
      const id = Number(m[2]);
      // users/1: the same secret as legacy; users/2: another one (the redacted texts differ)
      if (m[1] === 'users') return { body: { ...doc(id, 600), password: id === 1 ? 'legacy-secret-1' : 'candidate-secret' } };
      // status: legacy's body, another status (a mismatch whose bodies are equal)
      if (m[1] === 'status') return { status: 201, body: doc(id, 2048) };
      if (id === DIFFERENT) return { body: doc(id, 2048, 'other') };
      if (id === SPOOF) return { raw: SPOOF_TEXT };
      return { body: doc(id, 2048) };
    });
    t = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      routes: [
        { name: 'product', match: 'GET /products/:id' },
        { name: 'status', match: 'GET /status/:id' },
        { name: 'user', match: 'GET /users/:id' },
      ],
    });
    store = t.server.middleware.runtime.store();
    await sendAll(t.url, 4, (i) => `/products/${i}`, 2);
    await sendAll(t.url, 1, (i) => `/status/${i}`, 1);
    await sendAll(t.url, 2, (i) => `/users/${i}`, 1);
    await comparedAtLeast(t, 'product', 4);
    await comparedAtLeast(t, 'status', 1);
    await comparedAtLeast(t, 'user', 2);
  });

  afterAll(async () => {
    await t?.stop();
    await Promise.all([legacy?.close(), candidate?.close()]);
  });

  /** The stored exchange of a request path: its id, raw stored JSON and the store's reading of it. */
  const stored = async (route: string, path: string) => {
    const ids = await store.exchangeIds(route, 100);
    const all = await store.exchanges(ids);
    const at = all.findIndex((e) => e?.request.path === path);
    if (at < 0) throw new Error(`${path}: not stored`);
    const id = ids[at];
    const raw = (await store.redis.get(store.keys.exchange(id)))!;
    return { id, raw, ex: all[at]! };
  };
  const sameBodies = (ex: ExchangeRecord) => {
    expect(ex.candidate!.body!.data).toBe(ex.legacy.body!.data);
    expect(decodeBody(ex.candidate!.body!).toString()).toBe(JSON.stringify(doc(ex.request.path.endsWith('/1') ? 1 : 2, 2048)));
  };

  it('stores the equal candidate body as a reference, the text once, and reads both bodies back from the store', async () => {
    const { raw, ex } = await stored('product', '/products/1');
    const parsed = JSON.parse(raw) as { candidate: { body: Record<string, unknown> }; legacy: { body: Record<string, unknown> } };
    expect(parsed.candidate.body).toEqual({ encoding: 'utf8', sameAs: 'legacy', size: ex.legacy.body!.size, truncated: false });
    expect(raw.split(JSON.stringify(ex.legacy.body!.data)).length).toBe(2); // the text once
    expect(raw.length).toBeLessThan(JSON.stringify(ex).length - 2000);
    sameBodies(ex);
    expect(ex.candidate!.body).toEqual(ex.legacy.body);
    // the field order as recorded
    expect(Object.keys(ex.candidate!.body!)).toEqual(Object.keys(ex.legacy.body!));
  });

  it('gives both bodies to the report API (exchange view, export), replay and suggest', async () => {
    const { id, ex } = await stored('product', '/products/2');
    const view = await t.api<{ exchange: ExchangeRecord }>(`/exchanges/${encodeURIComponent(id)}`);
    expect(view.exchange).toEqual(ex);
    sameBodies(view.exchange);
    expect(await loadExchange(store, id)).toEqual(ex);
    expect((await store.storedExchange(id))!.exchange).toEqual(ex);
    const rows = await t.api<{ exchange: ExchangeRecord }[]>('/routes/product/export?format=json&class=match');
    const row = rows.find((r) => r.exchange.request.path === '/products/2')!;
    expect(row.exchange.candidate!.body).toEqual(row.exchange.legacy.body);
    const fromRedis = await exchangesFromRedis(testRedisTarget(), t.server.middleware.runtime.config.redis, 'product', 100);
    const mine = fromRedis.find((e) => e.request.path === '/products/2')!;
    expect(mine.candidate!.body!.data).toBe(mine.legacy.body!.data);
    // replay compares the stored legacy answer with the candidate's now: still a match
    const replay = await call(t, 'POST', `/exchanges/${encodeURIComponent(id)}/replay`);
    expect(replay.status).toBe(200);
    expect(replay.json).toMatchObject({ before: null, result: { class: 'match' } });
  });

  it('resolves the reference inside a mismatch record (equal bodies, another status)', async () => {
    const { id, raw } = await stored('status', '/status/1');
    expect(raw).toContain('"sameAs":"legacy"');
    const mismatchRaw = (await store.redis.get(store.keys.mismatch(id)))!;
    expect(mismatchRaw).toContain('"sameAs":"legacy"');
    const m = await t.api<{ exchange: ExchangeRecord; result: { class: string } }>(`/mismatches/${encodeURIComponent(id)}`);
    expect(m.result.class).toBe('mismatch');
    expect(m.exchange.candidate!.status).toBe(201);
    expect(m.exchange.candidate!.body).toEqual(m.exchange.legacy.body);
    expect(m.exchange.candidate!.body!.data.length).toBeGreaterThan(1500);
    expect((await store.mismatch(id))!.exchange.candidate!.body).toEqual(m.exchange.legacy.body);
    expect((await store.storedExchange(id))!.mismatch!.exchange.candidate!.body!.data).toBe(m.exchange.legacy.body!.data);
  });

  it('stores a candidate body that differs in full, and a body holding the marker text as text', async () => {
    const different = await stored('product', `/products/${DIFFERENT}`);
    expect(different.raw).not.toContain('sameAs');
    expect(JSON.parse(different.raw)).toEqual(different.ex);
    expect(decodeBody(different.ex.candidate!.body!).toString()).toBe(JSON.stringify(doc(DIFFERENT, 2048, 'other')));
    const spoof = await stored('product', `/products/${SPOOF}`);
    expect(JSON.parse(spoof.raw)).toEqual(spoof.ex);
    expect(spoof.ex.candidate!.body!.data).toBe(SPOOF_TEXT);
    expect(spoof.ex.legacy.body!.data).toBe(JSON.stringify(doc(SPOOF, 2048)));
    const view = await t.api<{ exchange: ExchangeRecord }>(`/exchanges/${encodeURIComponent(spoof.id)}`);
    expect(view.exchange.candidate!.body!.data).toBe(SPOOF_TEXT);
  });

  it('decides equality on the redacted text that is stored: no secret stored either way', async () => {
    const same = await stored('user', '/users/1');
    const other = await stored('user', '/users/2');
    for (const s of [same, other]) {
      expect(s.raw).not.toContain('secret-');
      expect(s.ex.legacy.body!.data).toMatch(/"password":"\[REDACTED:[0-9a-f]{16}\]"/);
    }
    // the same secret redacts to the same text: stored once
    expect(same.raw).toContain('"sameAs":"legacy"');
    expect(same.ex.candidate!.body).toEqual(same.ex.legacy.body);
    // another secret redacts to another fingerprint: two texts, both stored
    expect(other.raw).not.toContain('sameAs');
    expect(other.ex.candidate!.body!.data).not.toBe(other.ex.legacy.body!.data);
    expect(other.ex.candidate!.body!.data).toMatch(/"password":"\[REDACTED:[0-9a-f]{16}\]"/);
  });

  it('reads a record stored in full (before references) as it is', async () => {
    const { ex } = await stored('product', '/products/1');
    const id = store.keys.recordId('product', 'old-full-form');
    const old = { ...ex, id };
    await store.redis.set(store.keys.exchange(id), JSON.stringify(old), 'EX', 600);
    expect(await store.exchanges([id])).toEqual([old]);
    expect((await t.api<{ exchange: ExchangeRecord }>(`/exchanges/${encodeURIComponent(id)}`)).exchange).toEqual(old);
    expect(await loadExchange(store, id)).toEqual(old);
  });

  it('recomputes the route from the stored references (rediff)', async () => {
    const rediff = await call(t, 'POST', '/routes/product/rediff');
    expect(rediff).toEqual({ status: 200, json: { recomputed: 4, byClass: { match: 2, mismatch: 2 } } });
    const { ex } = await stored('product', '/products/1');
    sameBodies(ex);
  });

  it('holds one body text less in Redis memory for a stored match of a shared 2 KB body', async () => {
    const shared = (await stored('product', '/products/1')).id;
    const full = (await stored('product', `/products/${DIFFERENT}`)).id;
    const usage = async (id: string) => Number(await store.redis.call('MEMORY', 'USAGE', store.keys.exchange(id)));
    const [a, b] = [await usage(shared), await usage(full)];
    // the body's JSON text is ~2.4 KB of a ~7 KB record (headers of four messages are the rest); size classes round
    expect(a).toBeLessThan(b - 1500);
  });
});
