// Follows MQTT packet boundaries through a byte stream (the fixed header's type byte and
// remaining length, MQTT 3.1.1 §2.2) and tells, as soon as a header announces it, a packet
// larger than `maxBytes` (whole packet: header included) or a remaining length longer than
// 4 bytes: the check before parsing, shared by the broker (services/broker/packet-limit.ts)
// and every client link (runtime/mqtt-link.ts). It only counts; it never holds a byte.
export class PacketSizeScanner {
  readonly maxBytes: number;
  // Skipping `body` bytes of the current packet, or reading a header (`lengthBytes` of its
  // remaining length read so far, -1: the type byte is next).
  #body = 0;
  #lengthBytes = -1;
  #length = 0;

  constructor(maxBytes: number) {
    this.maxBytes = maxBytes;
  }

  /**
   * Feeds the next bytes of the stream. Returns 0 while every packet fits, else the first
   * oversized packet's announced total size (NaN: a malformed remaining length); after that the
   * stream should be dropped (the scanner's position is no longer meaningful).
   */
  scan(buf: Uint8Array): number {
    let i = 0;
    while (i < buf.length) {
      if (this.#body > 0) {
        const n = Math.min(this.#body, buf.length - i);
        this.#body -= n;
        i += n;
      } else if (this.#lengthBytes < 0) {
        this.#lengthBytes = 0;
        this.#length = 0;
        i++;
      } else {
        const b = buf[i++]!;
        this.#length += (b & 0x7f) * 128 ** this.#lengthBytes;
        this.#lengthBytes++;
        const done = (b & 0x80) === 0;
        if (!done && this.#lengthBytes === 4) return Number.NaN;
        if (!done) continue;
        const total = 1 + this.#lengthBytes + this.#length;
        if (total > this.maxBytes) return total;
        this.#body = this.#length;
        this.#lengthBytes = -1;
      }
    }
    return 0;
  }
}
