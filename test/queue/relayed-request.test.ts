import { attachBodies, compactCandidateRequest, expandCandidateRequest, jobExchanges, packJobs } from '../../src/queue';
import { bytesBody, type ExchangeRecord, type RequestRecord } from '../../src/records';
import { request as get, startTestTandem, type TestTandem } from '../support/tandem';
import { startBackend, type TestBackend } from '../support/backends';

/** An exchange as the shadow path records it: the candidate got the client's request, its Host and the shadow marker set. */
function shadowed(): ExchangeRecord {
  const request: RequestRecord = {
    method: 'POST',
    path: '/orders',
    query: { a: ['1', '2'] },
    rawQuery: '?a=1&a=2',
    headers: { host: 'shop.example', 'content-type': 'application/json', 'x-forwarded-for': '10.0.0.1', 'x-request-id': 'r1' },
    headerNames: ['Host', 'Content-Type'],
    headerLines: ['Host', 'shop.example', 'Content-Type', 'application/json'],
    body: bytesBody(Buffer.from('{"n":1}')),
  };
  return {
    id: 'e1',
    route: 'orders',
    customer: 'anonymous',
    at: 1,
    requestId: 'r1',
    params: {},
    request,
    legacy: { status: 200, headers: { 'content-type': 'application/json' }, body: bytesBody(Buffer.from('{"ok":1}')), durationMs: 1 },
    candidateRequest: { ...request, headers: { ...request.headers, host: 'candidate:8080', 'x-request-id': 'r1', 'x-tandem-shadow': '1' } },
    candidate: { status: 200, headers: { 'content-type': 'application/json' }, body: bytesBody(Buffer.from('{"ok":1}')), durationMs: 1 },
  };
}

describe('a candidate request that is the client one, relayed', () => {
  it('is queued as the header values it set, and read back as the same record', () => {
    const ex = shadowed();
    const [job] = packJobs([ex], 16, 'compare', (id) => `k:${id}`);
    const json = JSON.stringify(job.data);
    expect(json).not.toContain('candidateRequest');
    expect(jobExchanges(JSON.parse(json))[0]).toMatchObject({
      candidateRelayed: { headers: { host: 'candidate:8080', 'x-tandem-shadow': '1' } },
    });
    // What the worker gets back is the exchange as recorded, down to the order of its keys.
    const back = attachBodies(jobExchanges(JSON.parse(json)), job.parts).map(expandCandidateRequest)[0];
    const whole = JSON.parse(JSON.stringify(ex));
    expect(JSON.parse(JSON.stringify(back))).toEqual(whole);
    expect(Object.keys(back)).toEqual(Object.keys(whole));
    expect(Object.keys(back.candidateRequest!)).toEqual(Object.keys(whole.candidateRequest));
    expect(Object.keys(back.candidateRequest!.headers)).toEqual(Object.keys(whole.candidateRequest.headers));
  });

  it('stays whole when anything but header values differs, or a header is gone or moved', () => {
    const ex = shadowed();
    const cr = ex.candidateRequest!;
    const variants: RequestRecord[] = [
      { ...cr, path: '/v2/orders' },
      { ...cr, rawQuery: '?a=1' },
      { ...cr, body: bytesBody(Buffer.from('{"n":1}')) },
      { ...cr, headerLines: [...cr.headerLines!] },
      { ...cr, headers: { 'content-type': 'application/json', host: 'candidate:8080' } },
      { ...cr, headers: { 'x-request-id': 'r1', ...cr.headers } },
      { method: cr.method, path: cr.path, query: cr.query, headers: cr.headers, body: cr.body },
    ];
    for (const candidateRequest of variants)
      expect(compactCandidateRequest({ ...ex, candidateRequest })).toEqual({ ...ex, candidateRequest });
    const untranslated = { ...ex, candidateRequest: undefined };
    expect(compactCandidateRequest(untranslated)).toBe(untranslated);
  });

  it('reads back header names such as __proto__ and constructor as own headers, as a spread of the two maps gives', () => {
    // Header names come from clients (and queued data from Redis): expanding builds the candidate's
    // map by copying, which must not set the map's prototype where a header has that name.
    const queued = JSON.parse(
      JSON.stringify({
        ...shadowed(),
        candidateRequest: undefined,
        candidateRelayed: { headers: JSON.parse('{"host":"candidate:8080","__proto__":"q","x-tandem-shadow":"1"}') },
      }),
    );
    queued.request.headers = JSON.parse('{"host":"shop.example","__proto__":"p","constructor":"c","x-a":"1"}');
    const got = expandCandidateRequest(queued).candidateRequest!.headers;
    const spread = { ...queued.request.headers, ...queued.candidateRelayed.headers };
    expect(Object.getPrototypeOf(got)).toBe(Object.prototype);
    expect(Object.keys(got)).toEqual(['host', '__proto__', 'constructor', 'x-a', 'x-tandem-shadow']);
    expect(Object.keys(got)).toEqual(Object.keys(spread));
    expect(JSON.stringify(got)).toBe(JSON.stringify(spread));
    expect(JSON.stringify(got)).toBe('{"host":"candidate:8080","__proto__":"q","constructor":"c","x-a":"1","x-tandem-shadow":"1"}');
  });

  it('leaves exchanges queued by older versions as they are', () => {
    const whole = JSON.parse(JSON.stringify(shadowed()));
    expect(expandCandidateRequest(whole)).toBe(whole);
  });
});

describe('relayed candidate requests through Redis', () => {
  let legacy: TestBackend;
  let candidate: TestBackend;
  let t: TestTandem;

  beforeAll(async () => {
    legacy = await startBackend(() => ({ body: { price: 10 } }));
    candidate = await startBackend(() => ({ body: { price: 11 } }));
    t = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      routes: [{ name: 'item', match: 'GET /items/:id' }],
    });
  });

  afterAll(async () => {
    await t?.stop();
    await legacy?.close();
    await candidate?.close();
  });

  it('are stored as the candidate got them', async () => {
    await get(`${t.url}/items/1?x=1`);
    await t.waitFor(async () => (await t.counters('item')).compared === 1);
    const { items } = await t.api<{ items: { id: string }[] }>('/routes/item/mismatches');
    const { exchange } = await t.api<{ exchange: ExchangeRecord }>(`/mismatches/${items[0].id}`);
    const sent = candidate.seen[0];
    expect(exchange.candidateRequest).toMatchObject({ method: 'GET', path: '/items/1', rawQuery: '?x=1' });
    expect(sent.headers['x-tandem-shadow']).toBe('1');
    expect(exchange.candidateRequest!.headers).toMatchObject({ host: sent.headers.host, 'x-tandem-shadow': '1' });
    expect(exchange.candidateRequest!.headerLines).toEqual(exchange.request.headerLines);
  });
});
