// The size check before parsing: aedes has no maximum packet size (its parser buffers a packet
// of any announced length, up to 256 MB, before it looks at it; aedes issue #831). This follows
// the packet boundaries in the bytes aedes reads (runtime/packet-size.ts) and, as soon as a
// header announces a packet larger than `maxBytes` (whole packet: header included) or a
// remaining length longer than 4 bytes, destroys the connection and hands aedes nothing more:
// the oversized body is never buffered.
// Wraps read() like wholeReads (aedes reads with read(null) per 'readable'); apply it outside.
import type { Duplex } from 'node:stream';
import { PacketSizeScanner } from '../../runtime/packet-size.ts';

export interface PacketLimitOptions {
  maxBytes: number;
  /** Called once, when the connection is dropped; `announced` is the packet's total size (NaN: malformed length). */
  onOversize: (announced: number) => void;
}

export function limitPackets<S extends Duplex>(stream: S, opts: PacketLimitOptions): S {
  const readInner = stream.read.bind(stream) as (size?: number) => Buffer | string | null;
  const scanner = new PacketSizeScanner(opts.maxBytes);
  let refused = false;
  stream.read = (size?: number): unknown => {
    if (refused) return null;
    const chunk = readInner(size);
    if (chunk === null) return chunk;
    const over = scanner.scan(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    if (over === 0) return chunk;
    refused = true;
    stream.destroy();
    opts.onOversize(over);
    return null;
  };
  return stream;
}
