import { join } from 'node:path';
import { checkConfigFile } from '../../src/cli/load-or-exit';
import { createTranslatorRegistry, defineTranslator, TranslatorError } from '../../src/translate';
import { tempDir } from '../support/processes';

// `config check` (and `serve`, through the same check) names every translator problem at once:
// a first module that does not load never hides the next one, nor a route's unregistered name.
const base = 'legacy:\n  url: http://127.0.0.1:1\ncandidate:\n  url: http://127.0.0.1:2\n';

const dir = (files: Record<string, string>): string => tempDir('trproblems', files).path;

describe('every translator problem at once', () => {
  it('two missing modules and an unregistered route translator are each named', () => {
    const d = dir({
      'tandem.yaml': `${base}translators: [nonexistent-pkg, ./also-missing.js]\nroutes:\n  - { name: a, match: GET /a, translator: foo }\n`,
    });
    const { config, problems, codes } = checkConfigFile(join(d, 'tandem.yaml'));
    expect(config).toBeUndefined();
    expect(problems).toEqual([
      `translators: translator module "nonexistent-pkg" not found from ${process.cwd()}`,
      // the config hands it over resolved from its folder: named once
      `translators: translator module "${join(d, 'also-missing.js')}" not found`,
      expect.stringMatching(/^translators: route "a" names translator "foo", which is not registered \(registered: /),
    ]);
    expect(codes.sort()).toEqual(['ERR_TANDEM_TRANSLATOR_LOAD', 'ERR_TANDEM_TRANSLATOR_UNKNOWN']);
  });

  it('a module that throws on load, then one exporting nothing translator-like', () => {
    const d = dir({
      'throws.js': "throw new Error('boom at load');\n",
      'nothing.js': 'module.exports = { answer: 42 };\n',
      'tandem.yaml': `${base}translators: [./throws.js, ./nothing.js]\n`,
    });
    const { problems, codes } = checkConfigFile(join(d, 'tandem.yaml'));
    expect(problems).toEqual([
      expect.stringMatching(/^translators: translator module ".*\/throws\.js" failed to load: .*\/throws\.js:1:\d+: boom at load/),
      expect.stringMatching(/^translators: translator module ".*\/nothing\.js" exports nothing translator-shaped \(exports: answer\)/),
    ]);
    expect(codes.sort()).toEqual(['ERR_TANDEM_TRANSLATOR_INVALID', 'ERR_TANDEM_TRANSLATOR_LOAD']);
  });

  it('the registry finds every conflict and unknown name before throwing', () => {
    const t = (name: string, routes?: string[]) => defineTranslator({ name, routes });
    let thrown: unknown;
    try {
      createTranslatorRegistry(
        [t('identity'), t('x', ['r']), t('x'), t('y', ['r'])],
        [{ name: 'r' }, { name: 's', translator: 'nope' }, { name: 'u', translator: 'nada' }],
      );
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(TranslatorError);
    const all = (thrown as TranslatorError).all.map((e) => [e.code, e.message]);
    expect(all).toEqual([
      ['ERR_TANDEM_TRANSLATOR_CONFLICT', expect.stringMatching(/reserved name "identity"/)],
      ['ERR_TANDEM_TRANSLATOR_CONFLICT', expect.stringMatching(/two translators are named "x"/)],
      ['ERR_TANDEM_TRANSLATOR_UNKNOWN', expect.stringMatching(/route "s" names translator "nope"/)],
      ['ERR_TANDEM_TRANSLATOR_UNKNOWN', expect.stringMatching(/route "u" names translator "nada"/)],
      ['ERR_TANDEM_TRANSLATOR_CONFLICT', expect.stringMatching(/route "r" is claimed by translators/)],
    ]);
    expect((thrown as TranslatorError).message).toMatch(/^5 translator problems:\n {2}- /);
  });
});
