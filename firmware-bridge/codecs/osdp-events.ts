// What an OSDP CP session tells its owner (osdp-session.ts, osdp-cp-bus.ts): typed events and
// faults, never log lines; no key ever goes into one.
import type { OsdpCapability, OsdpComSettings, OsdpPdId } from './osdp-messages.ts';
import type { WiegandCard } from './wiegand.ts';

export type OsdpFaultReason =
  /** The PD's cryptogram does not verify with our key, or it refused ours (NAK 05/06 to SCRYPT). */
  | 'sc-wrong-key'
  /** The PD does not offer Secure Channel (PDCAP) or NAKs the challenge, and SC is required. */
  | 'sc-unsupported'
  /** The PD answered a challenge for the SCBK with SCBK-D: a reader still on the default key. */
  | 'sc-default-key'
  /** A reply inside the session failed its MAC, decryption, or came in plain text. */
  | 'sc-mac'
  /** Unexpected or malformed reply. */
  | 'bad-reply';

export type OsdpEvent =
  | { type: 'online'; address: number; secure: boolean; key: 'scbk' | 'scbk-d' | null; id: OsdpPdId | null; caps: OsdpCapability[]; atMs: number }
  | { type: 'offline'; address: number; atMs: number }
  | { type: 'fault'; address: number; reason: OsdpFaultReason; detail: string; atMs: number }
  | { type: 'warning'; address: number; reason: 'install-mode' | 'plain-text'; atMs: number }
  /** KEYSET was acknowledged; the session now uses the new key (which is not in the event). */
  | { type: 'key-changed'; address: number; atMs: number }
  /**
   * The end of an enrolment (`OsdpPdSession.enrol`): ok once a Secure Channel with the new key
   * is up; else the fault (or `offline`) that ended it. `keySent`: a KEYSET went out, so a
   * failed reader may hold the new key after all (its ACK was lost).
   */
  | { type: 'enrol'; address: number; ok: boolean; reason: OsdpFaultReason | 'offline' | null; detail: string; keySent: boolean; atMs: number }
  | {
      type: 'card';
      address: number;
      reader: number;
      format: 'raw' | 'wiegand';
      bits: number;
      /** The card bits as sent, left-aligned (`ceil(bits/8)` bytes) in hex. */
      hex: string;
      /** The W26/W34 reading when the bits are one with good parity, else null. */
      wiegand: WiegandCard | null;
      atMs: number;
    }
  | { type: 'keypad'; address: number; reader: number; keys: string; atMs: number }
  | { type: 'local-status'; address: number; tamper: boolean; power: boolean; atMs: number }
  | { type: 'input-status'; address: number; inputs: number[]; atMs: number }
  | { type: 'output-status'; address: number; outputs: number[]; atMs: number }
  | { type: 'com-changed'; address: number; settings: OsdpComSettings; atMs: number }
  /** The outcome of a queued command (LED, BUZ, OUT, KEYSET, status requests). */
  | { type: 'command'; address: number; command: number; ok: boolean; nak: string | null; atMs: number };

export interface OsdpPdStats {
  commands: number;
  timeouts: number;
  naks: number;
  badReplies: number;
  macErrors: number;
  handshakes: number;
  /** Queued commands given up: queue full, or the link went down before they were sent. */
  dropped: number;
}
