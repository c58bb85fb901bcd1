import { startBackend, type Reply, type TestBackend } from '../support/backends';
import { request, startTestTandem, type TestTandem } from '../support/tandem';

/** Redirects, status changes and dedupe through a real Tandem. */
describe('what is compared is what is reported', () => {
  let legacy: TestBackend;
  let candidate: TestBackend;
  let t: TestTandem;

  beforeAll(async () => {
    legacy = await startBackend((r): Reply => {
      if (r.url === '/go') return { status: 302, headers: { location: '/account' }, raw: '' };
      if (r.url.startsWith('/dup/')) return { headers: { 'x-v': '1' }, body: { a: 1 } };
      return { body: { id: 1, name: 'a', plan: 'x', tags: ['t'] } };
    });
    candidate = await startBackend((r): Reply => {
      if (r.url === '/go') return { status: 302, headers: { location: '/login' }, raw: '' };
      if (r.url.startsWith('/dup/')) return { headers: { 'x-v': r.url.endsWith('1') ? 'A' : 'B' }, body: { a: 2 } };
      return { status: 404, body: { error: 'not found' } };
    });
    t = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      routes: [
        { name: 'go', match: 'GET /go' },
        { name: 'account', match: 'GET /account' },
        { name: 'dup', match: 'GET /dup/:n', compare: { headers: ['x-v'] } },
      ],
    });
    for (const p of ['/go', '/account', '/dup/1', '/dup/2']) await request(`${t.url}${p}`);
    await t.waitFor(
      async () =>
        ((await t.counters('go')).compared ?? 0) >= 1 &&
        ((await t.counters('account')).compared ?? 0) >= 1 &&
        ((await t.counters('dup')).compared ?? 0) >= 2,
    );
  });

  afterAll(async () => {
    await t?.stop();
    await Promise.all([legacy?.close(), candidate?.close()]);
  });

  const mismatches = async (route: string) => {
    const { items } = await t.api(`/routes/${route}/mismatches`);
    return Promise.all(
      items.map(
        async (i: { id: string }) =>
          (await t.api(`/mismatches/${i.id}`)) as { result: { differences: unknown[]; signature: string }; duplicates?: number },
      ),
    );
  };

  it('a 302 to another path is a mismatch on location', async () => {
    const [m] = await mismatches('go');
    expect(m.result.differences).toEqual([{ path: '$headers.location', kind: 'changed', legacy: '/account', candidate: '/login' }]);
  });

  it('a 404 against a 200 is one difference, with both bodies stored beside it', async () => {
    const [m] = (await mismatches('account')) as unknown as {
      result: { differences: unknown[]; signature: string };
      exchange: { legacy: { body: unknown }; candidate: { body: unknown } };
    }[];
    expect(m.result.signature).toBe('$status');
    expect(m.result.differences).toEqual([{ path: '$status', kind: 'changed', legacy: 200, candidate: 404 }]);
    expect(m.exchange.legacy.body).toBeTruthy();
    expect(m.exchange.candidate.body).toBeTruthy();
  });

  it('equal bodies with different header differences are stored apart', async () => {
    const stored = await mismatches('dup');
    expect(stored).toHaveLength(2);
    expect(stored.map((m) => m.duplicates ?? 0)).toEqual([0, 0]);
  });
});
