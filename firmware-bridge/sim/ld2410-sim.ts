// An LD2410 radar (protocols.md §4): report frames on demand (basic, or engineering once the
// host enabled it), and ACKs for the host's command frames. Commands other than enable-config
// are ignored outside a configuration session (§4.3). Whether real modules pause reports while
// configuring is unverified (§8), so that is an option.
import { Ld2410Command, encodeLd2410Ack, encodeLd2410Parameters, parseLd2410GateSettings, type Ld2410GateSettings } from '../codecs/ld2410-command.ts';
import { Ld2410Decoder } from '../codecs/ld2410-frame.ts';
import { encodeLd2410Report, type Ld2410ReportInput } from '../codecs/ld2410-report.ts';

export interface Ld2410SimOptions {
  gates?: Ld2410GateSettings;
  /** Reports while in a configuration session. Default true. */
  reportInConfig?: boolean;
  /** Firmware reported by `00A0`: default V1.02.22062416 (vendor example). */
  firmware?: { major: number; minor: number; build: number };
}

type Target = Omit<Ld2410ReportInput, 'engineering'>;

/** Factory sensitivities, gates 0..8 (Hi-Link table; stationary gates 0 and 1 cannot be set). */
const MOVING_SENSITIVITY = [50, 50, 40, 30, 20, 15, 15, 15, 15];
const STATIONARY_SENSITIVITY = [0, 0, 40, 40, 30, 30, 20, 20, 20];

export class Ld2410Sim {
  private readonly decoder = new Ld2410Decoder();
  private readonly reportInConfig: boolean;
  private readonly firmware: { major: number; minor: number; build: number };
  private gates: Ld2410GateSettings;
  private config = false;
  private engineering = false;
  private target: Target = {
    targetState: 0,
    movingDistanceCm: 0,
    movingEnergy: 0,
    stationaryDistanceCm: 0,
    stationaryEnergy: 0,
    detectionDistanceCm: 0,
  };
  private movingGateEnergy = new Array<number>(9).fill(0);
  private stationaryGateEnergy = new Array<number>(9).fill(0);
  private extra = Uint8Array.of(0x00, 0x00);

  constructor(opts: Ld2410SimOptions = {}) {
    this.gates = opts.gates ?? { maxMovingGate: 8, maxStationaryGate: 8, noOneDurationS: 5 };
    this.reportInConfig = opts.reportInConfig ?? true;
    this.firmware = opts.firmware ?? { major: 1, minor: 0x02, build: 0x22062416 };
  }

  get inConfig(): boolean {
    return this.config;
  }

  get engineeringMode(): boolean {
    return this.engineering;
  }

  get settings(): Ld2410GateSettings {
    return { ...this.gates };
  }

  setTarget(t: Partial<Target>): void {
    this.target = { ...this.target, ...t };
  }

  /** Engineering-mode per-gate energies (gates 0..8) and extra bytes (light, OUT pin). */
  setGateEnergies(moving: number[], stationary: number[], extra: ArrayLike<number> = [0, 0]): void {
    this.movingGateEnergy = [...moving];
    this.stationaryGateEnergy = [...stationary];
    this.extra = Uint8Array.from(extra);
  }

  /** One report frame for the current target, or empty while configuring (if so configured). */
  report(): Uint8Array {
    if (this.config && !this.reportInConfig) return new Uint8Array(0);
    const engineering = this.engineering
      ? {
          maxMovingGate: this.movingGateEnergy.length - 1,
          maxStationaryGate: this.stationaryGateEnergy.length - 1,
          movingGateEnergy: this.movingGateEnergy,
          stationaryGateEnergy: this.stationaryGateEnergy,
          extra: this.extra,
        }
      : null;
    return encodeLd2410Report({ ...this.target, engineering });
  }

  /** Host bytes in, ACK frames out. */
  receive(bytes: Uint8Array): Uint8Array {
    const acks: number[] = [];
    for (const item of this.decoder.push(bytes)) {
      if (item.kind !== 'command') continue;
      const ack = this.handle(item.command, item.value);
      if (ack) acks.push(...ack);
    }
    return Uint8Array.from(acks);
  }

  private handle(command: number, value: Uint8Array): Uint8Array | null {
    if (command === Ld2410Command.EnableConfig) {
      this.config = true;
      return encodeLd2410Ack(command, 0, [0x01, 0x00, 0x40, 0x00]);
    }
    if (!this.config) return null;
    switch (command) {
      case Ld2410Command.EndConfig:
        this.config = false;
        return encodeLd2410Ack(command);
      case Ld2410Command.SetGatesAndDuration: {
        const g = parseLd2410GateSettings(value);
        const gate = (v: number): boolean => v >= 2 && v <= 8;
        if (!g || !gate(g.maxMovingGate) || !gate(g.maxStationaryGate) || g.noOneDurationS > 0xffff) {
          return encodeLd2410Ack(command, 1);
        }
        this.gates = g;
        return encodeLd2410Ack(command);
      }
      case Ld2410Command.ReadParameters:
        return encodeLd2410Ack(
          command,
          0,
          encodeLd2410Parameters({
            maxGate: 8,
            maxMovingGate: this.gates.maxMovingGate,
            maxStationaryGate: this.gates.maxStationaryGate,
            movingSensitivity: MOVING_SENSITIVITY,
            stationarySensitivity: STATIONARY_SENSITIVITY,
            noOneDurationS: this.gates.noOneDurationS,
          }),
        );
      case Ld2410Command.EngineeringOn:
      case Ld2410Command.EngineeringOff:
        this.engineering = command === Ld2410Command.EngineeringOn;
        return encodeLd2410Ack(command);
      case Ld2410Command.ReadFirmware: {
        const f = this.firmware;
        const b = f.build >>> 0;
        return encodeLd2410Ack(command, 0, [0x00, 0x00, f.minor, f.major, b & 0xff, (b >>> 8) & 0xff, (b >>> 16) & 0xff, b >>> 24]);
      }
      case Ld2410Command.Restart:
        this.config = false;
        this.engineering = false; // not persisted (§4.3)
        return encodeLd2410Ack(command);
      default:
        return encodeLd2410Ack(command, 1);
    }
  }
}
