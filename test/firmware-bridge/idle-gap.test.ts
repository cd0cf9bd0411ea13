// Idle-gap resynchronisation (idle-gap.ts) with injected time, codec by codec: a line feeds
// timestamped chunks through the same IdleGap the serial driver uses, calling `idle()` when it
// says the line was quiet. Scenarios of issue 17: a noise burst or a line cut after 2
// characters, 150–250 ms of idle line, then a valid frame → exactly that frame, nothing
// invented; and bytes hit by a framing error (dropped, 00, or a wrong byte) are noise.
import { describe, it, expect } from 'vitest';
import {
  IDLE_GAP_FLOOR_MS,
  IdleGap,
  KEYBOARD_WEDGE_GAP_MS,
  KeyboardWedgeDecoder,
  Ld2410Decoder,
  Rdm6300Decoder,
  WiegandDecimalLineDecoder,
  WiegandHexLineDecoder,
  asciiBytes,
  concatBytes,
  encodeKeyboardWedge,
  encodeLd2410Report,
  encodeRdm6300,
  encodeWiegandDecimalLine,
  encodeWiegandHexLine,
  idleGapMs,
  rejectedCount,
} from '../../firmware-bridge/index.ts';

const BAUD = 9600;
const CHAR_MS = 10_000 / BAUD; // 8N1

/** What the serial driver does: time each chunk, tell the codec about an idle line, then push. */
function line<T>(codec: { idle(): unknown; push(chunk: Uint8Array, nowMs: number): T[] }, baudRate = BAUD) {
  const gap = new IdleGap({ baudRate });
  let t = 1_000;
  const out: T[] = [];
  return {
    out,
    /** `bytes` arrive `pauseMs` after the previous chunk, paced at the baud rate. */
    send(bytes: Uint8Array | string, pauseMs = 0): void {
      const b = typeof bytes === 'string' ? asciiBytes(bytes) : bytes;
      t += pauseMs + b.length * (10_000 / baudRate);
      const idle = gap.arrive(b.length, t);
      if (idle) {
        const items = codec.idle();
        if (Array.isArray(items)) out.push(...(items as T[]));
      }
      out.push(...codec.push(b, t));
    },
  };
}

const NOISE = Uint8Array.of(0x3f, 0x00, 0xb7, 0x45, 0x31, 0xfe, 0x0a, 0x39);

describe('IdleGap', () => {
  it('is a few character times with a floor for USB-serial latency', () => {
    expect(idleGapMs(9600)).toBe(IDLE_GAP_FLOOR_MS);
    expect(idleGapMs(256_000)).toBe(IDLE_GAP_FLOOR_MS);
    expect(idleGapMs(300)).toBeCloseTo((4 * 10 * 1000) / 300);
    expect(() => idleGapMs(0)).toThrow(/baud rate/);
  });

  it('measures quiet time to the first byte of a chunk, not to the moment it was read', () => {
    const g = new IdleGap({ baudRate: BAUD });
    expect(g.arrive(3, 0)).toBe(false); // nothing before the first chunk
    // 60 bytes read 62.5 ms + 10 ms later: back to back with the previous chunk, not a gap.
    expect(g.arrive(60, 60 * CHAR_MS + 10)).toBe(false);
    // One USB latency period (16 ms) between two halves of a line: not a gap.
    expect(g.arrive(4, 60 * CHAR_MS + 10 + 16 + 4 * CHAR_MS)).toBe(false);
    expect(g.arrive(7, 60 * CHAR_MS + 10 + 16 + 4 * CHAR_MS + 150 + 7 * CHAR_MS)).toBe(true);
    g.reset();
    expect(g.arrive(1, 10_000)).toBe(false);
  });
});

describe('wiegand-hex line (WIE232-A, §3.6) resynchronises on an idle line', () => {
  it('noise burst, idle, valid card → exactly that card', () => {
    const dec = new WiegandHexLineDecoder({ allowW34: true });
    const l = line(dec);
    l.send(NOISE.filter((b) => b !== 0x0a && b !== 0x0d));
    l.send(encodeWiegandHexLine(213, 2000), 200);
    expect(l.out).toEqual([{ kind: 'card', format: 'w26', facility: 213, card: 2000, data: 0xd507d0 }]);
    expect(dec.stats()).toMatchObject({ frames: 1, idleResets: 1, oversized: 0 });
  });

  it('a line cut after 2 characters, idle, valid card → that card, not an invented W34 number', () => {
    const dec = new WiegandHexLineDecoder({ allowW34: true });
    const l = line(dec);
    l.send('0C');
    l.send(encodeWiegandHexLine(213, 2000), 150);
    expect(l.out.map((c) => c.data.toString(16))).toEqual(['d507d0']);
    expect(dec.stats()).toMatchObject({ frames: 1, idleResets: 1, garbageBytes: 2 });
    expect(rejectedCount(dec.stats())).toBe(1);
  });

  it('without the idle signal the fragment is glued to the card: the failure of issue 17', () => {
    const dec = new WiegandHexLineDecoder({ allowW34: true });
    const glued = [...dec.push(asciiBytes('0C')), ...dec.push(encodeWiegandHexLine(213, 2000))];
    expect(glued.map((c) => c.data.toString(16))).toEqual(['cd507d0']); // the card nobody presented
  });

  it('a line split by USB latency (two chunks 16 ms apart) is still one card', () => {
    const dec = new WiegandHexLineDecoder();
    const l = line(dec);
    l.send('D50');
    l.send('7D0\r', 16);
    expect(l.out.map((c) => c.data)).toEqual([0xd507d0]);
    expect(dec.stats().idleResets).toBe(0);
  });

  it('framing errors: a byte read as 00, a byte dropped by the UART driver, both noise; the next card reads', () => {
    const dec = new WiegandHexLineDecoder({ allowW34: true });
    const l = line(dec);
    l.send(Uint8Array.of(0x44, 0x35, 0x00, 0x37, 0x44, 0x30, 0x0d)); // D5·7D0 with a 00
    l.send('D507D', 200); // the last character lost, no CR: the line just stops
    l.send(encodeWiegandHexLine(213, 2000), 200);
    expect(l.out.map((c) => c.data)).toEqual([0xd507d0]);
    expect(dec.stats()).toMatchObject({ frames: 1, badFormat: 1, idleResets: 1 });
  });
});

describe('wiegand-decimal line (S4A, §3.6) resynchronises on an idle line', () => {
  it('noise burst, idle, valid card → exactly that card', () => {
    const dec = new WiegandDecimalLineDecoder();
    const l = line(dec);
    l.send(NOISE);
    l.send(encodeWiegandDecimalLine(13961168), 200);
    expect(l.out.filter((i) => i.kind === 'card').map((i) => i.kind === 'card' && i.digits)).toEqual(['0013961168']);
  });

  it('a line cut after 2 characters, idle, valid card → that card; the 2 digits end as keys before it', () => {
    const dec = new WiegandDecimalLineDecoder();
    const l = line(dec);
    l.send('00');
    l.send(encodeWiegandDecimalLine(13961168), 150);
    expect(l.out).toEqual([
      { kind: 'key', key: '0', source: 'ascii' },
      { kind: 'key', key: '0', source: 'ascii' },
      { kind: 'card', digits: '0013961168', value: 13961168, facility: 213, card: 2000 },
    ]);
  });

  it('a line cut between CR and LF, idle, valid card → that card; the cut line counted', () => {
    const dec = new WiegandDecimalLineDecoder();
    const l = line(dec);
    l.send('0000000001\r');
    l.send(encodeWiegandDecimalLine(13961168), 200);
    expect(l.out.map((i) => i.kind === 'card' && i.value)).toEqual([13961168]);
    expect(dec.stats()).toMatchObject({ frames: 1, idleResets: 1, badFormat: 0 });
  });

  it('framing error: a digit read as 00 is noise, not a shorter number', () => {
    const dec = new WiegandDecimalLineDecoder();
    const l = line(dec);
    const bad = encodeWiegandDecimalLine(13961168);
    bad[4] = 0x00;
    l.send(bad);
    l.send(encodeWiegandDecimalLine(13961168), 200);
    expect(l.out.filter((i) => i.kind === 'card').map((i) => i.kind === 'card' && i.value)).toEqual([13961168]);
  });
});

describe('RDM6300 (§1) drops a partial frame on an idle line', () => {
  it('a frame cut after 6 bytes, idle, a frame → exactly that card; the cut one counted', () => {
    const dec = new Rdm6300Decoder({ format: 'hex', holdMs: 0 });
    const l = line(dec);
    l.send(encodeRdm6300('62E3086CED').subarray(0, 6));
    l.send(encodeRdm6300('0400D4E5F6'), 200);
    expect(l.out.map((r) => r.hex)).toEqual(['0400D4E5F6']);
    expect(dec.stats()).toMatchObject({ frames: 1, idleResets: 1, truncated: 0 });
  });

  it('framing errors: a hex character read as 00 or as another character is rejected by the frame', () => {
    const dec = new Rdm6300Decoder({ format: 'hex', holdMs: 0 });
    const l = line(dec);
    const zero = encodeRdm6300('62E3086CED');
    zero[5] = 0x00;
    const wrong = encodeRdm6300('62E3086CED');
    wrong[5] = 0x31; // '3' → '1': the XOR checksum catches it
    l.send(zero);
    l.send(wrong, 100);
    l.send(encodeRdm6300('62E3086CED'), 100);
    expect(l.out.map((r) => r.hex)).toEqual(['62E3086CED']);
    expect(dec.stats()).toMatchObject({ frames: 1, badFormat: 1, badChecksum: 1 });
  });
});

describe('LD2410 (§4) drops a partial frame on an idle line', () => {
  const report = encodeLd2410Report({
    targetState: 2,
    movingDistanceCm: 0,
    movingEnergy: 0,
    stationaryDistanceCm: 244,
    stationaryEnergy: 48,
    detectionDistanceCm: 244,
  });

  it('a report cut after its header and length, idle, a report → exactly one report', () => {
    const dec = new Ld2410Decoder();
    const l = line(dec, 256_000);
    l.send(report.subarray(0, 9));
    l.send(report, 200);
    expect(l.out).toHaveLength(1);
    expect(dec.stats()).toMatchObject({ frames: 1, idleResets: 1, truncated: 0 });
  });
});

describe('keyboard wedge (§3.6) drops a half-typed line after a pause, from the records’ own timestamps', () => {
  it('4 keys, a pause, then a full line → exactly that line, no 14-digit number', () => {
    const dec = new KeyboardWedgeDecoder();
    const half = encodeKeyboardWedge('0013', { timeMs: 5_000 }).subarray(0, 4 * 4 * 24); // no Enter
    const full = encodeKeyboardWedge('0013961168', { timeMs: 5_000 + KEYBOARD_WEDGE_GAP_MS + 100 });
    expect(dec.push(concatBytes(half, full))).toEqual([{ kind: 'line', text: '0013961168' }]);
    expect(dec.stats()).toMatchObject({ frames: 1, idleResets: 1, garbageBytes: 4 * 4 * 24 });
  });

  it('keys within the gap are one line', () => {
    const dec = new KeyboardWedgeDecoder({ eventSize: 16 });
    const a = encodeKeyboardWedge('0013', { timeMs: 5_000, eventSize: 16 }).subarray(0, 4 * 4 * 16);
    const b = encodeKeyboardWedge('961168', { timeMs: 5_000 + 20, eventSize: 16 });
    expect(dec.push(concatBytes(a, b))).toEqual([{ kind: 'line', text: '0013961168' }]);
    expect(dec.stats().idleResets).toBe(0);
  });
});
