import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { runCli } from '../../cli/main.ts';
import { UsageError, type CliCommand, type CliIO } from '../../cli/command.ts';

function captureIO(): CliIO & { outLines: string[]; errLines: string[] } {
  const outLines: string[] = [];
  const errLines: string[] = [];
  return { outLines, errLines, out: (l) => outLines.push(l), err: (l) => errLines.push(l), env: {}, cwd: '/' };
}

const echo: CliCommand = {
  name: 'echo',
  summary: 'prints its arguments',
  usage: 'usage: smartspace echo <word>',
  run(args, io) {
    if (args.length === 0) throw new UsageError('a word is required');
    io.out(args.join(' '));
    return Promise.resolve(0);
  },
};

describe('smartspace CLI', () => {
  it('prints the version of package.json', async () => {
    const io = captureIO();
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(await runCli(['--version'], io, [echo])).toBe(0);
    expect(io.outLines).toEqual([`smartspace ${version}`]);
  });

  it('lists the commands, and a command’s usage', async () => {
    const io = captureIO();
    expect(await runCli([], io, [echo])).toBe(0);
    expect(io.outLines[0]).toMatch(/echo\s+prints its arguments/);
    const one = captureIO();
    expect(await runCli(['help', 'echo'], one, [echo])).toBe(0);
    expect(one.outLines).toEqual([echo.usage]);
  });

  it('runs a command with its arguments', async () => {
    const io = captureIO();
    expect(await runCli(['echo', 'hej', 'med', 'dig'], io, [echo])).toBe(0);
    expect(io.outLines).toEqual(['hej med dig']);
  });

  it('answers an unknown command and a usage error with exit code 2 and a reason', async () => {
    const unknown = captureIO();
    expect(await runCli(['frobnicate'], unknown, [echo])).toBe(2);
    expect(unknown.errLines[0]).toContain('unknown command "frobnicate"');
    const bad = captureIO();
    expect(await runCli(['echo'], bad, [echo])).toBe(2);
    expect(bad.errLines[0]).toContain('smartspace echo: a word is required');
    expect(bad.errLines[0]).toContain(echo.usage);
  });
});
