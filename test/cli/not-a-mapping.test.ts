import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkConfigFile } from '../../src/cli/load-or-exit';

// A config file holding a plain scalar or a list is no config: it is said so, once, instead
// of "legacy/candidate required" (scalar) or "expected object" (list).
function file(text: string, name: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-notmap-'));
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}

describe('a config that is not a mapping', () => {
  it.each([
    ['tandem.yaml', 'just a string\n', 'a string ("just a string")'],
    ['tandem.yaml', '42\n', 'a number (42)'],
    ['tandem.yaml', '- legacy\n- candidate\n', 'a list'],
    ['tandem.json', '["a"]', 'a list'],
    ['tandem.json', '"text"', 'a string ("text")'],
  ])('%s holding %j', (name, text, what) => {
    const f = file(text, name);
    expect(checkConfigFile(f)).toEqual({
      problems: [`${f}: not a mapping: the file holds ${what}; a config maps keys to values, e.g. legacy: { url: http://127.0.0.1:8081 }`],
      codes: ['ERR_TANDEM_CONFIG_UNREADABLE'],
    });
  });

  it('an empty file is still an empty config, naming the keys it needs', () => {
    expect(checkConfigFile(file('\n', 'tandem.yaml')).problems).toEqual([
      expect.stringMatching(/^legacy: required: /),
      expect.stringMatching(/^candidate: required: /),
    ]);
  });
});
