import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { registerTranslateCommand, runTranslate } from '../../src/cli/translate-command';
import { TranslatorError } from '../../src/translate';
import { tempDir } from '../support/processes';

const samples = resolve(__dirname, '../../translators/samples');
const sample = (name: string) => join(samples, `${name}.json`);

const tempFile = (name: string, text: string): string => join(tempDir('translate-cli', { [name]: text }).path, name);

describe('runTranslate', () => {
  it('translates both sides of the products-v2 sample', async () => {
    const out = JSON.parse(await runTranslate({ translator: 'products-v2', file: sample('products-v2') }));
    expect(out).toEqual({
      translator: 'products-v2',
      request: { method: 'GET', path: '/v2/products/42', query: {}, headers: { accept: 'application/json' }, body: undefined },
      response: { status: 200, headers: { 'content-type': 'application/json' }, body: { id: 42, name: 'Blue mug', price: 9.5 } },
    });
  });

  it('keeps numbers past 2^53 exact, in the sample it reads and in what it prints', async () => {
    // the sample was read with JSON.parse: 12345678901234567893 reached the translator, and was printed, as 12345678901234567000
    const file = tempFile(
      'big.json',
      '{"request":{"method":"GET","path":"/api/v1/products/1","params":{"id":"1"},"body":{"ref":12345678901234567891}},' +
        '"response":{"status":200,"body":{"id":12345678901234567893,"title":"Mug"}}}',
    );
    const text = await runTranslate({ translator: 'products-v2', file });
    expect(text).toContain('"ref": 12345678901234567891');
    expect(text).toContain('"id": 12345678901234567893');
    expect(text).toContain('"name": "Mug"');
    expect(text.split('\n')[1]).toBe('  "translator": "products-v2",');
  });

  it('returns pretty JSON and honours the direction', async () => {
    const text = await runTranslate({ translator: 'products-v2', file: sample('products-v2'), direction: 'response' });
    expect(text.split('\n')[1]).toBe('  "translator": "products-v2",');
    expect(Object.keys(JSON.parse(text))).toEqual(['translator', 'response']);
    expect(
      Object.keys(JSON.parse(await runTranslate({ translator: 'products-v2', file: sample('products-v2'), direction: 'request' }))),
    ).toEqual(['translator', 'request']);
  });

  it('runs every builtin sample', async () => {
    const orders = JSON.parse(await runTranslate({ translator: 'orders-pagination', file: sample('orders-pagination') }));
    expect(orders.request.query).toEqual({ status: 'open', offset: '20', limit: '10' });
    expect(orders.response).toEqual({
      status: 200,
      headers: { 'content-type': 'application/json', 'x-total-count': '22' },
      body: [{ id: 21 }, { id: 22 }],
    });

    const customers = JSON.parse(await runTranslate({ translator: 'customers-name-split', file: sample('customers-name-split') }));
    expect(customers.request.body).toEqual({ firstName: 'Ada', lastName: 'King Lovelace', email: 'ada@example.com' });
    expect(customers.request.headers).toEqual({ 'content-type': 'application/json' });
    expect(customers.response.body).toEqual({ id: 7, name: 'Ada King Lovelace', email_address: 'ada@example.com' });

    const stringly = JSON.parse(await runTranslate({ translator: 'legacy-stringly-types', file: sample('legacy-stringly-types') }));
    expect(stringly.response.body).toEqual({ year: '2024', revenue: '1234.5', manager: '', closed: true, lines: [{ qty: '3', note: '' }] });

    process.env.TANDEM_CANDIDATE_TOKEN = 'sample-token';
    try {
      const auth = JSON.parse(await runTranslate({ translator: 'candidate-auth-headers', file: sample('candidate-auth-headers') }));
      expect(auth.request.headers).toEqual({ authorization: 'Bearer sample-token', accept: 'application/json' });
      expect(auth.response).toBeUndefined();
    } finally {
      delete process.env.TANDEM_CANDIDATE_TOKEN;
    }
  });

  it('runs a translator from a module, with the sample route in the context', async () => {
    const mod = tempFile(
      'echo.ts',
      `export default { name: 'echo-route', response: (res: { status: number; headers: {} }, ctx: { route: string }) => ({ ...res, body: ctx.route }) };`,
    );
    const out = JSON.parse(
      await runTranslate({ translator: 'echo-route', file: sample('products-v2'), modules: [mod], direction: 'response' }),
    );
    expect(out.response.body).toBe('product-detail');
  });

  it('explains an unknown translator, a missing response and a bad sample', async () => {
    const unknown = await runTranslate({ translator: 'nope', file: sample('products-v2') }).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(TranslatorError);
    expect((unknown as Error).message).toBe(
      'translator "nope" not found (available: candidate-auth-headers, customers-name-split, identity, legacy-stringly-types, orders-pagination, products-v2; to name a route instead, pass -c with your config file, which resolves route names)',
    );
    await expect(
      runTranslate({ translator: 'products-v2', file: sample('candidate-auth-headers'), direction: 'response' }),
    ).rejects.toThrow(`sample file ${sample('candidate-auth-headers')} has no "response" to translate`);
    const bad = tempFile('bad.json', JSON.stringify({ request: { path: 'no-slash' }, response: { status: 'ok' } }));
    await expect(runTranslate({ translator: 'products-v2', file: bad })).rejects.toThrow(
      `sample file ${bad}: request.path: must start with "/"; response.status: Invalid input: expected number, received string`,
    );
  });
});

describe('registerTranslateCommand', () => {
  async function run(args: string[]): Promise<{ out: string; err: string; code: typeof process.exitCode }> {
    let out = '';
    let err = '';
    const program = new Command('tandem').exitOverride().configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (err += s) });
    registerTranslateCommand(program);
    const before = process.exitCode;
    try {
      await program.parseAsync(['node', 'tandem', 'translate', ...args]);
      return { out, err, code: process.exitCode };
    } finally {
      process.exitCode = before;
    }
  }

  it('prints the translation to stdout', async () => {
    const { out, err, code } = await run(['products-v2', sample('products-v2'), '--direction', 'response']);
    expect(err).toBe('');
    expect(code).toBeUndefined();
    expect(JSON.parse(out).response.body).toEqual({ id: 42, name: 'Blue mug', price: 9.5 });
  });

  it('a route without a translator, an unknown name and a bad sample are bad input: a clear line and exit 2', async () => {
    const config = tempFile(
      't3.yaml',
      'legacy:\n  url: http://127.0.0.1:1\ncandidate:\n  url: http://127.0.0.1:2\nroutes:\n  - { name: plain, match: GET /p/:id }\n  - { name: product, match: GET /products/:id, translator: products-v2 }\n',
    );
    const plain = await run(['-c', config, 'plain', sample('products-v2')]);
    expect(plain).toEqual({
      out: '',
      code: 2,
      err: `tandem translate: route "plain" of ${config} has no request/response translator: its requests and responses reach the candidate as sent, so there is nothing to translate\n`,
    });
    const unknown = await run(['-c', config, 'nope', sample('products-v2')]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/translator "nope" not found \(available: .*products-v2; nor is it a route of .*t3\.yaml\)/);
    expect(unknown.err).not.toMatch(/tandem\.yaml/);
    const missing = await run(['products-v2', join(tmpdir(), 'no-such-sample.json')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/^tandem translate: sample file .*no-such-sample\.json: ENOENT/);
    // A route with a translator still resolves to it.
    const product = await run(['-c', config, 'product', sample('products-v2'), '-d', 'response']);
    expect(product.code).toBeUndefined();
    expect(JSON.parse(product.out).translator).toBe('products-v2');
  });

  it('prints a clear message and sets exit code 1 on failure', async () => {
    delete process.env.TANDEM_CANDIDATE_TOKEN;
    const { out, err, code } = await run(['candidate-auth-headers', sample('candidate-auth-headers')]);
    expect(out).toBe('');
    expect(code).toBe(1);
    expect(err).toBe(
      'tandem translate: translator "candidate-auth-headers" threw: TANDEM_CANDIDATE_TOKEN is not set; it holds the candidate\'s credential (request stage)\n',
    );
  });
});
