import { startBackend, type Reply, type TestBackend } from '../support/backends';
import { request, startTestTandem, type TestTandem } from '../support/tandem';

/**
 * Text encodings through a real Tandem: each case a route whose candidate encodes the
 * same content differently from legacy.
 */
describe('text is compared as clients decode it', () => {
  let legacy: TestBackend;
  let candidate: TestBackend;
  let t: TestTandem;
  const latin1 = Buffer.from('café crème', 'latin1');

  beforeAll(async () => {
    legacy = await startBackend((r): Reply => {
      if (r.url.startsWith('/bom')) return { raw: '{"a":1}' };
      return { headers: { 'content-type': 'text/plain; charset=iso-8859-1' }, raw: latin1 };
    });
    candidate = await startBackend((r): Reply => {
      if (r.url.startsWith('/bom')) return { raw: '\ufeff{"a":1}' };
      if (r.url.startsWith('/garbled')) return { headers: { 'content-type': 'text/plain; charset=utf-8' }, raw: latin1 };
      return { headers: { 'content-type': 'text/plain; charset=utf-8' }, raw: 'café crème' };
    });
    t = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      routes: [
        { name: 'bom', match: 'GET /bom' },
        { name: 'garbled', match: 'GET /garbled' },
        { name: 'recoded', match: 'GET /recoded' },
      ],
    });
    for (const p of ['/bom', '/garbled', '/recoded']) await request(`${t.url}${p}`);
    await t.waitFor(async () => {
      for (const r of ['bom', 'garbled', 'recoded']) if (!((await t.counters(r)).compared ?? 0)) return false;
      return true;
    });
  });

  afterAll(async () => {
    await t?.stop();
    await Promise.all([legacy?.close(), candidate?.close()]);
  });

  const only = async (route: string) => {
    const { items } = await t.api(`/routes/${route}/mismatches`);
    expect(items).toHaveLength(1);
    return (await t.api(`/mismatches/${items[0].id}`)).result.differences;
  };

  it('a BOM added by the candidate is a mismatch of its own', async () => {
    expect(await only('bom')).toEqual([{ path: '$bom', kind: 'changed', legacy: 'none', candidate: 'utf-8' }]);
  });

  it('Latin-1 bytes declared as UTF-8 are garbled text, not a match', async () => {
    expect((await only('garbled')).map((d: { path: string }) => d.path)).toEqual(['$charset', '$body']);
  });

  it('the same text re-encoded in UTF-8 differs only in its charset', async () => {
    expect(await only('recoded')).toEqual([{ path: '$charset', kind: 'changed', legacy: 'iso-8859-1', candidate: 'utf-8' }]);
  });
});
