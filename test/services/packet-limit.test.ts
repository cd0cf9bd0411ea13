// The broker's size check before parsing (services/broker/packet-limit.ts), on an in-memory
// stream: packet boundaries followed across reads, the connection dropped on the first header
// that announces too much, before its body is read. On a real socket: broker.integration.test.ts.
import { describe, it, expect } from 'vitest';
import { duplexPair, type Duplex } from 'node:stream';
import { limitPackets } from '../../services/broker/packet-limit.ts';

/** Writes each chunk, then reads everything the limited stream hands out. */
async function feed(maxBytes: number, chunks: number[][]): Promise<{ read: number[]; oversize: number[]; destroyed: boolean }> {
  const [a, b] = duplexPair();
  const oversize: number[] = [];
  const limited: Duplex = limitPackets(b, { maxBytes, onOversize: (n) => oversize.push(n) });
  const read: number[] = [];
  for (const c of chunks) {
    a.write(Buffer.from(c));
    await new Promise((resolve) => setImmediate(resolve));
    for (let got = limited.read() as Buffer | null; got !== null; got = limited.read() as Buffer | null) read.push(...got);
  }
  return { read, oversize, destroyed: limited.destroyed };
}

describe('packet size limit', () => {
  it('passes packets up to the limit, with headers and bodies split across reads', async () => {
    // PINGREQ (2 bytes), then a 10-byte PUBLISH whose length and body arrive in pieces.
    const ping = [0xc0, 0x00];
    const publish = [0x30, 0x08, 0, 1, 0x74, 1, 2, 3, 4, 5];
    const r = await feed(10, [
      [...ping, 0x30],
      [0x08, 0, 1],
      [0x74, 1, 2, 3, 4],
      [5, ...ping],
    ]);
    expect(r).toEqual({ read: [...ping, ...publish, ...ping], oversize: [], destroyed: false });
  });

  it('drops the connection on the header of a packet larger than the limit, once', async () => {
    // 0x30, remaining length 200 (0xc8 0x01): 203 bytes in all. The header's first bytes went on
    // before its length was complete; nothing from the read that completes it, no body byte.
    const r = await feed(202, [[0xc0, 0x00], [0x30, 0xc8], [0x01, 0x02], [0x03]]);
    expect(r.read).toEqual([0xc0, 0x00, 0x30, 0xc8]);
    expect(r.oversize).toEqual([203]);
    expect(r.destroyed).toBe(true);
  });

  it('drops a remaining length longer than four bytes (malformed)', async () => {
    const r = await feed(1 << 20, [[0x30, 0xff, 0xff, 0xff, 0xff, 0x7f]]);
    expect(r.read).toEqual([]);
    expect(r.oversize).toEqual([Number.NaN]);
    expect(r.destroyed).toBe(true);
  });
});
