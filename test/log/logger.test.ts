import { Writable } from 'node:stream';
import { createLogger, wantsPretty } from '../../src/log';

function sink(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  return { stream: new Writable({ write: (c, _e, done) => (chunks.push(String(c)), done()) }), text: () => chunks.join('') };
}

describe('logs', () => {
  it('on a terminal: one readable line per entry, an error without its multi-line stack', () => {
    const out = sink();
    const log = createLogger('info', 'tandem', { pretty: true, destination: out.stream });
    const err = new Error('legacy refused');
    log.warn({ route: 'product', err }, 'legacy did not answer');
    const text = out.text();
    expect(text).toMatch(/WARN.*legacy did not answer/);
    expect(text).toContain('product');
    expect(text).not.toMatch(/^\s*\{"level"/);
    expect(text.trimEnd().split('\n')).toHaveLength(1);
    expect(text).not.toMatch(/\n\s+at /);
  });

  it('elsewhere: JSON lines', () => {
    const out = sink();
    createLogger('info', 'tandem', { pretty: false, destination: out.stream }).info({ route: 'product' }, 'hello');
    expect(JSON.parse(out.text())).toMatchObject({ level: 30, route: 'product', msg: 'hello', name: 'tandem' });
  });

  it('chooses by TANDEM_LOG_FORMAT, else by whether stdout is a terminal', () => {
    const saved = process.env.TANDEM_LOG_FORMAT;
    try {
      process.env.TANDEM_LOG_FORMAT = 'json';
      expect(wantsPretty()).toBe(false);
      process.env.TANDEM_LOG_FORMAT = 'pretty';
      expect(wantsPretty()).toBe(true);
      delete process.env.TANDEM_LOG_FORMAT;
      expect(wantsPretty()).toBe(process.stdout.isTTY === true);
    } finally {
      if (saved === undefined) delete process.env.TANDEM_LOG_FORMAT;
      else process.env.TANDEM_LOG_FORMAT = saved;
    }
  });
});
