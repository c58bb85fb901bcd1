import type { RequestRecord } from '../../src/records';
import { TEST_TOKEN } from '../support/tandem';
import { storedSecrets } from '../support/stored-secrets';
import { eventually, recordedPair, sendRaw, valueOf, without, type Pairs } from './fidelity-support';

const MARKS = ['x-tandem-shadow', 'x-tandem-replay'];
const FORWARDED = ['x-forwarded-for', 'x-forwarded-port', 'x-forwarded-proto', 'x-forwarded-host', 'x-request-id'];
const HOP = ['connection'];

/**
 * Repeated lines of a name Node keeps only the first of (Content-Type, Authorization,
 * User-Agent...: `IncomingMessage.headers` holds the first) reached legacy and the candidate
 * as that first line only: a request the client did not send ("relay, don't rebuild"),
 * where the README said repeated lines go one by one. They are now relayed one by one, as
 * sent, to both backends and by a replay; stored in the record's header lines each redacted
 * (the second Authorization line is no more stored in clear than the first). Real backends and Redis.
 */
describe('repeated lines of a header Node keeps only the first of', () => {
  const p = recordedPair();
  const auth = { authorization: `Bearer ${TEST_TOKEN}` };

  it('are relayed one by one to legacy, the candidate and a replay, and stored each redacted', async () => {
    const sent: Pairs = [
      ['Host', 'shop.example'],
      ['Content-Type', 'text/a'],
      ['Authorization', 'Basic SECRET-one'],
      ['User-Agent', 'ua/1'],
      ['X-Trace', 't'],
      ['content-type', 'text/b'],
      ['authorization', 'Basic SECRET-two'],
      ['user-agent', 'ua/2'],
    ];
    expect((await sendRaw(p.tandem.url, { method: 'GET', path: '/t/dup', headers: sent })).status).toBe(200);
    const legacy = await eventually(() => p.legacy.received.find((r) => r.url === '/t/dup'));
    const candidate = await eventually(() => p.candidate.received.find((r) => r.url === '/t/dup'));
    expect(without(legacy.headers, [...FORWARDED, ...HOP])).toEqual(sent);
    expect(without(candidate.headers, [...MARKS, ...HOP])).toEqual(without(legacy.headers, HOP));

    type Row = { exchange: { id: string; request: RequestRecord; candidateRequest?: RequestRecord } };
    const row = await eventually(async () => {
      const rows = (await (
        await fetch(`${p.tandem.reportUrl}/_tandem/api/routes/t/export?format=json&class=match`, { headers: auth })
      ).json()) as Row[];
      return rows.find((r) => r.exchange.request.path === '/t/dup');
    });
    // The stored lines are the lines sent, each Authorization line fingerprinted (its scheme kept).
    const lines = row.exchange.request.headerLines ?? [];
    const stored = without(
      lines.flatMap((x, i): Pairs => (i % 2 ? [] : [[x, lines[i + 1]]])),
      [...FORWARDED, ...HOP],
    );
    expect(stored.map(([n]) => n)).toEqual(sent.map(([n]) => n));
    expect(stored.filter(([n]) => n.toLowerCase() !== 'authorization')).toEqual(sent.filter(([n]) => n.toLowerCase() !== 'authorization'));
    for (const [n, v] of stored) if (n.toLowerCase() === 'authorization') expect(v).toMatch(/^Basic \[REDACTED:[0-9a-f]{16}\]$/);
    // The map is Node's view: the first line of each.
    expect(row.exchange.request.headers).toMatchObject({ 'content-type': 'text/a', 'user-agent': 'ua/1' });
    expect(JSON.stringify(row.exchange)).not.toContain('SECRET');
    expect((await storedSecrets(p.tandem.prefix, /SECRET-\w+/)).found).toEqual([]);

    const replay = await fetch(`${p.tandem.reportUrl}/_tandem/api/exchanges/${encodeURIComponent(row.exchange.id)}/replay`, {
      method: 'POST',
      headers: auth,
    });
    expect(replay.status).toBe(200);
    const replayed = await eventually(() => p.candidate.received.find((r) => r.url === '/t/dup' && valueOf(r.headers, 'x-tandem-replay')));
    // Both Content-Type and User-Agent lines again; the Authorization lines are left out (their values are gone).
    expect(without(replayed.headers, [...MARKS, ...HOP])).toEqual(without(legacy.headers, [...HOP, 'authorization']));
  });
});
