// A compressed day at the space, played through the sim control API: arrivals at the front
// door, desks filling, meetings, a stranger's card, coffee breaks, departures, night.
// Something visible happens every few seconds. Logs one short line per action, never a UID.
import { setTimeout as sleep } from 'node:timers/promises';
import type { SimClient } from './sim-client.ts';
import type { DemoCast, DemoMember } from './demo-members.ts';

export interface DemoDoor {
  id: string;
  reader: string;
  lock: string;
  contact?: string;
  exitButton?: string;
}

export interface DemoDesk {
  id: string;
  sensor: string;
}

export interface DemoDayOptions {
  sim: Pick<SimClient, 'tap' | 'contact' | 'exit' | 'presence' | 'state'>;
  doors: DemoDoor[];
  desks: DemoDesk[];
  cast: DemoCast;
  log: (line: string) => void;
  signal: AbortSignal;
  random?: () => number;
  /** 2 = twice as fast. */
  speed?: number;
}

export class DemoDay {
  readonly #o: DemoDayOptions;
  readonly #rnd: () => number;
  readonly #speed: number;
  readonly #front: DemoDoor;
  readonly #inner: DemoDoor[];
  /** Who sits where: member id or guest label → desk. */
  readonly #seated = new Map<string, DemoDesk>();
  readonly #away = new Set<string>();
  #minute = 7 * 60 + 30;

  constructor(opts: DemoDayOptions) {
    if (opts.doors.length === 0) throw new Error('the demo needs at least one door');
    this.#o = opts;
    this.#rnd = opts.random ?? Math.random;
    this.#speed = opts.speed ?? 1;
    this.#front = opts.doors.find((d) => d.exitButton) ?? opts.doors[0]!;
    this.#inner = opts.doors.filter((d) => d !== this.#front);
  }

  async runForever(): Promise<void> {
    while (!this.#o.signal.aborted) await this.day();
  }

  async day(): Promise<void> {
    this.#minute = 7 * 60 + 30;
    this.#seated.clear();
    this.#away.clear();
    await this.#o.sim.state(); // reachable? (throws otherwise, before anything is said)
    this.#say('morning: the space opens');
    for (const m of this.#shuffle(this.#o.cast.members)) {
      await this.#arrive(m);
      if (this.#rnd() < 0.4) await this.#guestArrives();
    }
    for (let i = 0; i < 12; i++) await this.#daytimeStep();
    this.#minute = Math.max(this.#minute, 17 * 60);
    this.#say('evening: people head home');
    for (const who of this.#shuffle([...this.#seated.keys()])) await this.#leave(who);
    this.#minute = 22 * 60;
    this.#say('night: the space is empty');
    await this.#pause(8000);
  }

  async #arrive(m: DemoMember): Promise<void> {
    if (await this.#enter(m, this.#front)) await this.#sit(m.id);
    await this.#pause(2000 + this.#rnd() * 2000);
  }

  async #guestArrives(): Promise<void> {
    const label = `guest-${Math.floor(this.#rnd() * 900 + 100)}`;
    if (this.#seated.has(label)) return;
    this.#say(`${label} comes in with a member`);
    await this.#sit(label);
    await this.#pause(1500);
  }

  async #daytimeStep(): Promise<void> {
    const r = this.#rnd();
    const present = this.#o.cast.members.filter((m) => this.#seated.has(m.id) && !this.#away.has(m.id));
    const someone = present.length > 0 ? present[Math.floor(this.#rnd() * present.length)]! : undefined;
    if (r < 0.3 && someone && this.#inner.length > 0) {
      const door = this.#inner[Math.floor(this.#rnd() * this.#inner.length)]!;
      await this.#enter(someone, door);
    } else if (r < 0.45) {
      const uid = this.#o.cast.unknownCards[0];
      if (uid) {
        const granted = await this.#tap(this.#front, uid);
        this.#say(`an unknown card at ${this.#front.id}: ${granted ? 'granted' : 'denied'}`);
      }
    } else if (r < 0.7 && someone) {
      const desk = this.#seated.get(someone.id)!;
      this.#away.add(someone.id);
      this.#say(`${someone.id} steps away from ${desk.id}`);
      await this.#o.sim.presence(desk.sensor, false);
    } else if (r < 0.85 && this.#away.size > 0) {
      const id = [...this.#away][0]!;
      const desk = this.#seated.get(id)!;
      this.#away.delete(id);
      this.#say(`${id} is back at ${desk.id}`);
      await this.#o.sim.presence(desk.sensor, true);
    } else {
      const guest = [...this.#seated.keys()].find((k) => k.startsWith('guest-'));
      if (guest) await this.#leave(guest);
      else await this.#guestArrives();
    }
    this.#minute += 25;
    await this.#pause(2500 + this.#rnd() * 2500);
  }

  async #leave(who: string): Promise<void> {
    const desk = this.#seated.get(who);
    if (desk) await this.#o.sim.presence(desk.sensor, false);
    this.#seated.delete(who);
    this.#away.delete(who);
    const button = this.#front.exitButton;
    if (button) {
      this.#say(`${who} leaves${desk ? ` ${desk.id}` : ''} by the exit button at ${this.#front.id}`);
      await this.#o.sim.exit(button);
      await this.#walkThrough(this.#front);
    } else {
      this.#say(`${who} leaves${desk ? ` ${desk.id}` : ''}`);
    }
    this.#minute += 10;
    await this.#pause(2000 + this.#rnd() * 1500);
  }

  /** A member taps at a door and, if it opens, walks through. */
  async #enter(m: DemoMember, door: DemoDoor): Promise<boolean> {
    const granted = await this.#tap(door, m.cards[0]!);
    this.#say(`${m.id} taps at ${door.id}: ${granted ? 'granted' : 'denied'}`);
    if (granted) await this.#walkThrough(door);
    return granted;
  }

  async #tap(door: DemoDoor, uid: string): Promise<boolean> {
    const before = (await this.#o.sim.state()).locks[door.lock];
    await this.#o.sim.tap(door.reader, uid);
    const after = (await this.#o.sim.state()).locks[door.lock];
    // Every grant drives the lock: a new operation that left it unlocked.
    return !!after && after.unlocked && after.operations > (before?.operations ?? 0);
  }

  async #walkThrough(door: DemoDoor): Promise<void> {
    if (!door.contact) return;
    await this.#pause(600);
    await this.#o.sim.contact(door.contact, true);
    await this.#pause(1200);
    await this.#o.sim.contact(door.contact, false);
  }

  async #sit(who: string): Promise<void> {
    const taken = new Set([...this.#seated.values()].map((d) => d.id));
    const free = this.#o.desks.filter((d) => !taken.has(d.id));
    if (free.length === 0) return;
    const desk = free[Math.floor(this.#rnd() * free.length)]!;
    this.#seated.set(who, desk);
    await this.#pause(800);
    this.#say(`${who} sits at ${desk.id}`);
    await this.#o.sim.presence(desk.sensor, true);
    this.#minute += 5;
  }

  #say(text: string): void {
    const hh = String(Math.floor(this.#minute / 60) % 24).padStart(2, '0');
    const mm = String(this.#minute % 60).padStart(2, '0');
    this.#o.log(`[${hh}:${mm}] ${text}`);
  }

  #pause(ms: number): Promise<void> {
    return sleep(ms / this.#speed, undefined, { signal: this.#o.signal });
  }

  #shuffle<T>(items: readonly T[]): T[] {
    const a = [...items];
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(this.#rnd() * (i + 1));
      [a[i], a[j]] = [a[j]!, a[i]!];
    }
    return a;
  }
}
