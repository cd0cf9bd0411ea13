// The size check before parsing: aedes has no maximum packet size (its parser buffers a packet
// of any announced length, up to 256 MB, before it looks at it; aedes issue #831). This follows
// the packet boundaries in the bytes aedes reads (the fixed header's type byte and remaining
// length, MQTT 3.1.1 §2.2) and, as soon as a header announces a packet larger than `maxBytes`
// (whole packet: header included) or a remaining length longer than 4 bytes, destroys the
// connection and hands aedes nothing more: the oversized body is never buffered.
// Wraps read() like wholeReads (aedes reads with read(null) per 'readable'); apply it outside.
import type { Duplex } from 'node:stream';

export interface PacketLimitOptions {
  maxBytes: number;
  /** Called once, when the connection is dropped; `announced` is the packet's total size (NaN: malformed length). */
  onOversize: (announced: number) => void;
}

export function limitPackets<S extends Duplex>(stream: S, opts: PacketLimitOptions): S {
  const readInner = stream.read.bind(stream) as (size?: number) => Buffer | string | null;
  // The scan's position: skipping `body` bytes of the current packet, or reading a header
  // (`lengthBytes` of its remaining length read so far, -1: the type byte is next).
  let body = 0;
  let lengthBytes = -1;
  let length = 0;
  let refused = false;
  const refuse = (announced: number): null => {
    refused = true;
    stream.destroy();
    opts.onOversize(announced);
    return null;
  };
  stream.read = (size?: number): unknown => {
    if (refused) return null;
    const chunk = readInner(size);
    if (chunk === null) return chunk;
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let i = 0;
    while (i < buf.length) {
      if (body > 0) {
        const n = Math.min(body, buf.length - i);
        body -= n;
        i += n;
      } else if (lengthBytes < 0) {
        lengthBytes = 0;
        length = 0;
        i++;
      } else {
        const b = buf[i++]!;
        length += (b & 0x7f) * 128 ** lengthBytes;
        lengthBytes++;
        const done = (b & 0x80) === 0;
        if (!done && lengthBytes === 4) return refuse(Number.NaN);
        if (!done) continue;
        const total = 1 + lengthBytes + length;
        if (total > opts.maxBytes) return refuse(total);
        body = length;
        lengthBytes = -1;
      }
    }
    return chunk;
  };
  return stream;
}
