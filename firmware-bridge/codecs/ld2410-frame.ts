// Streaming decoder for everything an LD2410 UART carries (protocols.md §4.2, §4.3): report
// frames (`F4 F3 F2 F1` … `F8 F7 F6 F5`) and command / ACK frames (`FD FC FB FA` …
// `04 03 02 01`), interleaved in any way. Re-synchronises only on a full 4-byte header:
// distances can contain `F4` or `FD` (244 cm → `F4 00`), §4.2 parser pitfalls.
import { ByteWindow } from './byte-window.ts';
import { indexOfBytes } from './bytes.ts';
import { emptyStats, feed, type DecoderStats, type RejectReason } from './decoder-stats.ts';
import { LD2410_COMMAND_FOOTER, LD2410_COMMAND_HEADER, decodeLd2410CommandData, type Ld2410Ack, type Ld2410CommandFrame } from './ld2410-command.ts';
import { LD2410_REPORT_FOOTER, LD2410_REPORT_HEADER, decodeLd2410ReportData, type Ld2410Report } from './ld2410-report.ts';

/** Longest intra-frame data accepted: engineering report 35, read-parameters ACK 28 (§4.2, §4.3). */
export const LD2410_MAX_DATA = 64;
const MAX_FRAME = 4 + 2 + LD2410_MAX_DATA + 4;

export type Ld2410Item = Ld2410Report | Ld2410Ack | Ld2410CommandFrame;

export interface Ld2410Stats extends DecoderStats {
  /** Reports with a value outside the documented range (state > 3, energy > 100). */
  badValue: number;
}

export class Ld2410Decoder {
  private readonly win = new ByteWindow(MAX_FRAME * 2);
  private readonly s: Ld2410Stats = { ...emptyStats(), badValue: 0 };

  push(chunk: Uint8Array): Ld2410Item[] {
    const out: Ld2410Item[] = [];
    feed(
      this.win,
      chunk,
      () => this.parse(out),
      (n) => (this.s.garbageBytes += n),
    );
    return out;
  }

  /**
   * The line went quiet (idle-gap.ts): a pending partial frame is dropped (counted as
   * `idleResets`), so a header cut short cannot swallow the start of the next report.
   */
  idle(): void {
    const b = this.win.bytes();
    if (headerAt(b, 0) !== null) this.s.idleResets++;
    this.s.garbageBytes += b.length;
    this.win.clear();
  }

  /** Drops a pending partial frame (counted as truncated). */
  flush(): void {
    const b = this.win.bytes();
    if (headerAt(b, 0) !== null) this.s.truncated++;
    this.s.garbageBytes += b.length;
    this.win.clear();
  }

  stats(): Ld2410Stats {
    return { ...this.s };
  }

  private parse(out: Ld2410Item[]): void {
    const b = this.win.bytes();
    const n = b.length;
    let pos = 0;
    while (pos < n) {
      const i = findHeader(b, pos);
      if (i < 0) {
        // Keep up to 3 trailing bytes: they may begin a header.
        const keep = Math.max(pos, n - 3);
        this.s.garbageBytes += keep - pos;
        pos = keep;
        break;
      }
      this.s.garbageBytes += i - pos;
      pos = i;
      const r = this.frameAt(b, i, out);
      if (r === 'wait') break;
      if (typeof r === 'number') {
        this.s.frames++;
        pos = i + r;
        continue;
      }
      this.s[r]++;
      this.s.garbageBytes++;
      pos = i + 1;
    }
    this.win.drop(pos);
  }

  private frameAt(b: Uint8Array, i: number, out: Ld2410Item[]): number | RejectReason | 'badValue' | 'wait' {
    const report = headerAt(b, i) === 'report';
    const n = b.length - i;
    if (n < 6) return 'wait';
    const len = b[i + 4]! | (b[i + 5]! << 8);
    if (len > LD2410_MAX_DATA) return 'oversized';
    // Judge the fixed report bytes early, so a bogus length cannot hold back the stream.
    if (report && n > 6 && b[i + 6] !== 0x01 && b[i + 6] !== 0x02) return 'badFormat';
    if (report && n > 7 && b[i + 7] !== 0xaa) return 'badFormat';
    const total = 6 + len + 4;
    if (n < total) return 'wait';
    const footer = report ? LD2410_REPORT_FOOTER : LD2410_COMMAND_FOOTER;
    if (indexOfBytes(b.subarray(i + 6 + len, i + total), footer) !== 0) {
      return findHeader(b.subarray(0, i + total), i + 4) >= 0 ? 'truncated' : 'badFormat';
    }
    const data = b.subarray(i + 6, i + 6 + len);
    const item = report ? decodeLd2410ReportData(data) : decodeLd2410CommandData(data);
    if (typeof item === 'string') return item;
    out.push(item);
    return total;
  }
}

function headerAt(b: Uint8Array, i: number): 'report' | 'command' | null {
  if (b.length - i < 4) return null;
  const h = b[i] === 0xf4 ? LD2410_REPORT_HEADER : b[i] === 0xfd ? LD2410_COMMAND_HEADER : null;
  if (h === null || b[i + 1] !== h[1] || b[i + 2] !== h[2] || b[i + 3] !== h[3]) return null;
  return h === LD2410_REPORT_HEADER ? 'report' : 'command';
}

/** Index of the next complete 4-byte header at or after `from`, or -1. */
function findHeader(b: Uint8Array, from: number): number {
  for (let i = from; i + 4 <= b.length; i++) {
    const c = b[i];
    if ((c === 0xf4 || c === 0xfd) && headerAt(b, i) !== null) return i;
  }
  return -1;
}
