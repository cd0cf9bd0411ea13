// Short, reproducible fuzz run per codec (the long run is `node --import tsx test/bench/fuzz.ts`):
// no exception escapes a decoder and nothing invalid is accepted.
import { describe, it, expect } from 'vitest';
import { FUZZ_TARGETS, runFuzz } from './fuzz-gen.ts';

const INPUTS = 20_000;
const SEED = 0x5eed_2410;

describe('codec fuzzing (seeded)', () => {
  for (const [k, target] of FUZZ_TARGETS.entries()) {
    it(`${target.name}: ${INPUTS} inputs, no exception, nothing invalid accepted`, () => {
      const r = runFuzz(target, INPUTS, SEED + k);
      expect(r.firstProblem).toBeNull();
      expect(r.exceptions).toBe(0);
      expect(r.violations).toBe(0);
      // The generators must exercise both paths, or the run proves nothing.
      expect(r.accepted).toBeGreaterThan(INPUTS / 10);
      expect(r.rejected).toBeGreaterThan(INPUTS / 10);
    });
  }
});
