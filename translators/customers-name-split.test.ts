import { translateRequest, translateResponse, TranslationFailure } from '../src/translate';
import { bodyText, ctxFor, jsonResponse, request } from '../test/translate/fixtures';
import customersNameSplit, { mergeName, splitName } from './customers-name-split';

const ctx = ctxFor(request('GET', '/customers/7'), { id: '7' }, 'customer');

async function translatedBody(body: unknown): Promise<unknown> {
  return JSON.parse(bodyText(await translateRequest(customersNameSplit, request('POST', '/customers', { body }))));
}

describe('splitName / mergeName', () => {
  it.each([
    ['Ada Lovelace', { firstName: 'Ada', lastName: 'Lovelace' }],
    ['  Ada   King Lovelace ', { firstName: 'Ada', lastName: 'King Lovelace' }],
    ['Cher', { firstName: 'Cher', lastName: null }],
    ['', { firstName: '', lastName: null }],
    [null, { firstName: null, lastName: null }],
  ])('splits %j', (name, parts) => expect(splitName(name)).toEqual(parts));

  it.each([
    [{ firstName: 'Ada', lastName: 'King Lovelace' }, 'Ada King Lovelace'],
    [{ firstName: 'Cher', lastName: null }, 'Cher'],
    [{ firstName: 'Cher' }, 'Cher'],
    [{ lastName: 'Lovelace' }, 'Lovelace'],
    [{ firstName: null, lastName: null }, null],
    [{ firstName: '', lastName: null }, ''],
  ])('merges %j', (parts, name) => expect(mergeName(parts)).toEqual(name));
});

describe('customers-name-split request', () => {
  it('splits the name and renames email_address, keeping other fields and their order', async () => {
    await expect(translatedBody({ id: 7, name: 'Ada Lovelace', email_address: 'ada@example.com', vip: true })).resolves.toEqual({
      id: 7,
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@example.com',
      vip: true,
    });
    expect(Object.keys((await translatedBody({ name: 'A B', email_address: 'x' })) as object)).toEqual(['firstName', 'lastName', 'email']);
  });

  it('handles a single-word name, a null name and null email, and leaves absent fields absent', async () => {
    await expect(translatedBody({ name: 'Cher' })).resolves.toEqual({ firstName: 'Cher', lastName: null });
    await expect(translatedBody({ name: null, email_address: null })).resolves.toEqual({ firstName: null, lastName: null, email: null });
    await expect(translatedBody({ vip: false })).resolves.toEqual({ vip: false });
  });

  it('passes bodiless requests and fails on a name that is not a string', async () => {
    const get = request('GET', '/customers/7');
    expect((await translateRequest(customersNameSplit, get)).body).toBeNull();
    const e = await translateRequest(customersNameSplit, request('POST', '/customers', { body: { name: 42 } })).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TranslationFailure);
    expect((e as Error).message).toBe('translator "customers-name-split" threw: name must be a string or null, got number');
  });
});

describe('customers-name-split response', () => {
  it('merges the name back and renames email, in place', async () => {
    const out = await translateResponse(
      customersNameSplit,
      jsonResponse(200, { id: 7, firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' }),
      ctx,
    );
    expect(out.body).toEqual({ id: 7, name: 'Ada Lovelace', email_address: 'ada@example.com' });
    expect(Object.keys(out.body as object)).toEqual(['id', 'name', 'email_address']);
  });

  it('handles a missing last name, null names, and customers without name fields', async () => {
    const list = [
      { id: 1, firstName: 'Cher' },
      { id: 2, firstName: null, lastName: null, email: null },
      { id: 3, email: 'x@y' },
    ];
    const out = await translateResponse(customersNameSplit, jsonResponse(200, list), ctx);
    expect(out.body).toEqual([
      { id: 1, name: 'Cher' },
      { id: 2, name: null, email_address: null },
      { id: 3, email_address: 'x@y' },
    ]);
  });

  it('leaves error responses alone', async () => {
    const out = await translateResponse(customersNameSplit, jsonResponse(422, { email: 'invalid' }), ctx);
    expect(out.body).toEqual({ email: 'invalid' });
  });
});
