// The CP's link to one OSDP PD as a pure state machine (protocols.md §5.3–§5.7): sequence
// numbers, ID/CAP on start, the Secure Channel handshake, the POLL loop, commands in, events
// out. `OsdpCpBus` (osdp-cp-bus.ts) owns the line and asks each session for its next packet;
// nothing here owns a port or a timer, and no key ever goes into an event or a message.
import { randomBytes } from 'node:crypto';
import { toHex } from './bytes.ts';
import {
  OsdpCapFn,
  OsdpCmd,
  decodeOsdpReply,
  encodeBuz,
  encodeComset,
  encodeIdRequest,
  encodeKeyset,
  encodeLed,
  encodeOut,
  osdpNakReason,
  type OsdpBuzzer,
  type OsdpCapability,
  type OsdpComSettings,
  type OsdpLedRecord,
  type OsdpOutputRecord,
  type OsdpPdId,
  type OsdpReplyMsg,
} from './osdp-messages.ts';
import { encodeOsdpPacket, type DecodedOsdpPacket } from './osdp-packet.ts';
import {
  OSDP_SCBK_D,
  OsdpScChain,
  type OsdpSessionKeys,
  deriveOsdpSessionKeys,
  osdpClientCryptogram,
  osdpRmacI,
  osdpServerCryptogram,
  osdpWeakKeyReason,
  sameBytes,
} from './osdp-sc.ts';
import { decodeWiegand } from './wiegand.ts';
import type { OsdpEvent, OsdpFaultReason, OsdpPdStats } from './osdp-events.ts';
export interface OsdpPdOptions {
  /** PD address 0..126. */
  address: number;
  /**
   * The site's Secure Channel base key for this PD. With it the session only talks to the PD
   * inside a Secure Channel (see `secureRequired`). Weak keys are refused (osdpWeakKeyReason).
   */
  scbk?: Uint8Array | null;
  /**
   * Install mode: open the Secure Channel with the published SCBK-D. With `scbk` set as well the
   * session enrols the PD at once (KEYSET to `scbk`, then a new session with it) and leaves
   * install mode; without `scbk` it stays on SCBK-D and says so with an `install-mode` warning.
   */
  installMode?: boolean;
  /**
   * Refuse a PD that offers no Secure Channel or refuses the handshake, instead of talking in
   * plain text. Default: true whenever `scbk` or `installMode` is set.
   */
  secureRequired?: boolean;
  /** CRC-16 (default) or checksum; a NAK 01 switches to checksum. */
  crc?: boolean;
  /** Send the `FF` mark byte before each packet. Default false. */
  mark?: boolean;
  /** Pause between the end of an exchange and the next POLL. Default 50 (libosdp's). */
  pollIntervalMs?: number;
  /** Consecutive missing replies before the PD is reported offline. Default 4. */
  offlineAfter?: number;
  /** After offline, start over (SQN 0, ID, CAP…) this much later. Default 1000. */
  restartDelayMs?: number;
  /** After a Secure Channel fault (wrong key, refused, no SC), try again this much later. Default 30000. */
  faultRetryMs?: number;
  /** Source of RND.A; node:crypto by default (tests pass a fixed one). */
  random?: (n: number) => Uint8Array;
}

/** Re-handshakes after the PD drops the session, before it is a fault (a MAC that never fits). */
const MAX_SC_DROPS = 3;
/** Commands waiting for the link, per PD. */
const MAX_QUEUE = 32;

type Phase = 'id' | 'cap' | 'chlng' | 'scrypt' | 'online' | 'waiting';

interface Pending {
  code: number;
  data: Uint8Array;
  /** A user command (reported with a `command` event); POLL and the start-up are not. */
  user: boolean;
  /** The key a KEYSET installs, kept only until its ACK. */
  key?: Uint8Array;
}

interface InFlight extends Pending {
  sqn: number;
  frame: Uint8Array;
}

/** The link to one PD. Used through `OsdpCpBus`, which owns the line. */
export class OsdpPdSession {
  address: number;
  private readonly o: Required<Omit<OsdpPdOptions, 'scbk' | 'address' | 'installMode'>>;
  private scbk: Uint8Array | null;
  private installMode: boolean;
  private crc: boolean;
  private phase: Phase = 'id';
  private sqn = 0;
  private resumeAt = 0;
  private pollAt = 0;
  private misses = 0;
  private online = false;
  private reportedOffline = false;
  private readonly queue: Pending[] = [];
  private inFlight: InFlight | null = null;
  private busyRetry: InFlight | null = null;
  private id: OsdpPdId | null = null;
  private caps: OsdpCapability[] = [];
  private chain: OsdpScChain | null = null;
  private hs: { rndA: Uint8Array; keyD: boolean; keys: OsdpSessionKeys; server?: Uint8Array } | null = null;
  private readonly st: OsdpPdStats = { commands: 0, timeouts: 0, naks: 0, badReplies: 0, macErrors: 0, handshakes: 0, dropped: 0 };

  constructor(opts: OsdpPdOptions) {
    if (!Number.isInteger(opts.address) || opts.address < 0 || opts.address > 126) {
      throw new RangeError(`OSDP address must be 0..126, got ${opts.address}`);
    }
    if (opts.scbk) {
      const weak = osdpWeakKeyReason(opts.scbk);
      if (weak) throw new RangeError(`OSDP key for address ${opts.address} is weak: ${weak}`);
    }
    this.address = opts.address;
    this.scbk = opts.scbk ? opts.scbk.slice() : null;
    this.installMode = opts.installMode ?? false;
    this.o = {
      secureRequired: opts.secureRequired ?? (this.scbk !== null || this.installMode),
      crc: opts.crc ?? true,
      mark: opts.mark ?? false,
      pollIntervalMs: opts.pollIntervalMs ?? 50,
      offlineAfter: opts.offlineAfter ?? 4,
      restartDelayMs: opts.restartDelayMs ?? 1000,
      faultRetryMs: opts.faultRetryMs ?? 30_000,
      random: opts.random ?? ((n) => new Uint8Array(randomBytes(n))),
    };
    this.crc = this.o.crc;
  }

  get isOnline(): boolean {
    return this.online;
  }

  get isSecure(): boolean {
    return this.chain !== null;
  }

  /** A command is out and its reply (or timeout) is awaited. */
  get awaitingReply(): boolean {
    return this.inFlight !== null;
  }

  stats(): OsdpPdStats {
    return { ...this.st };
  }

  // ---- commands in -----------------------------------------------------------------------

  led(records: OsdpLedRecord[]): void {
    this.enqueue(OsdpCmd.LED, encodeLed(records));
  }
  buzzer(b: OsdpBuzzer): void {
    this.enqueue(OsdpCmd.BUZ, encodeBuz(b));
  }
  output(records: OsdpOutputRecord[]): void {
    this.enqueue(OsdpCmd.OUT, encodeOut(records));
  }
  comset(settings: OsdpComSettings): void {
    this.enqueue(OsdpCmd.COMSET, encodeComset(settings));
  }
  requestStatus(which: 'local' | 'input' | 'output'): void {
    this.enqueue(which === 'local' ? OsdpCmd.LSTAT : which === 'input' ? OsdpCmd.ISTAT : OsdpCmd.OSTAT, new Uint8Array(0));
  }
  /**
   * Enrols the PD once: a new session on the install key SCBK-D, KEYSET to `key`, then a session
   * with `key`. Ends with an `enrol` event; on failure the session goes back to the key it had
   * (and its retry delay) unless the PD acknowledged the new one. Refuses weak keys.
   */
  enrol(key: Uint8Array): void {
    const weak = osdpWeakKeyReason(key);
    if (weak) throw new RangeError(`refusing to install a weak OSDP key: ${weak}`);
    if (this.enrolling) throw new Error(`an enrolment of OSDP address ${this.address} is already running`);
    this.enrolling = { scbk: this.scbk, installMode: this.installMode, secureRequired: this.o.secureRequired, keySent: false };
    this.scbk = key.slice();
    this.installMode = true;
    this.o.secureRequired = true;
    this.maybeKey = null;
    // Start over (ID, CAP, CHLNG on SCBK-D) as soon as nothing is in flight.
    this.phase = 'waiting';
    this.resumeAt = 0;
  }

  /** An enrolment is running (install mode for one attempt). */
  get isEnrolling(): boolean {
    return this.enrolling !== null;
  }

  /** Moves the PD to `key` (only inside a Secure Channel; refuses weak keys). */
  keyset(key: Uint8Array): void {
    const weak = osdpWeakKeyReason(key);
    if (weak) throw new RangeError(`refusing to install a weak OSDP key: ${weak}`);
    this.queue.push({ code: OsdpCmd.KEYSET, data: encodeKeyset(key), user: true, key: key.slice() });
    if (this.queue.length > MAX_QUEUE) {
      this.queue.shift();
      this.st.dropped++;
    }
  }

  private enqueue(code: number, data: Uint8Array): void {
    this.queue.push({ code, data, user: true });
    // Bounded: a reader that cannot keep up loses its oldest feedback, not the gateway's memory.
    if (this.queue.length > MAX_QUEUE) {
      this.queue.shift();
      this.st.dropped++;
    }
  }

  /** Commands queued for a link that just went down are stale (feedback for a past tap). */
  private dropQueued(nowMs: number, events: OsdpEvent[]): void {
    for (const p of this.queue.splice(0)) {
      if (!p.user) continue;
      this.st.dropped++;
      events.push({ type: 'command', address: this.address, command: p.code, ok: false, nak: 'offline', atMs: nowMs });
    }
  }

  // ---- driven by the bus -----------------------------------------------------------------

  /** The next packet to send now, or null (nothing due yet). */
  next(nowMs: number, events: OsdpEvent[]): Uint8Array | null {
    if (this.inFlight) return null;
    if (this.phase === 'waiting') {
      if (nowMs < this.resumeAt) return null;
      this.restart();
    }
    let p: Pending | null = null;
    if (this.busyRetry) {
      if (nowMs < this.pollAt) return null;
      const b = this.busyRetry;
      this.busyRetry = null;
      this.inFlight = b;
      return b.frame;
    }
    switch (this.phase) {
      case 'id':
        p = { code: OsdpCmd.ID, data: encodeIdRequest(), user: false };
        break;
      case 'cap':
        p = { code: OsdpCmd.CAP, data: encodeIdRequest(), user: false };
        break;
      case 'chlng': {
        const keyD = this.installMode || this.scbk === null;
        const rndA = this.o.random(8);
        this.hs = { rndA, keyD, keys: deriveOsdpSessionKeys(keyD ? OSDP_SCBK_D : this.scbk!, rndA) };
        this.chain = null;
        this.st.handshakes++;
        p = { code: OsdpCmd.CHLNG, data: rndA, user: false };
        break;
      }
      case 'scrypt':
        p = { code: OsdpCmd.SCRYPT, data: this.hs!.server!, user: false };
        break;
      case 'online':
        // A key never goes on the line in plain text: KEYSET waits for nothing outside SC.
        while (!this.chain && this.queue[0]?.code === OsdpCmd.KEYSET) {
          this.queue.shift();
          events.push({ type: 'command', address: this.address, command: OsdpCmd.KEYSET, ok: false, nak: 'no-secure-channel', atMs: nowMs });
        }
        if (this.queue.length > 0) p = this.queue.shift()!;
        else if (nowMs >= this.pollAt) p = { code: OsdpCmd.POLL, data: new Uint8Array(0), user: false };
        break;
    }
    if (!p) return null;
    if (p.code === OsdpCmd.KEYSET && this.enrolling) this.enrolling.keySent = true;
    const frame = this.build(p);
    this.inFlight = { ...p, sqn: this.sqn, frame };
    this.st.commands++;
    return frame;
  }

  /** A reply addressed to this PD arrived for the packet in flight. */
  onReply(pkt: DecodedOsdpPacket, nowMs: number, events: OsdpEvent[]): void {
    const f = this.inFlight;
    if (!f) return;
    const raw = decodeOsdpReply(pkt.code, pkt.data);
    if (raw.kind === 'busy') {
      this.inFlight = null;
      this.busyRetry = f;
      this.pollAt = nowMs + this.o.pollIntervalMs;
      return;
    }
    if (pkt.sqn !== f.sqn || pkt.address !== this.address) {
      this.st.badReplies++;
      return; // not the answer to this command: the timeout decides
    }
    this.inFlight = null;
    this.misses = 0;
    this.pollAt = nowMs + this.o.pollIntervalMs;
    this.sqn = this.sqn === 3 ? 1 : this.sqn + 1;
    this.replyScbKey = pkt.scb?.length === 3 ? pkt.scb[2]! : null;
    const msg = this.unwrap(pkt, f, nowMs, events);
    if (msg) this.handle(msg, f, nowMs, events);
  }

  /** No (valid) reply came for the packet in flight within the bus's timeout. */
  onTimeout(nowMs: number, events: OsdpEvent[]): void {
    const f = this.inFlight;
    if (!f) return;
    this.inFlight = null;
    this.st.timeouts++;
    this.misses++;
    if (this.misses >= this.o.offlineAfter) {
      if (f.user) this.queue.unshift(f); // reported with the rest of the queue
      this.goOffline(nowMs, events);
      return;
    }
    if (this.chain || this.phase === 'scrypt') {
      // libosdp keeps no reply cache: a repeat inside a session fails its MAC. Start a new
      // handshake with the same SQN and send the user command again inside it.
      if (f.code === OsdpCmd.KEYSET)
        this.maybeKey = f.key ?? null; // the PD may have taken it
      else if (f.user) this.queue.unshift(f);
      this.chain = null;
      this.phase = 'chlng';
      return;
    }
    this.busyRetry = f; // resend the same bytes, same SQN (§5.3)
    this.pollAt = nowMs;
  }

  // ---- internals -------------------------------------------------------------------------

  private restart(): void {
    this.phase = 'id';
    this.sqn = 0;
    this.chain = null;
    this.hs = null;
    this.busyRetry = null;
    this.misses = 0;
  }

  /** An enrolment ends in failure: back to the key (and mode) the session had before. */
  private enrolFailed(reason: OsdpFaultReason | 'offline', detail: string, nowMs: number, events: OsdpEvent[]): void {
    const e = this.enrolling;
    if (!e) return;
    this.enrolling = null;
    this.scbk = e.scbk;
    this.installMode = e.installMode;
    this.o.secureRequired = e.secureRequired;
    events.push({ type: 'enrol', address: this.address, ok: false, reason, detail, keySent: e.keySent, atMs: nowMs });
  }

  private goOffline(nowMs: number, events: OsdpEvent[]): void {
    this.enrolFailed('offline', 'the PD stopped answering', nowMs, events);
    if (this.online || !this.reportedOffline) events.push({ type: 'offline', address: this.address, atMs: nowMs });
    this.online = false;
    this.reportedOffline = true;
    this.chain = null;
    this.busyRetry = null;
    this.dropQueued(nowMs, events);
    this.phase = 'waiting';
    this.resumeAt = nowMs + this.o.restartDelayMs;
  }

  private fault(reason: OsdpFaultReason, detail: string, nowMs: number, events: OsdpEvent[], retryMs = this.o.faultRetryMs): void {
    if (this.enrolling) {
      this.enrolFailed(reason, detail, nowMs, events);
      // Back on its own key the PD may be fine: try it again soon, not after the fault delay.
      retryMs = this.o.restartDelayMs;
    }
    events.push({ type: 'fault', address: this.address, reason, detail, atMs: nowMs });
    if (this.online) events.push({ type: 'offline', address: this.address, atMs: nowMs });
    this.online = false;
    this.reportedOffline = true;
    this.chain = null;
    this.hs = null;
    this.scDrops = 0;
    this.dropQueued(nowMs, events);
    this.phase = 'waiting';
    this.resumeAt = nowMs + retryMs;
  }

  private build(p: Pending): Uint8Array {
    const base = { address: this.address, reply: false, sqn: this.sqn, crc: this.crc, mark: this.o.mark, code: p.code };
    const chain = this.chain;
    if (chain) {
      const enc = p.data.length > 0;
      const data = enc ? chain.encryptCommand(p.data) : p.data;
      return encodeOsdpPacket({ ...base, scb: Uint8Array.of(2, enc ? 0x17 : 0x15), data }, { mac: (input) => chain.macCommand(input) });
    }
    if (p.code === OsdpCmd.CHLNG || p.code === OsdpCmd.SCRYPT) {
      const scb = Uint8Array.of(3, p.code === OsdpCmd.CHLNG ? 0x11 : 0x13, this.hs!.keyD ? 0x00 : 0x01);
      return encodeOsdpPacket({ ...base, scb, data: p.data });
    }
    return encodeOsdpPacket({ ...base, scb: null, data: p.data });
  }

  /** Checks a reply's security against the session state; returns its (decrypted) message. */
  private unwrap(pkt: DecodedOsdpPacket, f: InFlight, nowMs: number, events: OsdpEvent[]): OsdpReplyMsg | null {
    const chain = this.chain;
    if (!chain) {
      const t = pkt.scb?.[1];
      const expect = f.code === OsdpCmd.CHLNG ? 0x12 : f.code === OsdpCmd.SCRYPT ? 0x14 : undefined;
      if (pkt.scb && t !== expect) {
        this.st.badReplies++;
        this.fault('bad-reply', `security block type ${t} to command ${f.code}`, nowMs, events, this.o.restartDelayMs);
        return null;
      }
      return decodeOsdpReply(pkt.code, pkt.data);
    }
    if (!pkt.scb || !pkt.mac) {
      // libosdp drops the session on a MAC or decryption error and says so in plain text.
      const msg = decodeOsdpReply(pkt.code, pkt.data);
      this.chain = null;
      this.st.macErrors++;
      if (msg.kind === 'nak' && ++this.scDrops < MAX_SC_DROPS) {
        this.st.naks++;
        if (f.user) this.queue.unshift(f);
        this.phase = 'chlng';
        return null;
      }
      if (msg.kind === 'nak') {
        this.fault('sc-mac', `the PD dropped the secure channel ${MAX_SC_DROPS} times in a row (NAK ${msg.reason})`, nowMs, events, this.o.restartDelayMs);
        return null;
      }
      this.fault('sc-mac', `plain-text reply ${pkt.code} inside the secure channel`, nowMs, events, this.o.restartDelayMs);
      return null;
    }
    const checkLen = pkt.crc ? 2 : 1;
    const input = pkt.frame.subarray(0, pkt.frame.length - checkLen - 4);
    if (!chain.verifyReply(input, pkt.mac)) {
      this.st.macErrors++;
      this.fault('sc-mac', `reply ${pkt.code} failed its MAC`, nowMs, events, this.o.restartDelayMs);
      return null;
    }
    let data = pkt.data;
    if (pkt.scb[1] === 0x18) {
      const d = chain.decryptReply(pkt.data);
      if (!d) {
        this.st.macErrors++;
        this.fault('sc-mac', `reply ${pkt.code} did not decrypt`, nowMs, events, this.o.restartDelayMs);
        return null;
      }
      data = d;
    } else if (pkt.scb[1] !== 0x16) {
      this.st.macErrors++;
      this.fault('sc-mac', `security block type ${pkt.scb[1]} inside the secure channel`, nowMs, events, this.o.restartDelayMs);
      return null;
    }
    const msg = decodeOsdpReply(pkt.code, data);
    if (msg.kind !== 'nak') this.scDrops = 0;
    return msg;
  }

  private handle(msg: OsdpReplyMsg, f: InFlight, nowMs: number, events: OsdpEvent[]): void {
    const a = this.address;
    if (msg.kind === 'nak') {
      this.st.naks++;
      this.onNak(msg.code, f, nowMs, events);
      return;
    }
    if (msg.kind === 'invalid') {
      this.st.badReplies++;
      if (f.user) events.push({ type: 'command', address: a, command: f.code, ok: false, nak: null, atMs: nowMs });
      return;
    }
    switch (this.phase) {
      case 'id':
        if (msg.kind !== 'pdid') return this.unexpected(msg, f, nowMs, events);
        this.id = msg.id;
        this.phase = 'cap';
        return;
      case 'cap': {
        if (msg.kind !== 'pdcap') return this.unexpected(msg, f, nowMs, events);
        this.caps = msg.caps;
        const sc = msg.caps.some((c) => c.fn === OsdpCapFn.COMMUNICATION_SECURITY && c.compliance >= 1);
        const wantSc = this.scbk !== null || this.installMode;
        if (wantSc && sc) {
          this.phase = 'chlng';
        } else if (this.o.secureRequired) {
          // No downgrade: a PD (or a line) that says "no SC" does not get a plain session.
          this.fault('sc-unsupported', 'the PD does not offer Secure Channel (PDCAP)', nowMs, events);
        } else {
          this.goOnline(nowMs, events);
        }
        return;
      }
      case 'chlng': {
        const hs = this.hs;
        if (msg.kind !== 'ccrypt' || !hs) return this.unexpected(msg, f, nowMs, events);
        // Reply SCB `03 12 kk`: the key the PD used. A PD still on SCBK-D answers 00.
        const pkKeyD = this.replyScbKey === 0x00;
        const verifies = (k: OsdpSessionKeys): boolean => sameBytes(osdpClientCryptogram(k, hs.rndA, msg.ccrypt.rndB), msg.ccrypt.cryptogram);
        const maybe = this.maybeKey;
        this.maybeKey = null;
        if (maybe && !pkKeyD) {
          // The ACK of a KEYSET was lost, but the PD may have taken the key: try it first.
          const keys = deriveOsdpSessionKeys(maybe, hs.rndA);
          if (verifies(keys)) {
            hs.keys = keys;
            hs.keyD = false;
            this.scbk = maybe;
            this.installMode = false;
            events.push({ type: 'key-changed', address: this.address, atMs: nowMs });
          }
        }
        if (pkKeyD !== hs.keyD) {
          this.fault(pkKeyD ? 'sc-default-key' : 'sc-wrong-key', pkKeyD ? 'the PD is on SCBK-D' : 'the PD refused SCBK-D', nowMs, events);
          return;
        }
        if (!verifies(hs.keys)) {
          this.fault('sc-wrong-key', 'client cryptogram does not verify with the configured key', nowMs, events);
          return;
        }
        hs.server = osdpServerCryptogram(hs.keys, hs.rndA, msg.ccrypt.rndB);
        this.phase = 'scrypt';
        return;
      }
      case 'scrypt': {
        const hs = this.hs;
        if (msg.kind !== 'rmac-i' || !hs?.server) return this.unexpected(msg, f, nowMs, events);
        const want = osdpRmacI(hs.keys, hs.server);
        if (!sameBytes(want, msg.rmac)) {
          this.fault('sc-wrong-key', 'RMAC-I does not verify', nowMs, events);
          return;
        }
        this.chain = new OsdpScChain(hs.keys, want);
        this.hs = null;
        if (this.enrolling && !hs.keyD) {
          const keySent = this.enrolling.keySent;
          this.enrolling = null;
          events.push({ type: 'enrol', address: this.address, ok: true, reason: null, detail: 'secure channel with the new key', keySent, atMs: nowMs });
        }
        if (hs.keyD && this.scbk) {
          // Enrol: move the PD from SCBK-D to the site key before anything else.
          this.queue.unshift({ code: OsdpCmd.KEYSET, data: encodeKeyset(this.scbk), user: false, key: this.scbk });
        }
        this.goOnline(nowMs, events);
        return;
      }
      case 'online':
        this.onOnlineReply(msg, f, nowMs, events);
        return;
      default:
        return;
    }
  }

  /** A running enrolment, and what the session had before it (restored if it fails). */
  private enrolling: { scbk: Uint8Array | null; installMode: boolean; secureRequired: boolean; keySent: boolean } | null = null;

  /** The key of a KEYSET whose reply was lost: the PD may be on it now. */
  private maybeKey: Uint8Array | null = null;

  /** Secure sessions the PD dropped (plain NAK inside SC) since the last good secure reply. */
  private scDrops = 0;

  /** kk of the last reply's SCB `03 1x kk` (CCRYPT: the key the PD used, 00 = SCBK-D). */
  private replyScbKey: number | null = null;

  private goOnline(nowMs: number, events: OsdpEvent[]): void {
    this.phase = 'online';
    this.pollAt = nowMs;
    const secure = this.chain !== null;
    const key = !secure ? null : this.installMode || this.scbk === null ? 'scbk-d' : 'scbk';
    const enrolling = this.queue[0]?.code === OsdpCmd.KEYSET && !this.queue[0].user;
    // A new handshake inside a running link (after a retry or a KEYSET) is not news.
    if (!enrolling && !this.online) {
      this.online = true;
      this.reportedOffline = false;
      events.push({ type: 'online', address: this.address, secure, key, id: this.id, caps: this.caps, atMs: nowMs });
      if (key === 'scbk-d') events.push({ type: 'warning', address: this.address, reason: 'install-mode', atMs: nowMs });
      if (!secure) events.push({ type: 'warning', address: this.address, reason: 'plain-text', atMs: nowMs });
    }
  }

  private onOnlineReply(msg: OsdpReplyMsg, f: InFlight, nowMs: number, events: OsdpEvent[]): void {
    const a = this.address;
    if (f.code === OsdpCmd.KEYSET && msg.kind === 'ack') {
      // The PD switches to the new key and drops the session: handshake again with it.
      this.scbk = f.key!;
      this.installMode = false;
      this.chain = null;
      this.phase = 'chlng';
      events.push({ type: 'key-changed', address: a, atMs: nowMs });
      if (f.user) events.push({ type: 'command', address: a, command: f.code, ok: true, nak: null, atMs: nowMs });
      return;
    }
    switch (msg.kind) {
      case 'ack':
        break;
      case 'raw': {
        const c = msg.card;
        const bits = Array.from({ length: c.bits }, (_, i) => (c.data[i >> 3]! >> (7 - (i & 7))) & 1);
        const w = c.format === 1 ? decodeWiegand(bits) : null;
        events.push({
          type: 'card',
          address: a,
          reader: c.reader,
          format: c.format === 1 ? 'wiegand' : 'raw',
          bits: c.bits,
          hex: toHex(c.data),
          wiegand: w?.ok && w.frame.kind === 'card' ? w.frame : null,
          atMs: nowMs,
        });
        break;
      }
      case 'keypad':
        events.push({ type: 'keypad', address: a, reader: msg.reader, keys: msg.keys, atMs: nowMs });
        break;
      case 'lstatr':
        events.push({ type: 'local-status', address: a, tamper: msg.tamper, power: msg.power, atMs: nowMs });
        break;
      case 'istatr':
        events.push({ type: 'input-status', address: a, inputs: msg.inputs, atMs: nowMs });
        break;
      case 'ostatr':
        events.push({ type: 'output-status', address: a, outputs: msg.outputs, atMs: nowMs });
        break;
      case 'com':
        events.push({ type: 'com-changed', address: a, settings: msg.settings, atMs: nowMs });
        this.address = msg.settings.address;
        this.restart();
        break;
      default:
        this.st.badReplies++;
    }
    if (f.user) events.push({ type: 'command', address: a, command: f.code, ok: true, nak: null, atMs: nowMs });
  }

  private onNak(code: number, f: InFlight, nowMs: number, events: OsdpEvent[]): void {
    const a = this.address;
    const reason = osdpNakReason(code);
    if (this.phase === 'chlng') {
      this.fault('sc-unsupported', `the PD refused the challenge (NAK ${reason})`, nowMs, events);
      return;
    }
    if (this.phase === 'scrypt') {
      this.fault('sc-wrong-key', `the PD refused our cryptogram (NAK ${reason})`, nowMs, events);
      return;
    }
    if (code === 0x01 && this.crc) {
      this.crc = false; // the PD wants checksums (§5.3)
      this.queue.unshift(f);
      return;
    }
    if (code === 0x04) {
      this.restart(); // sequence lost: start over with SQN 0
      if (f.user) this.queue.unshift(f);
      return;
    }
    if (code === 0x06 && (this.phase === 'id' || this.phase === 'cap' || this.phase === 'online') && !this.chain && this.o.secureRequired) {
      this.fault('sc-unsupported', 'the PD wants a secure channel we could not open', nowMs, events);
      return;
    }
    if (code === 0x06 && this.chain) {
      this.chain = null;
      if (f.user) this.queue.unshift(f);
      this.phase = 'chlng';
      return;
    }
    if (f.user) events.push({ type: 'command', address: a, command: f.code, ok: false, nak: reason, atMs: nowMs });
    else if (this.phase !== 'online' || f.code === OsdpCmd.KEYSET)
      this.fault('bad-reply', `NAK ${reason} to command ${f.code}`, nowMs, events, this.o.restartDelayMs);
  }

  private unexpected(msg: OsdpReplyMsg, f: InFlight, nowMs: number, events: OsdpEvent[]): void {
    this.st.badReplies++;
    this.fault('bad-reply', `reply ${msg.kind} to command ${f.code}`, nowMs, events, this.o.restartDelayMs);
  }
}
