import { performance } from 'node:perf_hooks';
import * as contentHashModule from '../../src/store/content-hash';
import * as exchangeJsonModule from '../../src/store/exchange-json';
import * as recordCapModule from '../../src/store/record-cap';
import { apiSend } from '../rollout/helpers';
import { worstLoopDelay } from '../support/loop-delay';
import { BIG, JSON_TYPE, MAX_BODY, startBigRecordsRig, type BigRecordsRig } from './big-records-rig';

/**
 * A rediff asked for in the report of a `tandem serve` with its in-process worker (compares on a
 * comparison thread) builds its records' documents on that thread, as the worker's results are:
 * the proxy's loop only loads the stored exchanges and sends the ready texts to Redis. Built on
 * the loop (before), each 1 MiB mismatch record held it as long as building it costs. The stored
 * exchanges are parsed here, one large one per turn of the loop at most (before: a whole batch,
 * six of them 178 ms, in one turn). Seven exchanges of 1 MiB differing bodies (six mirrored POSTs
 * and a GET, stored whole) are recorded, then both routes are rediffed while the loop is watched.
 */
/** Bytes of a stored record at most: over every record here, so the bodies are stored and compared again in full. */
const MAX_RECORD = 12 * MAX_BODY;
/** Mirrored POSTs stored (each three 1 MiB bodies, two of them stored: the candidate's request is the client's). */
const POSTS = 6;

describe('rediff of 1 MiB exchanges inside tandem serve', () => {
  let rig: BigRecordsRig;
  const { request } = BIG;
  const json = JSON_TYPE;
  beforeAll(async () => {
    rig = await startBigRecordsRig(MAX_RECORD, { rediff: true });
  });
  afterAll(async () => {
    await rig?.stop();
  });

  it('builds the records on the comparison thread: none built on the proxy loop, no stall near it, each exchange counted once', async () => {
    const { t, onLoopMs } = rig;
    // POSTS of them in one route: one batch of the rediff (100 by default) holds them all
    const sent: [string, RequestInit][] = [
      ...Array.from({ length: POSTS }, (_, i): [string, RequestInit] => [
        `/big/${i + 1}`,
        { method: 'POST', headers: json, body: request },
      ]),
      ['/big/0', {}],
    ];
    for (const [path, init] of sent) {
      const res = await fetch(`${t.url}${path}`, init);
      expect(res.status).toBe(200);
      await res.text();
    }
    const counted = async () => (await t.counters('big')).mismatch === POSTS && (await t.counters('big-get')).mismatch === 1;
    await t.waitFor(counted, 60_000);
    // How long each record call holds this thread before it first waits (its documents are built in that part, when built here).
    const { heldMs, restore } = rig.watchRecordPacks();
    // What loading the stored exchanges costs here (parsed on this thread), and how many large ones are parsed
    // in one turn of the event loop: a turn ends when an immediate set at its first parse has run.
    const parse = exchangeJsonModule.exchangeOfJson;
    let loadMs = 0;
    let turn = { ended: true, large: 0, ms: 0 };
    const turns: (typeof turn)[] = [];
    const load = jest.spyOn(exchangeJsonModule, 'exchangeOfJson').mockImplementation((...args) => {
      if (turn.ended) {
        const next = { ended: false, large: 0, ms: 0 };
        setImmediate(() => (next.ended = true));
        turns.push((turn = next));
      }
      const start = performance.now();
      try {
        return parse(...args);
      } finally {
        const ms = performance.now() - start;
        loadMs = Math.max(loadMs, ms);
        turn.ms += ms;
        if (args[0].length > MAX_BODY) turn.large++;
      }
    });
    // The O(body) steps of a record, on this thread (a comparison thread loads its own copy of these modules).
    const steps = [
      jest.spyOn(contentHashModule, 'contentHash'),
      jest.spyOn(exchangeJsonModule, 'storedExchangeJson'),
      jest.spyOn(recordCapModule, 'fitRecord'),
    ];
    const { result: answers, maxMs: maxStallMs } = await worstLoopDelay(async () => [
      await apiSend(t.reportUrl, 'POST', '/routes/big/rediff'),
      await apiSend(t.reportUrl, 'POST', '/routes/big-get/rediff'),
    ]);
    const here = steps.map((s) => s.mock.calls.length);
    steps.forEach((s) => s.mockRestore());
    load.mockRestore();
    restore();
    const onLoop = await onLoopMs();
    const held = Math.max(...heldMs);
    const parsedMs = turns.reduce((sum, x) => sum + x.ms, 0);
    console.log(
      `rediff: worst loop delay ${maxStallMs.toFixed(1)} ms, a record held it ${held.toFixed(1)} ms, parsing one stored exchange ` +
        `${loadMs.toFixed(1)} ms (all ${parsedMs.toFixed(1)} ms, at most ${Math.max(...turns.map((x) => x.large))} large and ` +
        `${Math.max(...turns.map((x) => x.ms)).toFixed(1)} ms in one turn); one POST's record built on it ${onLoop.toFixed(1)} ms`,
    );
    expect(answers.map((a) => [a.status, a.body])).toEqual([
      [200, { recomputed: POSTS, byClass: { mismatch: POSTS } }],
      [200, { recomputed: 1, byClass: { mismatch: 1 } }],
    ]);
    expect(heldMs.length).toBe(POSTS + 1);
    // each stored exchange parsed on each pass; never two large ones in one turn of the loop (before: a batch's all)
    expect(turns.reduce((sum, x) => sum + x.large, 0)).toBe(2 * (POSTS + 1));
    expect(Math.max(...turns.map((x) => x.large))).toBe(1);
    // not one content hash, exchange JSON or fitted record built on this thread (before: each, for every record)
    expect(here).toEqual([0, 0, 0]);
    // what a record still holds it for: sending the ready texts to Redis
    // (median: with POSTS + 1 records, a GC pause can fall in one of them; built here, every one would take ~onLoop)
    expect(heldMs.sort((a, b) => a - b)[POSTS >> 1]).toBeLessThan(onLoop / 2);
    // a gross stall fails (generous: this process also parses the stored exchanges, and the machine is loaded)
    expect(maxStallMs).toBeLessThan(onLoop * 8 + 500);
    expect(await t.counters('big')).toMatchObject({ mismatch: POSTS });
    expect(await t.counters('big-get')).toMatchObject({ mismatch: 1 });
    for (const route of ['big', 'big-get']) {
      const c = await t.counters(route);
      expect(Object.keys(c).filter((k) => k.startsWith('dropped') || k === 'unparseable')).toEqual([]);
    }
  }, 180_000);
});
