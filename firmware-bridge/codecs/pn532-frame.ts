// PN532 host-interface frames over HSU (protocols.md §2.2, §2.3): normal information frames
// `00 00 FF LEN LCS TFI PD… DCS 00`, extended frames `00 00 FF FF FF LENm LENl LCS TFI PD… DCS 00`,
// ACK, NACK and the application-level error frame. The same decoder reads both directions,
// so the simulator uses it for host frames and the session for PN532 frames.
import { ByteWindow } from './byte-window.ts';
import { emptyStats, feed, type DecoderStats, type RejectReason } from './decoder-stats.ts';

export const PN532_ACK = Uint8Array.of(0x00, 0x00, 0xff, 0x00, 0xff, 0x00);
export const PN532_NACK = Uint8Array.of(0x00, 0x00, 0xff, 0xff, 0x00, 0x00);
export const PN532_ERROR_FRAME = Uint8Array.of(0x00, 0x00, 0xff, 0x01, 0xff, 0x7f, 0x81, 0x00);
/** Frame identifier: host → PN532. */
export const TFI_HOST = 0xd4;
/** Frame identifier: PN532 → host. */
export const TFI_PN532 = 0xd5;
/** PD bytes (command code included) a normal frame can carry; more needs an extended frame (§2.2, §2.3). */
export const PN532_NORMAL_MAX_DATA = 254;
export const PN532_EXTENDED_MAX_DATA = 264;
/** Longest frame from the start code: `00 FF FF FF m l LCS` + TFI + 264 + DCS + postamble. */
const MAX_FRAME = 7 + 1 + PN532_EXTENDED_MAX_DATA + 2;

export type Pn532Frame =
  | { kind: 'ack' }
  | { kind: 'nack' }
  /** Application-level error frame (syntax error reported by the PN532). */
  | { kind: 'error' }
  /** `data` is PD0…PDn: the command code (response code = command + 1) and its parameters. */
  | { kind: 'info'; tfi: number; data: Uint8Array; extended: boolean };

/** Builds an information frame; extended when `data` does not fit a normal one (or when asked). */
export function encodePn532Frame(tfi: number, data: ArrayLike<number>, opts: { extended?: boolean } = {}): Uint8Array {
  if (data.length < 1 || data.length > PN532_EXTENDED_MAX_DATA) {
    throw new RangeError(`PN532 frame data must be 1..${PN532_EXTENDED_MAX_DATA} bytes, got ${data.length}`);
  }
  const extended = opts.extended === true || data.length > PN532_NORMAL_MAX_DATA;
  const len = data.length + 1; // LEN counts TFI too
  const head = extended
    ? [0x00, 0x00, 0xff, 0xff, 0xff, len >> 8, len & 0xff, (0x100 - (((len >> 8) + len) & 0xff)) & 0xff]
    : [0x00, 0x00, 0xff, len, (0x100 - len) & 0xff];
  const out = new Uint8Array(head.length + len + 2);
  out.set(head, 0);
  out[head.length] = tfi;
  out.set(data, head.length + 1);
  let sum = tfi;
  for (let i = 0; i < data.length; i++) sum += data[i]!;
  out[head.length + len] = (0x100 - (sum & 0xff)) & 0xff;
  out[head.length + len + 1] = 0x00;
  return out;
}

/** Host command frame: TFI `D4`, PD0 = command code. */
export function encodePn532Command(code: number, params: ArrayLike<number> = []): Uint8Array {
  const data = new Uint8Array(1 + params.length);
  data[0] = code;
  data.set(params, 1);
  return encodePn532Frame(TFI_HOST, data);
}

/** PN532 response frame: TFI `D5`, PD0 = command code + 1. */
export function encodePn532Response(code: number, payload: ArrayLike<number> = []): Uint8Array {
  const data = new Uint8Array(1 + payload.length);
  data[0] = (code + 1) & 0xff;
  data.set(payload, 1);
  return encodePn532Frame(TFI_PN532, data);
}

/** Streaming decoder for either direction. Idle `00` bytes (preamble, postamble) are not garbage. */
export class Pn532Decoder {
  private readonly win = new ByteWindow(MAX_FRAME * 2);
  private readonly s: DecoderStats = emptyStats();

  push(chunk: Uint8Array): Pn532Frame[] {
    const out: Pn532Frame[] = [];
    feed(
      this.win,
      chunk,
      () => this.parse(out),
      (n) => (this.s.garbageBytes += n),
    );
    return out;
  }

  /** Drops a pending partial frame (counted as truncated), e.g. after a response timeout. */
  flush(): void {
    const b = this.win.bytes();
    const start = findStart(b, 0);
    if (start >= 0 && b.length - start > 2) this.s.truncated++;
    this.s.garbageBytes += countNonZero(b, 0, b.length);
    this.win.clear();
  }

  stats(): DecoderStats {
    return { ...this.s };
  }

  private parse(out: Pn532Frame[]): void {
    const b = this.win.bytes();
    const n = b.length;
    let pos = 0;
    while (pos < n) {
      const i = findStart(b, pos);
      if (i < 0) {
        // Keep a trailing 00: it may be the first half of the next start code.
        const keep = b[n - 1] === 0x00 ? n - 1 : n;
        this.s.garbageBytes += countNonZero(b, pos, keep);
        pos = keep;
        break;
      }
      this.s.garbageBytes += countNonZero(b, pos, i);
      pos = i;
      const r = this.frameAt(b, i, out);
      if (r === 'wait') break;
      if (typeof r === 'number') {
        pos = i + r;
        this.s.frames++;
        continue;
      }
      this.s[r]++;
      this.s.garbageBytes++; // the FF of the rejected start code (its 00 is idle fill)
      pos = i + 2;
    }
    this.win.drop(pos);
  }

  /** Judges the candidate whose start code `00 FF` is at `i`: frame length, reason, or wait. */
  private frameAt(b: Uint8Array, i: number, out: Pn532Frame[]): number | RejectReason | 'wait' {
    const n = b.length;
    if (n - i < 4) return 'wait';
    const len = b[i + 2]!;
    const lcs = b[i + 3]!;
    // §2.3 receiver notes: the two bytes after the start code tell the frame kind.
    if ((len === 0x00 && lcs === 0xff) || (len === 0xff && lcs === 0x00)) {
      if (n - i < 5) return 'wait';
      if (b[i + 4] !== 0x00) return 'badFormat';
      out.push({ kind: len === 0 ? 'ack' : 'nack' });
      return 5;
    }
    let body: number; // index of TFI (or of the error byte)
    let dataLen: number; // LEN: TFI + PD bytes
    const extended = len === 0xff && lcs === 0xff;
    if (extended) {
      if (n - i < 7) return 'wait';
      const m = b[i + 4]!;
      const l = b[i + 5]!;
      if (((m + l + b[i + 6]!) & 0xff) !== 0) return 'badChecksum';
      dataLen = (m << 8) | l;
      if (dataLen > PN532_EXTENDED_MAX_DATA + 1) return 'oversized';
      if (dataLen < 2) return 'badFormat';
      body = i + 7;
    } else {
      if (((len + lcs) & 0xff) !== 0) return 'badChecksum';
      if (len === 0) return 'badFormat';
      dataLen = len;
      body = i + 4;
    }
    // Only D4 and D5 exist (§2.2); checking early keeps a bogus LEN from holding back the stream.
    if (n > body && dataLen >= 2 && b[body] !== TFI_HOST && b[body] !== TFI_PN532) return 'badFormat';
    const total = body - i + dataLen + 2;
    if (n - i < total) return 'wait';
    let sum = 0;
    for (let k = 0; k <= dataLen; k++) sum += b[body + k]!;
    const dcsOk = (sum & 0xff) === 0;
    const postOk = b[body + dataLen + 1] === 0x00;
    if (!dcsOk || !postOk) {
      // A start code inside the candidate means it was cut short by the next frame.
      if (findStart(b.subarray(0, body + dataLen + 1), body) >= 0) return 'truncated';
      return dcsOk ? 'badFormat' : 'badChecksum';
    }
    if (dataLen === 1) {
      // LEN 1 carries no TFI: only the application-level error frame `7F` has it (§2.3).
      if (extended || b[body] !== 0x7f) return 'badFormat';
      out.push({ kind: 'error' });
      return total;
    }
    out.push({ kind: 'info', tfi: b[body]!, data: b.slice(body + 1, body + dataLen), extended });
    return total;
  }
}

/** Index of the next start code `00 FF` at or after `from`, or -1. */
function findStart(b: Uint8Array, from: number): number {
  for (let j = b.indexOf(0xff, from + 1); j >= 0; j = b.indexOf(0xff, j + 1)) {
    if (b[j - 1] === 0x00) return j - 1;
  }
  return -1;
}

function countNonZero(b: Uint8Array, from: number, to: number): number {
  let c = 0;
  for (let k = from; k < to; k++) if (b[k] !== 0) c++;
  return c;
}
