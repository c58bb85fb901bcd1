import type { Command } from 'commander';
import { BENCH_HELP } from '../../bench/options';

// Help texts read as sentences: a prose line (not indented) never starts in lower case right
// after a line that ended one (`…per second.\nthen what…` was a broken sentence).
function brokenSentences(text: string): string[] {
  const lines = text.split('\n');
  return lines.flatMap((line, i) => (i > 0 && /\.$/.test(lines[i - 1]) && /^[a-z]/.test(line) ? [`${lines[i - 1]}\n${line}`] : []));
}

/** Commander's help width when the output is no terminal (a pipe, a file, these tests). */
const HELP_WIDTH = 80;

/** The lines of a help's option, argument and command lists longer than `HELP_WIDTH`. */
function overlongListLines(text: string): string[] {
  let inList = false;
  return text.split('\n').filter((line) => {
    if (/^[A-Z][A-Za-z ]*:$/.test(line)) inList = /^(Options|Global Options|Arguments|Commands):$/.test(line);
    else if (line === '') inList = false;
    else return inList && line.length > HELP_WIDTH;
    return false;
  });
}

function allHelp(cmd: Command): string[] {
  let out = '';
  cmd.configureOutput({
    writeOut: (s) => void (out += s),
    writeErr: (s) => void (out += s),
    getOutHelpWidth: () => HELP_WIDTH,
    getErrHelpWidth: () => HELP_WIDTH,
  });
  cmd.outputHelp();
  return [out, ...cmd.commands.flatMap(allHelp)];
}

describe('help texts', () => {
  it('the benchmark help has no broken sentence', () => {
    expect(brokenSentences(BENCH_HELP)).toEqual([]);
  });

  it('no command of the CLI has one either', () => {
    // From dist/ (built by the global setup): main.ts reads package.json relative to its built place.
    const { buildProgram } = require('../../dist/src/cli/main') as { buildProgram: () => Command };
    const texts = allHelp(buildProgram());
    expect(texts.length).toBeGreaterThan(10);
    expect(texts.flatMap(brokenSentences)).toEqual([]);
  });

  it("every command's option, argument and command lines are wrapped to the help width", () => {
    // Commander leaves a list unwrapped when its description column would be under 40
    // characters (a long term such as `customer [options] <route> <customer> <phase>`),
    // and cannot break a word longer than the column: `tandem rollout --help` printed
    // lines of 110-275 characters.
    const { buildProgram } = require('../../dist/src/cli/main') as { buildProgram: () => Command };
    const texts = allHelp(buildProgram());
    expect(texts.length).toBeGreaterThan(10);
    expect(texts.flatMap(overlongListLines)).toEqual([]);
  });

  it('every line of every help fits the help width: the texts after the lists (environment, exit codes, examples) too', () => {
    // `tandem --help` printed lines of up to 119 characters (Environment, Deployments, Exit
    // codes), `rediff --help` one of 213: only the option and command lists were checked.
    const { buildProgram } = require('../../dist/src/cli/main') as { buildProgram: () => Command };
    const texts = allHelp(buildProgram());
    expect(texts.flatMap((t) => t.split('\n').filter((line) => line.length > HELP_WIDTH))).toEqual([]);
  });

  it("every command that reads Tandem's Redis names every way to give it one, the cluster included", () => {
    const { buildProgram } = require('../../dist/src/cli/main') as { buildProgram: () => Command };
    const program = buildProgram();
    for (const name of ['worker', 'replay', 'rediff', 'suggest', 'rollout']) {
      const cmd = program.commands.find((c) => c.name() === name)!;
      for (const text of allHelp(cmd).filter((t) => /-c, --config/.test(t))) {
        // the option lines are wrapped: the words are looked for across line breaks
        const flat = text.replace(/\s+/g, ' ');
        for (const way of ['redis.url', 'redis.cluster', 'REDIS_CLUSTER_NODES', 'REDIS_URL', 'embedded Redis of a running `tandem serve`'])
          expect({ name, way, found: flat.includes(way) }).toEqual({ name, way, found: true });
        expect({ name, stale: /no redis\.url \/ REDIS_URL/.test(flat) }).toEqual({ name, stale: false });
      }
    }
  });
});
