import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseQuery, type RequestRecord } from '../../src/records';
import {
  loadTranslatorModules,
  toTranslatableRequest,
  translateRequest,
  translateResponse,
  type TranslatableResponse,
  type Translator,
} from '../../src/translate';

/**
 * examples/json-server: the translator written with the kit (translator.ts) against the
 * same translator written by hand (translator-by-hand.ts). Both are run on the same
 * requests and json-server 1.x answers and must give the same output, so the line counts
 * the README states compare equals; the test also checks those counts.
 */
const DIR = join(__dirname, '../../examples/json-server');
const ROOT = join(__dirname, '../..');

/** Lines that are neither blank nor only a comment. */
const codeLines = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !/^\s*(\/\/|\/\*|\*)/.test(l)).length;
const allLines = (file: string) => readFileSync(file, 'utf8').trimEnd().split('\n').length;

const record = (url: string, headers: Record<string, string> = {}): RequestRecord => {
  const q = url.indexOf('?');
  const rawQuery = q === -1 ? '' : url.slice(q);
  return {
    method: 'GET',
    path: q === -1 ? url : url.slice(0, q),
    query: parseQuery(rawQuery),
    rawQuery,
    headers: { host: '127.0.0.1:3100', ...headers },
    body: null,
  };
};

async function outcome<T>(f: () => Promise<T>): Promise<T | { error: string }> {
  try {
    return await f();
  } catch (e) {
    return { error: (e as Error).message.replace(/json-server-v1(-by-hand)?/g, 'T') };
  }
}

describe('examples/json-server: the kit translator and the hand-written one', () => {
  let kit: Translator;
  let hand: Translator;
  beforeAll(() => {
    [kit] = loadTranslatorModules([join(DIR, 'translator.ts')]);
    [hand] = loadTranslatorModules([join(DIR, 'translator-by-hand.ts')]);
  });

  const urls = [
    ...readFileSync(join(DIR, 'requests.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { url: string }).url),
    '/posts?_sort=views,title&_order=desc,asc&x=a%20b&_page=2&_limit=2&flag',
    '/posts?_limit=2&_limit=3&q=%FF',
    '/posts?_order=desc',
    '/posts?_sort=&_order=desc&author=ada',
    '/posts?_sort=views&_sort=title&_order=desc',
    '/posts?_page=x&_limit=2',
    '/posts?_page=2',
    '/posts?_page=3&_limit=4&_embed=comments',
  ];
  const answers: TranslatableResponse[] = [
    {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: {
        first: 1,
        prev: 1,
        next: 3,
        last: 5,
        pages: 5,
        items: 10,
        data: [
          { id: '1', title: 'a' },
          { id: '2', comments: [{ id: '7', postId: '1' }] },
        ],
      },
    },
    { status: 200, headers: { 'content-type': 'application/json', 'x-total-count': '9' }, body: { data: [], items: null } },
    {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: [{ id: '1' }, { id: '9007199254740993' }, { id: '1.50' }, { id: 'abc' }, { id: 3 }],
    },
    { status: 200, headers: { 'content-type': 'application/json' }, body: { id: '12', author: { id: '4' } } },
    { status: 200, headers: { 'content-type': 'application/json' }, body: '' },
    { status: 200, headers: { 'content-type': 'application/json' }, body: { data: 'not a list', items: 1 } },
    { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'Not Found' },
    { status: 404, headers: { 'content-type': 'application/json' }, body: { error: 'Not Found' } },
    { status: 500, headers: { 'content-type': 'text/plain' }, body: 'boom' },
  ];

  it('give the same candidate request for every legacy request (raw bytes of untouched parameters kept)', async () => {
    for (const url of urls) {
      const [a, b] = await Promise.all([
        outcome(() => translateRequest(kit, record(url))),
        outcome(() => translateRequest(hand, record(url))),
      ]);
      const view = (r: typeof a) => ('error' in r ? r : { path: r.path, rawQuery: r.rawQuery, query: { ...r.query } });
      expect({ url, out: view(b) }).toEqual({ url, out: view(a) });
    }
    expect((await translateRequest(hand, record('/posts?_sort=views&_order=desc&x=a%20b&_limit=2'))).rawQuery).toBe(
      '?_sort=-views&x=a%20b&_per_page=2',
    );
  });

  it('give the same legacy-shaped answer for every candidate answer', async () => {
    let compared = 0;
    for (const url of urls) {
      for (const [i, res] of answers.entries()) {
        for (const headers of [{}, { 'x-forwarded-proto': 'https' }] as Record<string, string>[]) {
          const ctx = { request: toTranslatableRequest(record(url, headers)), route: 'posts' };
          const [a, b] = await Promise.all([
            outcome(() => translateResponse(kit, structuredClone(res), ctx)),
            outcome(() => translateResponse(hand, structuredClone(res), ctx)),
          ]);
          expect({ url, answer: i, out: b }).toEqual({ url, answer: i, out: a });
          compared++;
        }
      }
    }
    expect(compared).toBe(urls.length * answers.length * 2);
  });

  it('the README states both lengths', () => {
    const kitFile = join(DIR, 'translator.ts');
    const handFile = join(DIR, 'translator-by-hand.ts');
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(`**The translator with the kit**: ${allLines(kitFile)} lines, ${codeLines(kitFile)} of them code`);
    expect(readme).toContain(`**The same translator by hand**: ${allLines(handFile)} lines, ${codeLines(handFile)} of them code`);
    expect(codeLines(handFile)).toBeGreaterThan(3 * codeLines(kitFile));
  });
});
