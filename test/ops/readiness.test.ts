import { startBackend, type TestBackend } from '../support/backends';
import { startRedisProcess, type RedisProcess } from '../support/processes';
import { request, startTestTandem, type TestTandem } from '../support/tandem';

type ReadyBody = { ready: boolean; checks: Record<string, { ok: boolean; detail?: string }> };

async function readyz(t: TestTandem): Promise<{ status: number; body: ReadyBody }> {
  const res = await request(`${t.opsUrl}/readyz`);
  return { status: res.status, body: JSON.parse(res.body.toString()) as ReadyBody };
}

describe('readiness follows Redis and legacy', () => {
  let redis: RedisProcess;
  let legacy: TestBackend;
  let t: TestTandem;

  beforeAll(async () => {
    redis = await startRedisProcess();
    legacy = await startBackend(() => ({ body: { ok: true } }));
    t = await startTestTandem({ legacy: { url: legacy.url }, candidate: { url: legacy.url }, redis: { url: redis.url }, routes: [] });
  });

  afterAll(async () => {
    await t?.stop().catch(() => undefined);
    await legacy?.close();
    redis?.child.kill('SIGKILL');
    await redis?.child.exited;
    await redis?.remove();
  });

  it('is ready, turns 503 when Redis stops, and ready again when it is back', async () => {
    expect(await readyz(t)).toEqual({ status: 200, body: expect.objectContaining({ ready: true }) });

    // SIGTERM rather than redis.stop(): its admin client leaves a 2 s disconnect timer behind.
    redis.child.kill('SIGTERM');
    await redis.child.exited;
    const down = await t.waitFor(async () => {
      const r = await readyz(t);
      return r.status === 503 && r;
    });
    expect(down.body.ready).toBe(false);
    expect(down.body.checks.redis.ok).toBe(false);
    expect(down.body.checks.legacy.ok).toBe(true);
    // Liveness is about the process, and clients are still served by legacy.
    expect((await request(`${t.opsUrl}/healthz`)).status).toBe(200);
    expect((await request(`${t.url}/anything`)).status).toBe(200);

    await redis.start();
    const up = await t.waitFor(async () => {
      const r = await readyz(t);
      return r.status === 200 && r;
    }, 15_000);
    expect(up.body.checks).toMatchObject({ redis: { ok: true }, worker: { ok: true }, legacy: { ok: true } });
  });

  it('is not ready while legacy refuses connections', async () => {
    await legacy.close();
    const r = await readyz(t);
    expect(r.status).toBe(503);
    expect(r.body.checks.legacy.ok).toBe(false);
    expect(r.body.checks.legacy.detail).toMatch(/ECONNREFUSED/);
  });
});
