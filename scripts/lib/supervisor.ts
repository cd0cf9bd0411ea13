// Keeps `npm start`'s processes running: starts them in order (each waits for the one before it
// to be ready), starts a process again when it dies (after the restart policy's delay, each
// restart reported), and stops them all in reverse start order: SIGTERM, a grace period, then
// SIGKILL. Nothing is restarted once a stop has begun. The supervisor never logs: it reports
// events and leaves the wording to its host (start.ts, the tests).
import { performance } from 'node:perf_hooks';
import type { ManagedProcess } from './proc.ts';
import { RestartPolicy, type RestartPolicyOptions } from './restart-policy.ts';

type Exit = { code: number | null; signal: NodeJS.Signals | null };

export type SupervisorEvent =
  | { kind: 'started'; name: string; pid: number | undefined; restart: number }
  | ({ kind: 'exited'; name: string; upMs: number; restart: number; delayMs: number; quickExits: number; crashLoop: boolean } & Exit)
  | { kind: 'stopping'; name: string }
  | ({ kind: 'stopped'; name: string } & Exit)
  | { kind: 'startup-failed'; message: string }
  | { kind: 'killing'; names: string[] };

export interface SupervisorOptions {
  onEvent: (e: SupervisorEvent) => void;
  policy?: RestartPolicyOptions;
  /** How long a process has to stop after SIGTERM before it gets SIGKILL. */
  graceMs?: number;
}

interface Slot {
  name: string;
  launch: () => ManagedProcess;
  policy: RestartPolicy;
  /** The running process; null while a restart is pending. */
  proc: ManagedProcess | null;
  startedAt: number;
  restarts: number;
  timer?: NodeJS.Timeout;
}

const alive = (p: ManagedProcess) => p.child.exitCode === null && p.child.signalCode === null;

export class Supervisor {
  readonly #opts: SupervisorOptions;
  readonly #slots: Slot[] = [];
  #stopping = false;
  #stopped: Promise<void> | undefined;

  constructor(opts: SupervisorOptions) {
    this.#opts = opts;
  }

  get stopping(): boolean {
    return this.#stopping;
  }

  /**
   * Starts a process and waits until `ready` resolves; from then on it is started again whenever
   * it dies. If it dies or `ready` fails before that, this rejects and nothing is restarted: a
   * start-up that fails is the host's to end (with `stopAll`).
   */
  async start(name: string, launch: () => ManagedProcess, ready?: (p: ManagedProcess) => Promise<unknown>): Promise<ManagedProcess> {
    if (this.#stopping) throw new Error(`${name} not started: stopping`);
    const slot: Slot = { name, launch, policy: new RestartPolicy(this.#opts.policy), proc: null, startedAt: 0, restarts: 0 };
    this.#slots.push(slot);
    const p = this.#spawn(slot);
    await ready?.(p);
    // Watched only now: a death during the readiness wait failed the start (above) instead.
    this.#watch(slot, p);
    return p;
  }

  /** Stops every process in reverse start order; safe to call again (same promise). */
  stopAll(): Promise<void> {
    this.#stopping = true;
    return (this.#stopped ??= this.#stopAll());
  }

  /** SIGKILL to every process that is still running (a second Ctrl-C), and wait for them. */
  async killAll(): Promise<void> {
    this.#stopping = true;
    for (const s of this.#slots) clearTimeout(s.timer);
    const running = this.#slots.flatMap((s) => (s.proc && alive(s.proc) ? [s.proc] : []));
    this.#opts.onEvent({ kind: 'killing', names: running.map((p) => p.name) });
    await Promise.all(running.map((p) => p.kill9()));
  }

  async #stopAll(): Promise<void> {
    for (const s of this.#slots) clearTimeout(s.timer);
    for (const s of [...this.#slots].reverse()) {
      const p = s.proc;
      if (!p) continue;
      if (alive(p)) {
        this.#opts.onEvent({ kind: 'stopping', name: s.name });
        await p.stop(this.#opts.graceMs);
      }
      this.#opts.onEvent({ kind: 'stopped', name: s.name, ...(await p.exited) });
    }
  }

  #spawn(slot: Slot): ManagedProcess {
    const p = slot.launch();
    slot.proc = p;
    slot.startedAt = performance.now();
    this.#opts.onEvent({ kind: 'started', name: slot.name, pid: p.child.pid, restart: slot.restarts });
    return p;
  }

  #watch(slot: Slot, p: ManagedProcess): void {
    void p.exited.then((exit) => {
      if (this.#stopping) return;
      const upMs = Math.round(performance.now() - slot.startedAt);
      const { delayMs, quickExits, crashLoop } = slot.policy.onExit(upMs);
      slot.proc = null;
      slot.restarts++;
      this.#opts.onEvent({ kind: 'exited', name: slot.name, ...exit, upMs, restart: slot.restarts, delayMs, quickExits, crashLoop });
      slot.timer = setTimeout(() => {
        slot.timer = undefined;
        if (!this.#stopping) this.#watch(slot, this.#spawn(slot));
      }, delayMs);
    });
  }
}

/**
 * The host side of a supervisor: runs `startup` (which starts the processes), stops everything
 * in order on SIGINT/SIGTERM/SIGHUP and exits 0 (a second signal kills what is left and exits
 * 130), and when `startup` fails stops what it had started and exits 1, so that no process is
 * left holding a port.
 */
export async function runSupervised(
  opts: SupervisorOptions & { exit?: (code: number) => void },
  startup: (sup: Supervisor) => Promise<void>,
): Promise<Supervisor> {
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  const sup = new Supervisor(opts);
  let signals = 0;
  const onSignal = () => {
    if (++signals === 1) void sup.stopAll().then(() => exit(0));
    else void sup.killAll().then(() => exit(130));
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, onSignal);
  try {
    await startup(sup);
  } catch (err) {
    // A signal during start-up makes the readiness waits fail too: its handler is stopping.
    if (sup.stopping) return sup;
    opts.onEvent({ kind: 'startup-failed', message: err instanceof Error ? err.message : String(err) });
    await sup.stopAll();
    exit(1);
  }
  return sup;
}
