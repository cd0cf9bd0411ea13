// Driver interfaces: what the gateway needs from door and desk hardware, in our vocabulary.
// Drivers never log (STYLE.md §2): they emit typed events and report their health. A driver's
// constructor touches no hardware; `start()` opens it, `stop()` releases it and is safe twice.
import type { EventEmitter } from 'node:events';
import type { DeviceHealthStateName, DeviceKind } from '../../contracts/payloads.ts';

export type { DeviceKind };

export interface DeviceHealthState {
  /** `warning`: working, but something a host should see to is on (`error` says what). */
  state: DeviceHealthStateName;
  /** Last time the device was heard from or driven (epoch ms); absent when never. */
  lastSeen?: number;
  /** Why it is in fault, or (warning) what to see to, in words (never a card UID, never a key). */
  error?: string;
  /** Frames rejected by the codec (bad checksum, truncated, oversized, bad format) since start. */
  dropped?: number;
  /** Bytes discarded by the codec (noise between frames, bytes of rejected frames) since start. */
  droppedBytes?: number;
  /** Firmware the device reported (e.g. `PN532 v1.6`), or the simulator's version; absent when unknown. */
  firmware?: string;
}

/** One raw value of a sensor, for `sensor/<id>/reading`. */
export interface SensorSample {
  kind: string;
  value: number;
  unit?: string;
}

interface HealthEvents {
  /** The health state changed (ok ↔ fault, or the firmware became known), not every lastSeen update. */
  health: [DeviceHealthState];
}

export interface Device<E extends Record<keyof E, unknown[]>> extends EventEmitter<E & HealthEvents> {
  readonly id: string;
  readonly kind: DeviceKind;
  health(): DeviceHealthState;
  start(): void | Promise<void>;
  stop(): void | Promise<void>;
}

export interface CardRead {
  readerId: string;
  /** Card UID as the reader decoded it. Stays inside the gateway: fingerprint it, never log it. */
  uid: string;
}

/** What the door decided about a read, for a reader that can show it (LED, buzzer). */
export type ReaderFeedback = 'granted' | 'denied';

export interface CardReader extends Device<{ card: [CardRead] }> {
  /** Shows the decision on the reader; absent on readers without LED or buzzer control. Never throws. */
  feedback?(decision: ReaderFeedback): void;
  /** What the reader shows between reads: `offline-only` while only offline-capable credentials open. */
  indicate?(mode: ReaderMode): void;
}

export type ReaderMode = 'normal' | 'offline-only';

export type LockState = 'locked' | 'unlocked';

/** A lock relay. `unlock()` / `lock()` drive the output at once (synchronously). */
export interface Lock extends Device<{ driven: [LockState] }> {
  readonly state: LockState;
  /** How many times the output was driven since start (every unlock or lock call). */
  readonly operations: number;
  unlock(): void;
  lock(): void;
}

export type ContactState = 'open' | 'closed';

export interface DoorContact extends Device<{ change: [ContactState] }> {
  /** Null while unknown (before the first reading). */
  readonly state: ContactState | null;
}

export type ExitButton = Device<{ press: [] }>;

export interface PresenceSensor extends Device<{ presence: [boolean] }> {
  /** Null while unknown (before the first reading, or while the device is in fault). */
  readonly present: boolean | null;
  /** Latest raw values (published at the gateway's `readingsEveryS`); absent when it has none. */
  readings?(): SensorSample[];
}
