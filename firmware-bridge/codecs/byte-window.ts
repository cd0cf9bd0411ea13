// Fixed-capacity byte FIFO behind every streaming decoder. It never grows: a decoder writes
// what fits, parses, drops what it decided on, and writes the rest (STYLE: bounded buffers,
// garbage on a serial line must not cost memory).

export class ByteWindow {
  private readonly buf: Uint8Array;
  private head = 0;
  private tail = 0;

  constructor(readonly capacity: number) {
    this.buf = new Uint8Array(capacity);
  }

  get length(): number {
    return this.tail - this.head;
  }

  /** Copies as much of `src[from..]` as fits and returns how many bytes were taken. */
  fill(src: Uint8Array, from: number): number {
    if (this.head > 0) {
      this.buf.copyWithin(0, this.head, this.tail);
      this.tail -= this.head;
      this.head = 0;
    }
    const n = Math.min(this.capacity - this.tail, src.length - from);
    if (n > 0) this.buf.set(src.subarray(from, from + n), this.tail);
    this.tail += Math.max(n, 0);
    return Math.max(n, 0);
  }

  /** The buffered bytes as a view; valid until the next `fill`. */
  bytes(): Uint8Array {
    return this.buf.subarray(this.head, this.tail);
  }

  drop(n: number): void {
    this.head = Math.min(this.head + n, this.tail);
    if (this.head === this.tail) this.head = this.tail = 0;
  }

  clear(): void {
    this.head = this.tail = 0;
  }
}
