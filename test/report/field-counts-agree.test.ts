import { startBackend, type TestBackend } from '../support/backends';
import { request, startTestTandem, type TestTandem } from '../support/tandem';

// The route page's field tree says, per path, in how many comparisons it differed; a click on
// a path lists "the newest mismatches where it differs" (fields/examples). Both are one number:
// a candidate 500 (a candidate_error, shown under Errors) put a `$status` row of 2 in the tree
// whose list was empty (total 0).
describe('field tree counts and their examples', () => {
  let legacy: TestBackend;
  let candidate: TestBackend;
  let t: TestTandem;

  beforeAll(async () => {
    legacy = await startBackend(() => ({ body: { price: 10, status: 'active' } }));
    candidate = await startBackend((req) =>
      req.url.endsWith('/5') || req.url.endsWith('/6')
        ? { status: 500, body: { error: 'boom' } }
        : { body: { price: 10, status: req.url.endsWith('/4') ? 'ACTIVE' : 'active' } },
    );
    t = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      routes: [{ name: 'item', match: 'GET /items/:id' }],
    });
    for (const id of [1, 2, 3, 4, 5, 6]) await request(`${t.url}/items/${id}`);
    await t.waitFor(async () => (await t.counters('item')).compared === 6);
  });

  afterAll(async () => {
    await t?.stop();
    await Promise.all([legacy?.close(), candidate?.close()]);
  });

  it('every path the tree counts lists as many stored mismatches as it counts', async () => {
    const counters = await t.counters('item');
    expect(counters).toMatchObject({ match: 3, mismatch: 1, candidate_error: 2 });
    const fields = await t.api<{ differs: Record<string, number> }>('/routes/item/fields');
    const listed: Record<string, number> = {};
    for (const path of Object.keys(fields.differs)) {
      const ex = await t.api<{ total: number }>(`/routes/item/fields/examples?path=${encodeURIComponent(path)}`);
      listed[path] = ex.total;
    }
    expect(fields.differs).toEqual(listed);
    expect(fields.differs).toEqual({ status: 1 });
  });
});
