// aedes reads a connection with one read() per 'readable' event. Up to Node 24 a read() without a
// size returns everything buffered; from Node 26 it returns a single chunk (a TCP segment, one
// WebSocket message, one in-memory write) and the rest waits with no new event: a CONNECT split
// over two chunks never completed (seen on Node 26.10 over WebSocket and in memory; on TCP the
// same happens whenever two segments are buffered). Every stream handed to aedes goes through
// this, so a read() without a size drains the buffer as before.
import type { Duplex } from 'node:stream';

export function wholeReads<S extends Duplex>(stream: S): S {
  const readOne = stream.read.bind(stream) as (size?: number) => Buffer | string | null;
  stream.read = (size?: number): unknown => {
    if (size !== undefined && size !== null) return readOne(size);
    const first = readOne();
    if (first === null || typeof first === 'string') return first;
    const chunks: Buffer[] = [first];
    for (let c = readOne(); c !== null; c = readOne()) chunks.push(typeof c === 'string' ? Buffer.from(c) : c);
    return chunks.length === 1 ? first : Buffer.concat(chunks);
  };
  return stream;
}
