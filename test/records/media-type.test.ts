import { encodeBody, isJsonMediaType, mediaType, type ExchangeRecord } from '../../src/records';
import { createRedactor } from '../../src/redact';

describe('media types are compared case-insensitively everywhere (RFC 9110 8.3.1)', () => {
  it('mediaType lower-cases and drops parameters; isJsonMediaType knows +json and text/json', () => {
    expect(mediaType('Text/Event-Stream; charset=utf-8')).toBe('text/event-stream');
    expect(isJsonMediaType('Application/Problem+JSON')).toBe(true);
    expect(isJsonMediaType(['APPLICATION/JSON'])).toBe(true);
    expect(isJsonMediaType('application/jsonp')).toBe(false);
  });

  it('redacts JSON body paths whatever the case of the content type', () => {
    const redact = createRedactor({ headers: [], bodyPaths: ['password'] }, 'test-key-0123456789');
    const body = encodeBody(Buffer.from('{"user":"ada","password":"s3cret"}'));
    const ex = {
      id: 'x',
      route: 'r',
      customer: 'anonymous',
      at: 0,
      requestId: 'x',
      params: {},
      request: { method: 'POST', path: '/login', query: {}, headers: { 'content-type': 'Application/JSON; Charset=UTF-8' }, body },
      legacy: { status: 200, headers: {}, body: null, durationMs: 1 },
    } as ExchangeRecord;
    expect(redact.exchange(ex).request.body!.data).not.toContain('s3cret');
  });
});
