// The disk spool: where history points wait while the store is down (or too slow), to be
// written back in order when it returns. Append-only segment files of JSON lines, one line per
// batch; a cursor file records how far the backfill got. A torn last line (power cut in the
// middle of an append) is skipped. Beyond `maxBytes` the oldest segment is dropped and counted:
// a full SD card would stop everything else too.
import {
  appendFileSync,
  closeSync,
  existsSync,
  fdatasyncSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { ensurePrivateDir, PRIVATE_FILE_MODE, tightenIfExists } from '../../runtime/private-files.ts';
import { MEASUREMENTS, type Measurement, type Point } from './point.ts';

export interface SpoolOptions {
  dir: string;
  maxBytes: number;
  /** A segment is closed and a new one started past this size. */
  segmentBytes?: number;
}

type Packed = [Measurement, Record<string, string>, Point['fields'], number, number];

const pack = (p: Point): Packed => [p.measurement, p.tags, p.fields, p.ts, p.ns];
const unpack = (x: Packed): Point => ({ measurement: x[0], tags: x[1], fields: x[2], ts: x[3], ns: x[4] });
const SEGMENT_RE = /^(\d{10})\.jsonl$/;
const segName = (n: number) => `${String(n).padStart(10, '0')}.jsonl`;

export interface SpoolChunk {
  points: Point[];
  /** Marks the chunk written: the cursor moves past it. */
  ack(): void;
}

export class Spool {
  readonly #dir: string;
  readonly #maxBytes: number;
  readonly #segmentBytes: number;
  /** Segment numbers, oldest first. */
  #segments: number[] = [];
  #cursor = { seg: 0, offset: 0 };
  #pending: { line: string; end: number }[] = [];
  #depth = 0;
  #dropped = 0;
  #torn = 0;
  /** A segment appends must not go to (torn at its end). */
  #sealed = -1;

  constructor(opts: SpoolOptions) {
    this.#dir = opts.dir;
    this.#maxBytes = opts.maxBytes;
    this.#segmentBytes = opts.segmentBytes ?? Math.max(64 * 1024, Math.min(16 * 1024 * 1024, Math.floor(opts.maxBytes / 8)));
    ensurePrivateDir(this.#dir);
    const files = readdirSync(this.#dir);
    for (const f of files) tightenIfExists(join(this.#dir, f));
    this.#segments = files
      .map((f) => SEGMENT_RE.exec(f))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b);
    const cursorFile = join(this.#dir, 'cursor.json');
    if (existsSync(cursorFile)) {
      try {
        const c = JSON.parse(readFileSync(cursorFile, 'utf8')) as { seg: number; offset: number };
        if (Number.isInteger(c.seg) && Number.isInteger(c.offset)) this.#cursor = c;
      } catch {
        /* a torn cursor: start from the oldest segment (rewrites are idempotent) */
      }
    }
    this.#segments = this.#segments.filter((s) => s >= this.#cursor.seg);
    if (this.#segments[0] !== this.#cursor.seg) this.#cursor = { seg: this.#segments[0] ?? 0, offset: 0 };
    this.#depth = this.#countPending();
    // A newest segment that does not end in a newline was torn by a crash: append elsewhere,
    // or the next line would be glued to the fragment.
    const last = this.#segments.at(-1);
    if (last !== undefined && this.#size(last) > 0 && !this.#endsWithNewline(last)) this.#sealed = last;
  }

  #endsWithNewline(seg: number): boolean {
    const fd = openSync(join(this.#dir, segName(seg)), 'r');
    try {
      const b = Buffer.alloc(1);
      readSync(fd, b, 0, 1, this.#size(seg) - 1);
      return b[0] === 0x0a;
    } finally {
      closeSync(fd);
    }
  }

  /** Points waiting. */
  get depth(): number {
    return this.#depth;
  }

  /** Points dropped because the spool was full, and torn lines skipped, since start. */
  get losses(): { dropped: number; torn: number } {
    return { dropped: this.#dropped, torn: this.#torn };
  }

  /** Appends a batch (one line) and syncs it to disk. */
  append(points: readonly Point[]): void {
    if (points.length === 0) return;
    const line = `${JSON.stringify(points.map(pack))}\n`;
    let seg = this.#segments.at(-1);
    if (seg === undefined || seg === this.#sealed || this.#size(seg) + line.length > this.#segmentBytes) {
      seg = (seg ?? this.#cursor.seg) + 1;
      if (this.#segments.length === 0) this.#cursor = { seg, offset: 0 };
      this.#segments.push(seg);
    }
    const fd = openSync(join(this.#dir, segName(seg)), 'a', PRIVATE_FILE_MODE);
    try {
      appendFileSync(fd, line);
      fdatasyncSync(fd);
    } finally {
      closeSync(fd);
    }
    this.#depth += points.length;
    this.#enforceLimit();
  }

  /** The oldest batch not yet written, or null when the spool is empty. */
  peek(): SpoolChunk | null {
    for (;;) {
      if (this.#pending.length === 0 && !this.#readMore()) return null;
      const next = this.#pending[0];
      if (!next) continue;
      let points: Point[];
      try {
        points = (JSON.parse(next.line) as Packed[]).map(unpack);
        if (!points.every((p) => MEASUREMENTS.includes(p.measurement))) throw new Error('unknown measurement');
      } catch {
        this.#torn++;
        this.#advance(next.end);
        continue;
      }
      return {
        points,
        ack: () => {
          if (this.#pending[0] !== next) return;
          this.#depth = Math.max(0, this.#depth - points.length);
          this.#advance(next.end);
        },
      };
    }
  }

  #advance(end: number): void {
    this.#pending.shift();
    this.#cursor.offset = end;
    this.#saveCursor();
  }

  /** Loads complete lines after the cursor; moves past segments that are finished. */
  #readMore(): boolean {
    for (;;) {
      if (this.#segments.length === 0) return false;
      if (!this.#segments.includes(this.#cursor.seg)) this.#cursor = { seg: this.#segments[0]!, offset: 0 };
      const seg = this.#cursor.seg;
      const newest = seg === this.#segments.at(-1);
      const size = this.#size(seg);
      if (size > this.#cursor.offset) {
        const buf = Buffer.alloc(size - this.#cursor.offset);
        const fd = openSync(join(this.#dir, segName(seg)), 'r');
        try {
          readSync(fd, buf, 0, buf.length, this.#cursor.offset);
        } finally {
          closeSync(fd);
        }
        const lastNl = buf.lastIndexOf(0x0a);
        if (lastNl >= 0) {
          let pos = this.#cursor.offset;
          for (const line of buf.subarray(0, lastNl).toString('utf8').split('\n')) {
            pos += Buffer.byteLength(line) + 1;
            this.#pending.push({ line, end: pos });
          }
          return true;
        }
        // A partial line: torn by a crash (appends write whole lines). Nothing to do in the
        // newest segment (appends go to a fresh one, see the constructor); skip it elsewhere.
        if (newest) return false;
        this.#torn++;
      } else if (newest) {
        return false;
      }
      this.#removeSegment(seg);
      this.#cursor = { seg: this.#segments[0] ?? seg + 1, offset: 0 };
      this.#saveCursor();
    }
  }

  #removeSegment(seg: number): void {
    this.#segments = this.#segments.filter((s) => s !== seg);
    try {
      unlinkSync(join(this.#dir, segName(seg)));
    } catch {
      /* already gone */
    }
  }

  #enforceLimit(): void {
    let total = this.#segments.reduce((n, s) => n + this.#size(s), 0);
    while (total > this.#maxBytes && this.#segments.length > 1) {
      const oldest = this.#segments[0]!;
      const lost = this.#countSegment(oldest, oldest === this.#cursor.seg ? this.#cursor.offset : 0);
      total -= this.#size(oldest);
      this.#removeSegment(oldest);
      this.#dropped += lost;
      this.#depth = Math.max(0, this.#depth - lost);
      if (oldest === this.#cursor.seg) {
        this.#pending = [];
        this.#cursor = { seg: this.#segments[0]!, offset: 0 };
        this.#saveCursor();
      }
    }
  }

  #countPending(): number {
    return this.#segments.reduce((n, s) => n + this.#countSegment(s, s === this.#cursor.seg ? this.#cursor.offset : 0), 0);
  }

  #countSegment(seg: number, from: number): number {
    let n = 0;
    const path = join(this.#dir, segName(seg));
    if (!existsSync(path)) return 0;
    const text = readFileSync(path).subarray(from).toString('utf8');
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        n += (JSON.parse(line) as unknown[]).length;
      } catch {
        /* torn */
      }
    }
    return n;
  }

  #size(seg: number): number {
    try {
      return statSync(join(this.#dir, segName(seg))).size;
    } catch {
      return 0;
    }
  }

  #saveCursor(): void {
    const tmp = join(this.#dir, 'cursor.json.tmp');
    writeFileSync(tmp, JSON.stringify(this.#cursor), { mode: PRIVATE_FILE_MODE });
    renameSync(tmp, join(this.#dir, 'cursor.json'));
  }
}
