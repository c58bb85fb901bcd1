import { gzipSync } from 'node:zlib';
import { defineTranslator, identityTranslator, translateRequest, translateResponse, type Translator } from '../../src/translate';
import { bodyText, ctxFor, failure, jsonResponse, request } from './fixtures';

describe('translateRequest', () => {
  it('returns the very record when the translator has no request function', async () => {
    const req = request('POST', '/x', { body: { a: 1 } });
    await expect(translateRequest(identityTranslator, req, {})).resolves.toBe(req);
    await expect(translateRequest(defineTranslator({ name: 'only-res', response: (r) => r }), req)).resolves.toBe(req);
  });

  it('parses a JSON body for the translator and re-encodes it, dropping content-length', async () => {
    let seen: unknown;
    const t = defineTranslator({
      name: 'rename',
      request(req) {
        seen = req;
        const { a, ...rest } = req.body as Record<string, unknown>;
        return { ...req, path: `/v2${req.path}`, body: { ...rest, b: a } };
      },
    });
    const req = request('POST', '/items/7', { body: { a: 1, keep: 'yes' }, query: { q: 'x' } });
    const out = await translateRequest(t, req, { id: '7' });
    expect(seen).toMatchObject({ method: 'POST', path: '/items/7', query: { q: 'x' }, params: { id: '7' }, body: { a: 1, keep: 'yes' } });
    expect(out.path).toBe('/v2/items/7');
    expect(bodyText(out)).toBe('{"keep":"yes","b":1}');
    expect(out.body).toMatchObject({ encoding: 'utf8', size: 20, truncated: false });
    expect(out.headers['content-length']).toBeUndefined();
    expect(out.headers['content-type']).toBe('application/json');
    expect(req.headers['content-length']).toBe('20'); // the original is untouched
  });

  it('gives form bodies as objects, text as strings, anything else as a Buffer', async () => {
    const seen: unknown[] = [];
    const t = defineTranslator({ name: 'spy', request: (r) => (seen.push(r.body), r) });
    const form = request('POST', '/f', { body: 'a=1&b=x+y&a=2', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const text = request('POST', '/t', { body: 'hello', headers: { 'content-type': 'text/plain; charset=utf-8' } });
    const bin = request('POST', '/b', { body: Buffer.from([0, 159, 255]), headers: { 'content-type': 'application/octet-stream' } });
    const badJson = request('POST', '/j', { body: '{nope', headers: { 'content-type': 'application/json' } });
    const outs = [
      await translateRequest(t, form),
      await translateRequest(t, text),
      await translateRequest(t, bin),
      await translateRequest(t, badJson),
    ];
    expect(seen[0]).toEqual({ a: ['1', '2'], b: 'x y' });
    expect(seen[1]).toBe('hello');
    expect(Buffer.isBuffer(seen[2]) && [...(seen[2] as Buffer)]).toEqual([0, 159, 255]);
    expect(Buffer.isBuffer(seen[3]) && (seen[3] as Buffer).toString()).toBe('{nope');
    // Returned unchanged: the client's bytes go as they came, not re-encoded (a=1&a=2&b=x+y).
    expect(bodyText(outs[0])).toBe('a=1&b=x+y&a=2');
    expect(bodyText(outs[1])).toBe('hello');
    expect(outs[2].body).toMatchObject({ encoding: 'base64', data: Buffer.from([0, 159, 255]).toString('base64') });
    expect(bodyText(outs[3])).toBe('{nope');
  });

  it('decompresses a gzip body for the translator and sends the translated one plain', async () => {
    const raw = gzipSync(JSON.stringify({ n: 1 }));
    const req = request('POST', '/z', { body: raw, headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } });
    const t = defineTranslator({ name: 'inc', request: (r) => ({ ...r, body: { n: (r.body as { n: number }).n + 1 } }) });
    const out = await translateRequest(t, req);
    expect(bodyText(out)).toBe('{"n":2}');
    expect(out.headers['content-encoding']).toBeUndefined();
  });

  it('lets translators mutate their input without touching the recorded request', async () => {
    const req = request('GET', '/m', { headers: { authorization: 'secret', accept: ['a', 'b'] }, query: { q: ['1', '2'] } });
    const t = defineTranslator({
      name: 'mutate',
      request(r) {
        delete r.headers.authorization;
        (r.headers.accept as string[]).push('c');
        (r.query.q as string[]).push('3');
        return r;
      },
    });
    const out = await translateRequest(t, req);
    expect(req.headers).toEqual({ host: 'legacy.test', authorization: 'secret', accept: ['a', 'b'] });
    expect(req.query).toEqual({ q: ['1', '2'] });
    expect(out.headers).toEqual({ host: 'legacy.test', accept: ['a', 'b', 'c'] });
    expect(out.body).toBeNull();
  });

  it('normalises output: method upper-case, header names lower-case, numbers as strings, nulls dropped', async () => {
    const t = defineTranslator({
      name: 'loose',
      request: (r) => ({
        ...r,
        method: 'put',
        headers: { 'X-Count': 3 as unknown as string, gone: undefined },
        query: { offset: 20 as unknown as string, skip: null as unknown as string },
      }),
    });
    const out = await translateRequest(t, request('GET', '/n'));
    expect(out).toEqual({
      method: 'PUT',
      path: '/n',
      query: { offset: '20' },
      rawQuery: '?offset=20',
      headers: { 'x-count': '3' },
      body: null,
    });
  });

  it('sets a JSON content type for an object body added to a request without one', async () => {
    const t = defineTranslator({ name: 'add-body', request: (r) => ({ ...r, method: 'POST', body: [1, 2] }) });
    const out = await translateRequest(t, request('GET', '/a'));
    expect(out.headers['content-type']).toBe('application/json');
    expect(bodyText(out)).toBe('[1,2]');
  });

  it('fails a translator that never resolves within the budget, clearing nothing it should not', async () => {
    const stuck = defineTranslator({ name: 'stuck', request: () => new Promise<never>(() => undefined) });
    const started = Date.now();
    const e = await failure(translateRequest(stuck, request('GET', '/s'), {}, { timeoutMs: 30 }));
    const elapsed = Date.now() - started;
    expect(e.message).toBe('translator "stuck" timed out after 30 ms');
    expect(e.stage).toBe('request');
    expect(e.kind).toBe('timeout');
    expect(e.toRecord()).toEqual({ stage: 'request', message: 'translator "stuck" timed out after 30 ms' });
    expect(elapsed).toBeGreaterThanOrEqual(25);
    expect(elapsed).toBeLessThan(2000); // the budget ended it (a loaded machine runs its timer late; never would be the 30 s test timeout)
  });

  it("uses 50 ms by default and the translator's own budget when it sets one", async () => {
    const never = () => new Promise<never>(() => undefined);
    expect((await failure(translateRequest({ name: 'd', request: never }, request('GET', '/')))).message).toBe(
      'translator "d" timed out after 50 ms',
    );
    expect((await failure(translateRequest({ name: 'own', timeoutMs: 20, request: never }, request('GET', '/')))).message).toBe(
      'translator "own" timed out after 20 ms',
    );
  });

  it('fails a synchronous translator that blocked past its budget', async () => {
    const busy = defineTranslator({
      name: 'busy',
      request(r) {
        // Spends 40 ms of its own CPU (a wall-clock wait would be partly someone else's time on a loaded machine).
        const start = process.cpuUsage();
        for (;;) {
          const used = process.cpuUsage(start);
          if (used.user + used.system >= 40_000) break;
        }
        return r;
      },
    });
    const e = await failure(translateRequest(busy, request('GET', '/'), {}, { timeoutMs: 10 }));
    expect(e.message).toMatch(/^translator "busy" timed out after 10 ms \(it blocked for \d+ ms\)$/);
  });

  it('never blames a translator for time it did not spend: its thread paused past the budget (as when the process is descheduled)', async () => {
    const paused = defineTranslator({
      name: 'paused',
      request(r) {
        // The thread sleeps 80 ms without running: wall time passes, the translator spends none.
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 80);
        return r;
      },
    });
    const out = await translateRequest(paused, request('GET', '/p'), {}, { timeoutMs: 20 });
    expect(out.path).toBe('/p');
  });

  it('clears its timer when the translator answers in time', async () => {
    const spy = jest.spyOn(global, 'clearTimeout');
    try {
      const out = await translateRequest(
        defineTranslator({ name: 'fast', request: async (r) => r }),
        request('GET', '/f'),
        {},
        { timeoutMs: 10_000 },
      );
      expect(out.path).toBe('/f');
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });

  it('turns a throw or a rejection into a failure with the message', async () => {
    const boom = defineTranslator({
      name: 'boom',
      request: () => {
        throw new Error('no price');
      },
    });
    const e = await failure(translateRequest(boom, request('GET', '/')));
    expect(e.message).toBe('translator "boom" threw: no price');
    expect(e.kind).toBe('threw');
    expect((e.cause as Error).message).toBe('no price');
    const rejects = defineTranslator({ name: 'rej', request: () => Promise.reject('plain string') });
    expect((await failure(translateRequest(rejects, request('GET', '/')))).message).toBe('translator "rej" threw: plain string');
  });

  it.each<[string, Translator['request'], string]>([
    ['undefined', () => undefined as never, 'expected a request object, got undefined'],
    ['a bad path', (r) => ({ ...r, path: 'v2/x' }), 'path must be a string starting with "/", got "v2/x"'],
    [
      'a query in the path',
      (r) => ({ ...r, path: '/x?a=1' }),
      'path must not contain "?", "#" or whitespace (put parameters in query), got "/x?a=1"',
    ],
    ['a header with a newline', (r) => ({ ...r, headers: { x: 'a\r\nb' } }), 'header "x" must not contain CR, LF or NUL'],
    [
      'an object body under text/plain',
      (r) => ({ ...r, headers: { 'content-type': 'text/plain' }, body: { a: 1 } }),
      'body is an object but content-type is "text/plain"; set a JSON content type, or return a string or Buffer',
    ],
  ])('rejects %s as invalid output', async (_, fn, reason) => {
    const e = await failure(translateRequest({ name: 'bad', request: fn }, request('GET', '/')));
    expect(e.kind).toBe('invalid_output');
    expect(e.message).toBe(`translator "bad" returned an invalid request: ${reason}`);
  });

  it('refuses to translate a body that was truncated at capture', async () => {
    const req = request('POST', '/big');
    req.body = { encoding: 'base64', data: '', size: 5_000_000, truncated: true, sha256: 'ab' };
    const e = await failure(translateRequest({ name: 't', request: (r) => r }, req));
    expect(e.kind).toBe('untranslatable_input');
    expect(e.message).toBe('translator "t" cannot translate a body over the capture cap (5000000 bytes)');
  });
});

describe('translateResponse', () => {
  const ctx = ctxFor(request('GET', '/p/1'), { id: '1' }, 'products');

  it('returns the very response when the translator has no response function', async () => {
    const res = jsonResponse(200, { a: 1 });
    await expect(translateResponse(identityTranslator, res, ctx)).resolves.toBe(res);
  });

  it('passes the context, checks the output and drops content-length', async () => {
    let seenCtx: unknown;
    const t = defineTranslator({
      name: 'r',
      response: (res, c) => ((seenCtx = c), { ...res, headers: { ...res.headers, 'X-Seen': 'yes' }, body: { ok: true } }),
    });
    const out = await translateResponse(t, jsonResponse(200, { a: 1 }), ctx);
    expect(out).toEqual({ status: 200, headers: { 'content-type': 'application/json', 'x-seen': 'yes' }, body: { ok: true } });
    expect(seenCtx).toMatchObject({ route: 'products', request: { path: '/p/1', params: { id: '1' } } });
  });

  it('rejects a status that is not a number', async () => {
    const t = defineTranslator({ name: 'str-status', response: (res) => ({ ...res, status: '200' as unknown as number }) });
    const e = await failure(translateResponse(t, jsonResponse(200, {}), ctx));
    expect(e.stage).toBe('response');
    expect(e.message).toBe('translator "str-status" returned an invalid response: status must be an integer 100-599, got "200"');
  });

  it('times out and reports the response stage', async () => {
    const t = defineTranslator({ name: 'slow', response: () => new Promise((r) => setTimeout(() => r(jsonResponse(200, {})), 200)) });
    const e = await failure(translateResponse(t, jsonResponse(200, {}), ctx, { timeoutMs: 20 }));
    expect(e.toRecord()).toEqual({ stage: 'response', message: 'translator "slow" timed out after 20 ms' });
  });

  it('does not leave an unhandled rejection when a timed-out translator rejects later', async () => {
    const unhandled = jest.fn();
    process.on('unhandledRejection', unhandled);
    try {
      const t = defineTranslator({
        name: 'late',
        response: () => new Promise((_, reject) => setTimeout(() => reject(new Error('late')), 30)),
      });
      await failure(translateResponse(t, jsonResponse(200, {}), ctx, { timeoutMs: 5 }));
      await new Promise((r) => setTimeout(r, 60));
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });
});
