// One OSDP line (RS-485, half duplex) seen from the CP (protocols.md §5.1, §5.3): one decoder,
// the sessions of every PD address on it (multi-drop), at most one command outstanding. The
// caller feeds received bytes and clock ticks and writes whatever comes back; it owns the port
// and the timer (a gateway driver, or a test over a PTY).
import type { OsdpEvent, OsdpPdStats } from './osdp-events.ts';
import { OsdpDecoder, type OsdpDecoderStats } from './osdp-packet.ts';
import { OsdpPdSession, type OsdpPdOptions } from './osdp-session.ts';

export interface OsdpBusOptions {
  /** Line speed: the reply timeout grows with the time the bytes take on the wire. Default 9600. */
  baud?: number;
  /** Reply timeout on top of the transmit time. Default 200 (libosdp's). */
  replyTimeoutMs?: number;
}

export interface OsdpBusStep {
  /** Bytes to write to the line, in order. */
  send: Uint8Array[];
  events: OsdpEvent[];
}

export interface OsdpBusStats {
  /** Packets on the line that were not a reply to the command in flight (echo, other CP, late). */
  ignored: number;
  frames: OsdpDecoderStats;
  pds: Record<number, OsdpPdStats>;
}

/**
 * One RS-485 line with one or more PDs (multi-drop). At most one command is outstanding; the
 * sessions take turns in address order. Call `receive` with line bytes and `tick` often enough
 * (every 10–20 ms) for polls and timeouts.
 */
export class OsdpCpBus {
  private readonly sessions: OsdpPdSession[] = [];
  private readonly decoder = new OsdpDecoder();
  private readonly baud: number;
  private readonly replyTimeoutMs: number;
  private current: { s: OsdpPdSession; deadline: number } | null = null;
  private turn = 0;
  private ignored = 0;

  constructor(opts: OsdpBusOptions = {}) {
    this.baud = opts.baud ?? 9600;
    this.replyTimeoutMs = opts.replyTimeoutMs ?? 200;
  }

  add(pd: OsdpPdOptions): OsdpPdSession {
    if (this.sessions.some((s) => s.address === pd.address)) throw new RangeError(`OSDP address ${pd.address} is already on this bus`);
    const s = new OsdpPdSession(pd);
    this.sessions.push(s);
    return s;
  }

  session(address: number): OsdpPdSession | undefined {
    return this.sessions.find((s) => s.address === address);
  }

  receive(bytes: Uint8Array, nowMs: number): OsdpBusStep {
    const step: OsdpBusStep = { send: [], events: [] };
    for (const pkt of this.decoder.push(bytes)) {
      const cur = this.current;
      if (!cur || !pkt.reply || pkt.address !== cur.s.address) {
        this.ignored++; // our own echo on a 2-wire adapter, or a stray/late packet
        continue;
      }
      this.current = null;
      cur.s.onReply(pkt, nowMs, step.events);
      // A reply with the wrong SQN leaves the command in flight; keep its deadline.
      if (cur.s.awaitingReply) this.current = cur;
    }
    this.pump(nowMs, step);
    return step;
  }

  tick(nowMs: number): OsdpBusStep {
    const step: OsdpBusStep = { send: [], events: [] };
    const cur = this.current;
    if (cur && nowMs >= cur.deadline) {
      this.current = null;
      this.decoder.flush();
      cur.s.onTimeout(nowMs, step.events);
    }
    this.pump(nowMs, step);
    return step;
  }

  stats(): OsdpBusStats {
    const pds: Record<number, OsdpPdStats> = {};
    for (const s of this.sessions) pds[s.address] = s.stats();
    return { ignored: this.ignored, frames: this.decoder.stats(), pds };
  }

  private pump(nowMs: number, step: OsdpBusStep): void {
    if (this.current) return;
    const n = this.sessions.length;
    for (let k = 0; k < n; k++) {
      const s = this.sessions[(this.turn + k) % n]!;
      const frame = s.next(nowMs, step.events);
      if (!frame) continue;
      this.turn = (this.turn + k + 1) % n;
      // Transmit time of the command plus a maximal reply (10 bits per byte), then the timeout.
      const wireMs = ((frame.length + 64) * 10 * 1000) / this.baud;
      this.current = { s, deadline: nowMs + wireMs + this.replyTimeoutMs };
      step.send.push(frame);
      return;
    }
  }
}
