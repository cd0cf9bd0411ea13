// `smartspace …`: the admin CLI of a site (bin/smartspace.js starts it). Exit codes: 0 done,
// 1 failed, 2 bad usage or config.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { COMMANDS } from './commands/index.ts';
import { EXIT, UsageError, type CliCommand, type CliIO } from './command.ts';

const PKG = new URL('../package.json', import.meta.url);
// Compiled, this file is dist/node/cli/main.js: package.json is three levels up, not one.
const PKG_COMPILED = new URL('../../../package.json', import.meta.url);

export function version(): string {
  for (const url of [PKG, PKG_COMPILED]) {
    try {
      const pkg = JSON.parse(readFileSync(url, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'smartspace' && pkg.version) return pkg.version;
    } catch {
      // not this one
    }
  }
  return 'unknown';
}

function help(commands: readonly CliCommand[]): string {
  const width = Math.max(...commands.map((c) => c.name.length), 'help'.length);
  return [
    'usage: smartspace <command> [options]',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    `  ${'help'.padEnd(width)}  this list, or a command's usage: smartspace help <command>`,
    '',
    'smartspace --version prints the version.',
  ].join('\n');
}

export async function runCli(argv: string[], io: CliIO, commands: readonly CliCommand[] = COMMANDS): Promise<number> {
  const [name, ...args] = argv;
  if (name === '--version' || name === '-V' || name === 'version') {
    io.out(`smartspace ${version()}`);
    return EXIT.ok;
  }
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    const which = name === 'help' && args[0] ? commands.find((c) => c.name === args[0]) : undefined;
    io.out(which ? which.usage : help(commands));
    return EXIT.ok;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`smartspace: unknown command "${name}"\n\n${help(commands)}`);
    return EXIT.usage;
  }
  try {
    return await command.run(args, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`smartspace ${name}: ${err.message}\n\n${command.usage}`);
      return EXIT.usage;
    }
    throw err;
  }
}

function terminalIO(): CliIO {
  const io: CliIO = {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
    cwd: process.cwd(),
  };
  if (process.stdin.isTTY) {
    io.ask = async (question, opts) => {
      const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
      if (opts?.secret) {
        // Echo nothing while a password is typed.
        const write = (rl as unknown as { _writeToOutput?: (s: string) => void })._writeToOutput;
        (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s) => {
          if (s.startsWith(question)) write?.call(rl, s);
        };
      }
      try {
        return (await rl.question(question)).trim();
      } finally {
        rl.close();
        if (opts?.secret) process.stdout.write('\n');
      }
    };
  }
  return io;
}

export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  try {
    process.exitCode = await runCli(argv, terminalIO());
  } catch (err) {
    process.stderr.write(`smartspace: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = EXIT.failed;
  }
}
