import { Command } from 'commander';
import { registerRediffCommand } from '../../src/cli/rediff-command';

describe('tandem rediff', () => {
  it('is registered with its options and a help text that says what it covers', () => {
    const program = new Command('tandem');
    registerRediffCommand(program);
    const cmd = program.commands.find((c) => c.name() === 'rediff');
    const help = cmd?.helpInformation() ?? '';
    expect(help).toContain('-r, --route <name>');
    expect(help).toContain('-c, --config <file>');
    expect(help.replace(/\s+/g, ' ')).toContain('from its stored exchanges under the current rules; covers the exchanges retention kept');
  });
});
