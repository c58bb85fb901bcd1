import type { TandemServer } from '../../src/ingress';
import { startBackend, type TestBackend } from '../support/backends';
import { startWorkerProcess, tempDir } from '../support/processes';
import { TEST_REDIS_URL, uniquePrefix } from '../support/redis';
import { request } from '../support/tandem';
import { dumpPrefix } from './helpers/dump-prefix';
import { recordFigures } from './helpers/figures';
import { waitUntil } from './helpers/load';
import { readState } from './helpers/store-state';
import { startQueueingIngress, stopWorkerRig, workerFaultConfig } from './helpers/worker-rig';

/** Every secret carries this marker, so one search finds any of them. */
const secrets = {
  authorization: 'Bearer SECRET-auth-1',
  cookie: 'session=SECRET-cookie-2',
  'proxy-authorization': 'Basic SECRET-proxy-3',
  'x-api-key': 'SECRET-apikey-4',
};
/** Credentials in the URL: one always redacted, one configured. */
const query = 'access_token=SECRET-qs-8&Session=SECRET-qs-9&page=2';
const body = {
  user: 'bob',
  password: 'SECRET-pw-5',
  card: { number: 'SECRET-card-6', exp: '12/30' },
  profile: { old: { password: 'SECRET-pw-7' } },
};

describe('limits: redaction before anything is stored', () => {
  const prefix = uniquePrefix('redact');
  const dir = tempDir('redact');
  let legacy: TestBackend;
  let candidate: TestBackend;
  let tandem: TandemServer;
  let configFile: string;

  beforeAll(async () => {
    const answer = (who: string) => ({
      headers: { 'set-cookie': `sid=SECRET-setcookie-${who}` },
      body: { ok: true, who, account: { password: `SECRET-pw-${who}`, card: 'visible' } },
    });
    legacy = await startBackend(() => answer('legacy'));
    candidate = await startBackend(() => answer('candidate'));
    const config = workerFaultConfig(
      { legacy: legacy.url, candidate: candidate.url, prefix },
      {
        queue: { lingerMs: 0 }, // one job per request: the wait below counts jobs
        redact: { headers: ['X-Api-Key'], bodyPaths: ['**.password', 'card.number'], query: ['session'] },
        routes: [{ name: 'login', match: 'POST /login', mirrorWrites: true }],
      },
    );
    ({ tandem, configFile } = await startQueueingIngress(dir.path, config));
  });
  afterAll(() => stopWorkerRig({ tandem, backends: [legacy, candidate], prefix, dir }));

  it('keeps secrets out of the queue and out of stored exchanges and mismatches', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await request(`${tandem.url}/login?${query}`, {
        method: 'POST',
        headers: { ...secrets, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(200);
    }
    // The candidate needs the real request: it got the secrets, untouched.
    await waitUntil(
      async () => candidate.seen.length,
      (n) => n === 3,
    );
    expect(candidate.seen[0].headers.authorization).toBe(secrets.authorization);
    expect(JSON.parse(candidate.seen[0].body)).toEqual(body);
    expect(candidate.seen[0].url).toBe(`/login?${query}`);

    await tandem.middleware.runtime.counters.flush();
    await waitUntil(
      () => readState(TEST_REDIS_URL, prefix, 'login'),
      (s) => s.pending === 3,
    );
    const queued = await dumpPrefix(TEST_REDIS_URL, prefix);

    const worker = await startWorkerProcess(configFile);
    const state = await waitUntil(
      () => readState(TEST_REDIS_URL, prefix, 'login'),
      (s) => s.pending === 0 && s.counters.compared === 3,
      // A worker process starting on a loaded machine: returns as soon as the three are compared.
      50_000,
    );
    worker.kill('SIGTERM');
    await worker.exited;
    const stored = await dumpPrefix(TEST_REDIS_URL, prefix);
    recordFigures('redaction', {
      requests: 3,
      keysWhileQueued: queued.keys,
      keysStored: stored.keys,
      counters: state.counters,
      secretsFound: (queued.text + stored.text).match(/SECRET-[a-z]+-[a-z0-9]+/g) ?? [],
      redactedMarks: stored.text.split('[REDACTED:').length - 1,
    });

    // What was searched really holds the exchanges: the job payloads, then the stored exchange and mismatch records.
    expect(queued.text).toContain('12/30'); // the request body's non-secret field
    expect(queued.text).toContain('visible'); // the responses' non-secret field
    expect(queued.text).toMatch(/page\W+2\W/); // the query's non-secret parameter
    expect(state.counters.mismatch).toBe(3);
    expect(stored.text).toContain(':mismatch:');
    expect(stored.text).toMatch(/\[REDACTED:[0-9a-f]{16}\]/);
    expect(stored.text).toContain('visible');
    // ...and no secret is anywhere in it.
    expect(queued.text).not.toContain('SECRET-');
    expect(stored.text).not.toContain('SECRET-');
  }, 90_000);
});
