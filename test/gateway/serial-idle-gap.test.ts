// The serial driver is what knows time: it timestamps each chunk, and when the line was quiet
// longer than the idle gap (idle-gap.ts) it tells the codec before passing the chunk on. An
// in-memory port and an injected clock, a WIE232-style converter line (protocols.md §3.6).
import { afterEach, describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { asciiBytes } from '../../firmware-bridge/index.ts';
import { SerialCardReader } from '../../gateway/drivers/serial/serial-card-reader.ts';
import type { SerialPortLike } from '../../gateway/drivers/serial/serial-link.ts';

class MemoryPort extends EventEmitter implements SerialPortLike {
  isOpen = false;
  open(cb: (err: Error | null) => void): void {
    this.isOpen = true;
    cb(null);
  }
  write(): boolean {
    return true;
  }
  close(cb?: (err: Error | null) => void): void {
    this.isOpen = false;
    cb?.(null);
  }
}

describe('serial driver: idle gap from chunk timestamps', () => {
  const stops: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const s of stops.splice(0)) await s();
  });

  async function converter() {
    const port = new MemoryPort();
    let now = 10_000;
    const r = new SerialCardReader('front-reader', {
      path: '/dev/ttyUSB0',
      protocol: 'wiegand-hex',
      format: 'hex',
      holdMs: 0,
      now: () => now,
      portFactory: () => port,
    });
    const cards: string[] = [];
    r.on('card', (c) => cards.push(c.uid));
    stops.push(() => r.stop());
    void r.start();
    await new Promise((res) => setImmediate(res));
    expect(port.isOpen).toBe(true);
    /** The port delivers `text` `afterMs` after the previous chunk. */
    const deliver = (text: string, afterMs: number) => {
      now += afterMs;
      port.emit('data', Buffer.from(asciiBytes(text)));
    };
    return { r, cards, deliver };
  }

  it('a line cut after 2 characters, 200 ms idle, a card → that card; the fragment counts as dropped', async () => {
    const { r, cards, deliver } = await converter();
    deliver('0C', 0);
    deliver('D507D0\r', 200);
    expect(cards).toEqual(['D507D0']);
    expect(r.health()).toMatchObject({ state: 'ok', dropped: 1, droppedBytes: 2 });
  });

  it('a line in two chunks a USB latency period apart is one card, nothing dropped', async () => {
    const { r, cards, deliver } = await converter();
    deliver('D50', 0);
    deliver('7D0\r', 16);
    deliver('D507D0\r', 1000);
    expect(cards).toEqual(['D507D0', 'D507D0']);
    expect(r.health()).toMatchObject({ dropped: 0, droppedBytes: 0 });
  });
});
