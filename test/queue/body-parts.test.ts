import { attachBodies, detachBodies, packJobs, type ExchangePack } from '../../src/queue';
import { bodyBytes, bytesBody, decodeBody, encodeBody, type ExchangeRecord } from '../../src/records';
import { compareResponses, normalisePair } from '../../src/compare';
import { storedExchangeJson } from '../../src/store/exchange-json';
import { keysUnder } from '../support/redis';
import { request, startTestTandem, type TestTandem } from '../support/tandem';
import { startBackend, type TestBackend } from '../support/backends';
import { exchangeRecord } from '../support/exchanges';

const plain = (x: unknown) => JSON.parse(JSON.stringify(x));

function exchange(): ExchangeRecord {
  const reqBody = bytesBody(Buffer.from('{"q":"MARKER-REQUEST"}'));
  const request = { method: 'POST', path: '/x', query: {}, headers: { 'content-type': 'application/json' }, body: reqBody };
  const answer = () => bytesBody(Buffer.from('{"price":"MARKER-ANSWER","n":1}'));
  return exchangeRecord({
    request,
    legacy: { status: 200, headers: {}, body: answer(), durationMs: 1 },
    // The identity translator keeps the client's body object.
    candidateRequest: { ...request, headers: { ...request.headers, 'x-tandem-shadow': '1' } },
    candidate: { status: 200, headers: {}, body: answer(), durationMs: 1 },
    legacyRepeat: { status: 200, headers: {}, body: bytesBody(Buffer.from([0xff, 0xfe, 0x00, 0x41])), durationMs: 1 },
  });
}

describe('bodies that keep their bytes', () => {
  it('decide the encoding at once and decode only when read', () => {
    const text = bytesBody(Buffer.from('héllo'));
    expect(text).toMatchObject({ encoding: 'utf8', size: 6, truncated: false });
    expect(text.data).toBe('héllo');
    const binary = bytesBody(Buffer.from([0xff, 0x00]));
    expect(binary.encoding).toBe('base64');
    expect(binary.data).toBe(Buffer.from([0xff, 0x00]).toString('base64'));
    expect(plain(text)).toEqual(plain(encodeBody(Buffer.from('héllo'))));
  });

  it('lose their bytes when copied or rewritten, so the bytes never disagree with the text', () => {
    const b = bytesBody(Buffer.from('{"a":1}'));
    expect(bodyBytes(b)?.toString()).toBe('{"a":1}');
    const copy = { ...b, data: '{"a":2}' };
    expect(bodyBytes(copy)).toBeUndefined();
    expect(decodeBody(copy).toString()).toBe('{"a":2}');
    b.data = '{"a":3}';
    expect(bodyBytes(b)).toBeUndefined();
    expect(decodeBody(b).toString()).toBe('{"a":3}');
  });
});

describe('body parts beside the job', () => {
  it('carry each distinct body once and leave no body text in the job JSON', () => {
    const ex = exchange();
    const { exchanges, parts } = detachBodies([ex]);
    // request and candidateRequest share one part, legacy and candidate (byte-equal) another, plus the repeat.
    expect(parts.map((p) => p.toString('latin1'))).toEqual([
      '{"q":"MARKER-REQUEST"}',
      '{"price":"MARKER-ANSWER","n":1}',
      Buffer.from([0xff, 0xfe, 0x00, 0x41]).toString('latin1'),
    ]);
    const json = JSON.stringify(exchanges);
    expect(json).not.toContain('MARKER');
    expect(plain(exchanges[0].candidate!.body)).toEqual({ encoding: 'utf8', size: 31, truncated: false, part: 1 });
    expect(plain(attachBodies(JSON.parse(json), parts))).toEqual([plain(ex)]);
  });

  it('leaves bodies without bytes inline, and packs a lone such exchange as itself', () => {
    const ex = { ...exchange(), legacyRepeat: undefined };
    const inline = {
      ...ex,
      request: { ...ex.request, body: encodeBody(Buffer.from('x')) },
      candidateRequest: undefined,
      legacy: { ...ex.legacy, body: null },
      candidate: undefined,
    };
    const [job] = packJobs([inline], 16, 'compare', (id) => `k:${id}`);
    expect(job.parts).toEqual([]);
    expect(job.data).toBe(inline);
    const [packed] = packJobs([exchange()], 16, 'compare', (id) => `k:${id}`);
    expect((packed.data as ExchangePack).bodies).toBe('k:e1');
    expect(packed.parts).toHaveLength(3);
  });

  it('attaches bodies that hold their part and decode it only when read, so a byte-equal pair is compared undecoded', () => {
    const { exchanges, parts } = detachBodies([exchange()]);
    const [ex] = attachBodies(JSON.parse(JSON.stringify(exchanges)), parts);
    // legacy and the candidate hold the same part: their comparison needs no text
    expect(bodyBytes(ex.legacy.body)).toBe(parts[1]);
    expect(bodyBytes(ex.candidate!.body)).toBe(parts[1]);
    const decoded = jest.spyOn(Buffer.prototype, 'toString');
    try {
      const [l, c] = normalisePair(ex.legacy, ex.candidate!, { maxDecompressedBytes: 1 << 20 });
      expect(compareResponses(l, c, { rules: {} }).class).toBe('match');
      expect(decoded.mock.calls).toEqual([]);
    } finally {
      decoded.mockRestore();
    }
    // stored, the candidate's body is a reference to legacy's: only legacy's bytes are decoded
    const decodedForStore = jest.spyOn(Buffer.prototype, 'toString');
    try {
      expect(storedExchangeJson(ex)).toContain('"sameAs":"legacy"');
      expect(decodedForStore.mock.contexts.filter((b) => b === parts[1])).toHaveLength(1);
    } finally {
      decodedForStore.mockRestore();
    }
    expect(ex.candidate!.body!.data).toBe('{"price":"MARKER-ANSWER","n":1}');
    expect(ex.candidate!.body!.size).toBe(31);
  });

  it('refuses to attach a part that is missing', () => {
    const { exchanges, parts } = detachBodies([exchange()]);
    expect(() => attachBodies(exchanges, parts.slice(0, 1))).toThrow(/body part 1 of exchange e1 is missing/);
  });
});

describe('body parts through Redis', () => {
  let legacy: TestBackend;
  let candidate: TestBackend;
  let t: TestTandem;

  beforeAll(async () => {
    legacy = await startBackend((r) => ({ body: { id: r.url, price: 10, blob: 'x'.repeat(3000) } }));
    candidate = await startBackend((r) => ({ body: { id: r.url, price: r.url.endsWith('/2') ? 11 : 10, blob: 'x'.repeat(3000) } }));
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

  it('compares whole bodies and deletes the parts once the job is done', async () => {
    await Promise.all([1, 2, 3, 4].map((i) => request(`${t.url}/items/${i}`)));
    const c = await t.waitFor(async () => {
      const counters = await t.counters('item');
      return counters.compared === 4 && counters;
    });
    expect(c).toMatchObject({ match: 3, mismatch: 1 });
    const { items } = await t.api<{ items: { id: string }[] }>('/routes/item/mismatches');
    const detail = await t.api<{ exchange: ExchangeRecord }>(`/mismatches/${items[0].id}`);
    expect(JSON.parse(detail.exchange.candidate!.body!.data)).toMatchObject({ id: '/items/2', price: 11 });
    expect(JSON.parse(detail.exchange.legacy.body!.data)).toMatchObject({ id: '/items/2', price: 10 });
    await t.waitFor(async () => !(await keysUnder(t.prefix)).some((k) => k.includes(':bodies:')));
  });
});
