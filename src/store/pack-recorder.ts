import { ReplyError } from 'ioredis';
import type { RedisClient } from './redis-connection';
import { RECORD_RESULT_LUA } from './record-result-script';
import { packScriptArgs, recordPrefixes, STAGED_OWN, type RecordCall } from './record-keys';
import type { RecordCalls } from './record-call';
import type { KeySchema } from './key-schema';
import type { Retention, RecordSettled, RecordItem } from './record-types';

/**
 * Writes packs of comparison results for `ResultsStore.recordPack`: one record script call per
 * route (the calls go out together), a second one for what the script asks for again (see
 * `recordGroup`), and each item's settled outcome.
 */
export class PackRecorder {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: KeySchema,
    private readonly retention: Retention,
    /** Each exchange's part of a record script call, and a pack's payload fields. */
    private readonly calls: RecordCalls,
    /** Adds a route to the deployment's route list (before its first call). */
    private readonly listRoute: (route: string) => Promise<void>,
  ) {
    redis.defineCommand('tandemRecordResult', { lua: RECORD_RESULT_LUA });
  }

  /** See `ResultsStore.recordPack`. */
  async record(items: readonly RecordItem[], opts: { rediff?: boolean } = {}): Promise<RecordSettled[]> {
    const byRoute = new Map<string, { at: number; call: RecordCall }[]>();
    for (let i = 0; i < items.length; i++) {
      // One after the other: the memory budget adds each record's bytes to its estimate (a wait only when it reads Redis's memory).
      const made = this.calls.call(items[i], opts);
      const call = made instanceof Promise ? await made : made;
      const route = items[i].exchange.route;
      (byRoute.get(route) ?? byRoute.set(route, []).get(route)!).push({ at: i, call });
    }
    const out: RecordSettled[] = new Array(items.length);
    await Promise.all([...byRoute].map(([route, group]) => this.recordGroup(route, group, items, opts, out)));
    return out;
  }
  /**
   * One route's part of `record`: its script call, and when the script asks for exchanges
   * again (status 3: one sent by its content hash alone whose identical pair is no longer stored,
   * and those after it), a second call for them, each of those sent by its hash rebuilt in full
   * (so at most two calls). Sets `out` at each item's index.
   */
  private async recordGroup(
    route: string,
    group: { at: number; call: RecordCall }[],
    items: readonly RecordItem[],
    opts: { rediff?: boolean },
    out: RecordSettled[],
  ): Promise<void> {
    try {
      await this.listRoute(route);
    } catch (e) {
      rejectAll(group, e, out);
      return;
    }
    const first = await this.runGroup(route, group, opts, out);
    if (!first) return;
    const resend = first.statuses.indexOf(RESEND);
    this.settle(resend < 0 ? group : group.slice(0, resend), first.statuses, first.late, out);
    if (resend < 0) return;
    const again: { at: number; call: RecordCall }[] = [];
    for (const g of group.slice(resend)) {
      if (!g.call.hashOnly) again.push(g);
      else {
        const made = this.calls.call(items[g.at], opts, true);
        again.push({ at: g.at, call: made instanceof Promise ? await made : made });
      }
    }
    const second = await this.runGroup(route, again, opts, out);
    if (second) this.settle(again, second.statuses, second.late, out);
  }

  /** Each item's outcome from its status (`late`: the call's error after the counts), and what the calls learn of its content hash. */
  private settle(
    group: readonly { at: number; call: RecordCall }[],
    statuses: (number | string)[],
    late: string | undefined,
    out: RecordSettled[],
  ): void {
    group.forEach((g, j) => {
      if (typeof statuses[j] === 'number') this.calls.settled(g.call, statuses[j] as number);
      const settled = settledOutcome(statuses[j]);
      out[g.at] = late !== undefined && settled.status === 'fulfilled' ? { ...settled, unfinished: late } : settled;
    });
  }

  /**
   * One script call for `group` (its staged records written first, on the same connection: their
   * keys share the script's slot): one status per exchange, and the error of the writes after the
   * counts, if they failed. When the call fails, rejects each item at its index in `out`
   * (`rejectAll`) and gives null.
   */
  private async runGroup(
    route: string,
    group: readonly { at: number; call: RecordCall }[],
    opts: { rediff?: boolean },
    out: RecordSettled[],
  ): Promise<{ statuses: (number | string)[]; late?: string } | null> {
    const run = (this.redis as unknown as { tandemRecordResult(numKeys: number, ...args: string[]): Promise<(number | string)[]> })
      .tandemRecordResult;
    const { keys, argv } = packScriptArgs(
      recordPrefixes(this.keys, route),
      this.calls.packPayload(route, opts),
      group.map((g) => g.call),
    );
    try {
      const staged = group.map((g) => g.call.staged && this.stageRecord(g.call.own[STAGED_OWN], g.call.staged));
      const statuses = await run.call(this.redis, keys.length, ...keys, ...argv);
      await Promise.all(staged);
      // One status per exchange, then the error of the writes after the counts, if they failed.
      const late = statuses.length > group.length ? String(statuses[group.length]).replace(/^ERR /, '') : undefined;
      return { statuses: statuses.slice(0, group.length), late };
    } catch (e) {
      rejectAll(group, e, out);
      return null;
    }
  }

  /**
   * Write a staged exchange record (`RecordCall.staged`) to its `stagedExchange` key with
   * the record's TTL. Its errors are left to the script call sent after it: under maxmemory
   * that call is refused as well, and a record that was not staged is not stored (counted all the same).
   */
  private stageRecord(key: string, json: string): Promise<unknown> {
    return this.redis.set(key, json, 'EX', this.retention.ttlSeconds).catch(() => undefined);
  }
}

/**
 * A record Redis answered with an error (the script failed on it), as opposed to a lost
 * connection: retrying it as is would fail again.
 *
 * @example
 * if (settled.status === 'rejected' && settled.reason instanceof RecordFailed) recordAsFailure();
 */
export class RecordFailed extends Error {
  override name = 'RecordFailed';
}

/** An exchange's status from the record script: a number, or its record's error as text (see RECORD_RESULT_LUA). */
function settledOutcome(status: number | string | undefined): RecordSettled {
  if (typeof status !== 'number' || (status & 3) === RESEND)
    return { status: 'rejected', reason: new RecordFailed(String(status ?? 'no status').replace(/^ERR /, '')) };
  // (flag 4: its mismatch sample is stored, see RecordCalls.settled)
  const s = status & 3;
  return { status: 'fulfilled', value: s === 0 ? 'duplicate' : s === 2 ? 'new-signature' : 'recorded' };
}

/**
 * Reject every item of `group` at its index in `out`: Redis refused the call (an error reply):
 * the records failed (`RecordFailed`); anything else (the connection) is passed on as is.
 */
function rejectAll(group: readonly { at: number }[], e: unknown, out: RecordSettled[]): void {
  const reason = e instanceof ReplyError ? new RecordFailed((e as Error).message) : e;
  for (const g of group) out[g.at] = { status: 'rejected', reason };
}

/** The script's status of an exchange sent by its content hash alone whose identical pair is no longer stored (see RECORD_RESULT_LUA). */
const RESEND = 3;
