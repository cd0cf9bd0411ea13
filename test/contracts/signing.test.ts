import { describe, it, expect } from 'vitest';
import { canonicalJson, sign, verify, fingerprint } from '../../contracts/signing.ts';

describe('signing', () => {
  it('canonical JSON sorts keys at every level and skips undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[2,{"y":2,"z":1}]},"b":1}');
  });

  it('a signature survives key reordering and fails on any change or another key', () => {
    const cmd = sign({ v: 1, id: 'cmd-12345678', door: 'front', action: 'unlock', exp: 1000 }, 'k'.repeat(32));
    const reordered = JSON.parse(JSON.stringify({ exp: cmd.exp, sig: cmd.sig, door: cmd.door, action: cmd.action, id: cmd.id, v: cmd.v }));
    expect(verify(reordered, 'k'.repeat(32))).toBe(true);
    expect(verify({ ...cmd, exp: 2000 }, 'k'.repeat(32))).toBe(false);
    expect(verify({ ...cmd, door: 'back' }, 'k'.repeat(32))).toBe(false);
    expect(verify(cmd, 'x'.repeat(32))).toBe(false);
    expect(verify({ ...cmd, sig: 'ab' }, 'k'.repeat(32))).toBe(false);
  });

  it('fingerprints are keyed, stable and normalise case and whitespace', () => {
    const a = fingerprint('site-key-1', '0400a1b2c3');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprint('site-key-1', ' 0400A1B2C3 ')).toBe(a);
    expect(fingerprint('site-key-2', '0400A1B2C3')).not.toBe(a);
    expect(a).not.toContain('0400a1b2c3');
  });
});
