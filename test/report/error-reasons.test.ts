import { ERROR_CLASSES } from '../../src/store';
import { summariseExchange } from '../../src/report/queries';
import { processExchange } from '../../src/worker';
import { fakeExchange } from './seed';
import { processDeps } from '../support/exchanges';

// The route page's Errors table shows each row's "Signature / reason" from summariseExchange:
// an error row never has an empty reason cell.
describe('the reason of every stored error row', () => {
  const cut = { encoding: 'utf8' as const, data: '', size: 1_992_294, truncated: true, sha256: 'ab' };

  it('a request body over the capture cap says which body and its size, as the worker recorded it', async () => {
    const ex = fakeExchange({ id: 'big', route: 'echo', at: 1 });
    ex.request = { ...ex.request, method: 'POST', body: cut };
    const { result } = await processExchange(ex, processDeps());
    expect(result).toMatchObject({ class: 'too_large', reason: 'request body of 1,992,294 bytes over the capture cap' });
    expect(summariseExchange(ex, 'too_large').reason).toBe(result.reason);
  });

  it('each error class has a reason, whatever the exchange holds', () => {
    const plain = fakeExchange({ id: 'p', route: 'echo', at: 1 });
    for (const cls of ERROR_CLASSES) expect(summariseExchange(plain, cls).reason).toMatch(/\w/);
    const candidateCut = fakeExchange({ id: 'c', route: 'echo', at: 1 });
    candidateCut.candidate = { ...candidateCut.candidate!, body: cut };
    expect(summariseExchange(candidateCut, 'too_large').reason).toBe('candidate body of 1,992,294 bytes over the capture cap');
  });
});
