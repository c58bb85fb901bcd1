import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');

// README examples a newcomer copies as they are.
describe('README examples', () => {
  it('send report API calls to the report listener (8081 by default), not the proxy (8080)', () => {
    const proxyPort = readme.split('\n').filter((l) => /:8080\/_tandem\b/.test(l));
    expect(proxyPort).toEqual([]);
  });

  it('import what each TypeScript snippet uses (node:http, listenAside)', () => {
    const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
    const missing = blocks.flatMap((b) => [
      ...(/\bhttp\.createServer\(/.test(b.replace(/^\s*\/\/.*$/gm, '')) && !/import http from 'node:http'/.test(b)
        ? [`http in: ${b.slice(0, 60)}`]
        : []),
      ...(/\blistenAside\(/.test(b) && !/import \{[^}]*\blistenAside\b[^}]*\} from 'tandem'/.test(b)
        ? [`listenAside in: ${b.slice(0, 60)}`]
        : []),
    ]);
    expect(missing).toEqual([]);
  });

  it('say how to install Tandem for use outside the clone, and what npm test needs', () => {
    expect(readme).toMatch(/npm link/);
    expect(readme).toMatch(/npm pack/);
    expect(readme).toMatch(/npm install -g \.\/tandem-[\d.]+\.tgz/);
    expect(readme).toMatch(/`npm test` takes about \d+ minutes/);
    expect(readme).toMatch(/\| `metrics\.enabled`, `metrics\.path`, `metrics\.token` \|[^\n]*16\+ characters/);
  });
});
