// Flags of a command through node:util's parseArgs, with its errors turned into UsageErrors that
// name the flag (exit 2 and the usage, never a stack trace).
import { parseArgs } from 'node:util';
import { UsageError } from './command.ts';

type Options = Record<string, { type: 'string' | 'boolean'; short?: string }>;
type Values<O extends Options> = { [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : string };

export interface Parsed<O extends Options> {
  values: Values<O>;
  positionals: string[];
}

/** Parses `args`; `positionals` is how many plain arguments the command takes at most. */
export function parseFlags<O extends Options>(args: string[], options: O, positionals = 0): Parsed<O> {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    // "Unknown option '--x'. To specify a positional argument…": the first sentence says it.
    throw new UsageError((err as Error).message.split('. ')[0]);
  }
  if (parsed.positionals.length > positionals) throw new UsageError(`unexpected argument "${parsed.positionals[positionals]}"`);
  return { values: parsed.values, positionals: parsed.positionals };
}
