import { createConfig } from '../../src/config';
import { createRedactorFor, createUpstreamFor } from '../../src/runtime';

describe('composition root factories', () => {
  const config = createConfig(
    {
      legacy: { url: 'http://legacy.internal:3001', repeatUrl: 'http://legacy-2.internal:3001', timeoutMs: 900, host: 'upstream' },
      candidate: { url: 'http://candidate.internal:3002', timeoutMs: 300 },
      capture: { maxBodyBytes: 4096 },
    },
    {},
  );

  it('builds each backend from the config: URL, timeout, Host policy, capture cap, sockets', () => {
    const legacy = createUpstreamFor(config, 'legacy', 7);
    const repeat = createUpstreamFor(config, 'legacyRepeat', 7);
    const candidate = createUpstreamFor(config, 'candidate', 3);
    try {
      expect([legacy.url.host, legacy.timeoutMs, legacy.host, legacy.maxBodyBytes, legacy.agent.maxSockets]).toEqual([
        'legacy.internal:3001',
        900,
        'upstream',
        4096,
        7,
      ]);
      // The noise repeat: the second instance, with the primary legacy's Host so both answers compare.
      expect([repeat.url.host, repeat.upstreamHost, repeat.timeoutMs]).toEqual(['legacy-2.internal:3001', 'legacy.internal:3001', 900]);
      expect([candidate.url.host, candidate.timeoutMs, candidate.host, candidate.agent.maxSockets]).toEqual([
        'candidate.internal:3002',
        300,
        'client',
        3,
      ]);
    } finally {
      for (const u of [legacy, repeat, candidate]) u.agent.destroy();
    }
  });

  it('makes a redactor only once a key is known', () => {
    expect(createRedactorFor(config)).toBeNull();
    expect(createRedactorFor(config, 'k'.repeat(32))).not.toBeNull();
    const keyed = createConfig({ legacy: { url: 'http://l:1' }, candidate: { url: 'http://c:2' } }, { TANDEM_REDACT_KEY: 'c'.repeat(20) });
    expect(createRedactorFor(keyed)).not.toBeNull();
  });
});
