// Plays a PN532 on the far end of a socat PTY: whatever the gateway writes goes into
// firmware-bridge's emulator, whatever the emulator answers is written back. With `baud`, each
// answer is held back for the time the command and the answer take on a real wire at that
// speed (10 bits per byte, 8N1), so latencies measured through it include the frame times.
import type { Pn532Sim } from '../../../firmware-bridge/index.ts';
import type { PtyPair } from './pty.ts';

export interface Pn532Pump {
  stop(): void;
}

/** Wire time of `bytes` bytes at `baud` (8N1: 10 bits each), in ms. */
export const wireMs = (bytes: number, baud: number): number => (bytes * 10 * 1000) / baud;

export function pumpPn532(pty: PtyPair, sim: Pn532Sim, opts: { baud?: number; everyMs?: number } = {}): Pn532Pump {
  const timers = new Set<NodeJS.Timeout>();
  const poll = setInterval(() => {
    if (!pty.alive) return;
    const sent = pty.readBack();
    if (sent.length === 0) return;
    const reply = sim.receive(sent);
    if (reply.length === 0) return;
    if (opts.baud === undefined) {
      pty.write(reply);
      return;
    }
    const t = setTimeout(
      () => {
        timers.delete(t);
        if (pty.alive) pty.write(reply);
      },
      wireMs(sent.length + reply.length, opts.baud),
    );
    timers.add(t);
  }, opts.everyMs ?? 2);
  return {
    stop() {
      clearInterval(poll);
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}
