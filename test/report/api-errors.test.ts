import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { TandemError, errorWordFor } from '../../src/errors';
import { ConfigError, ERRORS } from '../../src/config/errors';
import { RolloutError } from '../../src/rollout/errors';
import { TranslatorError, TranslationFailure, TRANSLATOR_ERRORS } from '../../src/translate/errors';
import { RulePathError } from '../../src/rules/check-rule-path';
import { RediffBusyError } from '../../src/worker/rediff';
import { FilterError } from '../../src/report/filters';
import { ApiError, apiErrorHandler } from '../../src/report/http/api-errors';

describe('one error base class', () => {
  it('every error class Tandem throws is a TandemError with a stable code and an HTTP status', () => {
    const all: TandemError[] = [
      new ConfigError(ERRORS.CONFIG_INVALID, ['x: bad']),
      new RolloutError('not_ready', 'not yet'),
      new TranslatorError(TRANSLATOR_ERRORS.UNKNOWN, 'no such translator'),
      new TranslationFailure('request', 't', 'threw', 'boom'),
      new RulePathError('bad path'),
      new RediffBusyError('busy'),
      new FilterError('bad filter'),
      new ApiError(404, 'nope'),
    ];
    for (const e of all) {
      expect(e).toBeInstanceOf(TandemError);
      expect(e).toBeInstanceOf(Error);
      expect(e.code).toMatch(/^(ERR_TANDEM_[A-Z_]+|not_ready)$/);
      expect(e.status).toBeGreaterThanOrEqual(400);
      expect(e.name).toBe(e.constructor.name);
    }
    // Codes that existed before the base class are unchanged.
    expect(new ConfigError(ERRORS.CONFIG_INVALID, []).code).toBe('ERR_TANDEM_CONFIG_INVALID');
    expect(new TranslationFailure('request', 't', 'threw', 'boom').code).toBe('ERR_TANDEM_TRANSLATION_FAILED');
    expect(new RolloutError('unknown_route', 'x').status).toBe(404);
    expect(errorWordFor(418)).toBe('bad_request');
    expect(errorWordFor(502)).toBe('internal');
  });
});

describe('the report API error handler', () => {
  let server: Server;
  let base: string;
  const logged: unknown[] = [];

  beforeAll(async () => {
    const app = express();
    app.get('/filter', () => {
      throw new FilterError('since: not a duration');
    });
    app.get('/rollout', async () => {
      throw new RolloutError('not_ready', 'the candidate is not ready', {
        compared: 6,
        matches: 0,
        matchRate: 0,
        threshold: 0.9,
        window: 10,
        minCompared: 5,
        ready: false,
      } as never);
    });
    app.get('/busy', async () => {
      throw new RediffBusyError('a rediff of route "p" is already running');
    });
    app.get('/plain', () => {
      throw new Error('secret internals');
    });
    app.get('/server-side', () => {
      throw new TranslatorError(TRANSLATOR_ERRORS.LOAD, 'cannot read /srv/secret/translator.js');
    });
    app.post('/json', express.json(), (_req, res) => void res.json({}));
    app.use(apiErrorHandler({ error: (...a: unknown[]) => void logged.push(a) } as never));
    server = app.listen(0, '127.0.0.1');
    await new Promise((done) => server.once('listening', done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((done) => server.close(done)));

  const get = async (path: string, init?: RequestInit) => {
    const res = await fetch(base + path, init);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('renders a TandemError with its status, API word, message and details', async () => {
    expect(await get('/filter')).toEqual({ status: 400, body: { error: 'bad_request', message: 'since: not a duration' } });
    expect(await get('/busy')).toEqual({ status: 409, body: { error: 'busy', message: 'a rediff of route "p" is already running' } });
    const refused = await get('/rollout');
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: 'not_ready', compared: 6, matchRate: 0, threshold: 0.9, window: 10 });
  });

  it('renders a body-parser refusal as bad_request and hides anything else behind internal', async () => {
    const bad = await get('/json', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('bad_request');
    expect(await get('/plain')).toEqual({ status: 500, body: { error: 'internal', message: 'the report API failed; see the Tandem log' } });
    expect(JSON.stringify(logged)).toContain('secret internals');
    // A server-side TandemError is not the client's business either: logged with its code.
    expect(await get('/server-side')).toEqual({
      status: 500,
      body: { error: 'internal', message: 'the report API failed; see the Tandem log' },
    });
    expect(JSON.stringify(logged)).toContain('ERR_TANDEM_TRANSLATOR_LOAD');
  });
});
