import { describeLag } from '../../src/metrics';

describe('describeLag is honest about what is not compared yet', () => {
  it('says "up to date" only when nothing waits anywhere it can see', () => {
    expect(describeLag({ waiting: 0, lagSeconds: 0 })).toBe('results are up to date');
    expect(describeLag({ waiting: 0, lagSeconds: 0, delayed: 2 })).toBe(
      'results are not complete: 2 jobs delayed (retries or the noise warm-up)',
    );
    expect(describeLag({ waiting: 0, lagSeconds: 0, buffered: 1, inFlight: 3 })).toBe(
      'results are not complete: 1 exchange buffered in this process, 3 shadow requests in flight',
    );
    // jobs queued less than a second ago are not compared yet either
    expect(describeLag({ waiting: 2, lagSeconds: 0.3, waitingExchanges: 72 })).toBe('results are not complete: 72 exchanges waiting');
    expect(describeLag({ waiting: 1, lagSeconds: 0 })).toBe('results are not complete: 1 job waiting');
    expect(describeLag({ waiting: 3, lagSeconds: 12.4, delayed: 1 })).toBe(
      'results are 12 seconds behind; also 1 job delayed (retries or the noise warm-up)',
    );
  });
});
