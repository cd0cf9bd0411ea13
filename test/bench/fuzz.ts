// Long fuzz run of every firmware-bridge codec with the generators of
// test/firmware-bridge/fuzz-gen.ts. Usage: node --import tsx test/bench/fuzz.ts [--inputs N] [--seed S]
// Prints per codec: inputs, inputs/s, accepted, rejected, exceptions, violations. Exits 1 on any
// exception or violation. It measures; the pass/fail is about correctness only.
import { FUZZ_TARGETS, runFuzz } from '../firmware-bridge/fuzz-gen.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(v) || v < 0) throw new Error(`${name} needs a non-negative number`);
  return v;
}

const inputs = arg('--inputs', 1_000_000);
const seed = arg('--seed', 0x5eed_2410);
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;

const pad = (s: string | number, n: number): string => String(s).padStart(n);
console.log(`fuzz: ${inputs} inputs per codec, seed 0x${seed.toString(16)} (+ codec index)`);
console.log(
  `${'codec'.padEnd(22)}${pad('inputs', 10)}${pad('inputs/s', 11)}${pad('accepted', 11)}${pad('rejected', 11)}${pad('exceptions', 12)}${pad('violations', 12)}`,
);
let failed = false;
for (const [k, target] of FUZZ_TARGETS.entries()) {
  if (only && target.name !== only) continue;
  const r = runFuzz(target, inputs, seed + k);
  const rate = Math.round(r.inputs / (r.ms / 1000));
  console.log(
    `${r.name.padEnd(22)}${pad(r.inputs, 10)}${pad(rate, 11)}${pad(r.accepted, 11)}${pad(r.rejected, 11)}${pad(r.exceptions, 12)}${pad(r.violations, 12)}`,
  );
  if (r.firstProblem) console.log(`  first problem: ${r.firstProblem}`);
  if (r.exceptions > 0 || r.violations > 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
