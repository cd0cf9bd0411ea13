// Every stream the broker hands to aedes drains its buffer on a read() without a size, on every
// Node version (Node 26 returns one chunk per read(), which left MQTT packets half-read).
import { describe, it, expect } from 'vitest';
import { Duplex } from 'node:stream';
import { wholeReads } from '../../services/broker/whole-reads.ts';

const stream = () =>
  new Duplex({
    read() {},
    write(_c, _e, cb) {
      cb();
    },
  });

describe('wholeReads', () => {
  it('returns every buffered chunk at once, and null when empty', () => {
    const s = wholeReads(stream());
    s.push(Buffer.from([0x10, 0x0c]));
    s.push(Buffer.from('rest of a packet'));
    expect(s.read()).toEqual(Buffer.concat([Buffer.from([0x10, 0x0c]), Buffer.from('rest of a packet')]));
    expect(s.readableLength).toBe(0);
    expect(s.read()).toBeNull();
  });

  it('leaves a read of a given size alone', () => {
    const s = wholeReads(stream());
    s.push(Buffer.from('abcdef'));
    expect(String(s.read(2))).toBe('ab');
    expect(String(s.read())).toBe('cdef');
  });
});
