// How a smartspace process ends on SIGINT or SIGTERM (Ctrl-C, systemd, npm start): once, in
// order, logged, and within a bound: exit 0 when stopped, 1 when the stop failed or hung.
import type { Logger } from './log.ts';

export interface StopOnSignalsOptions {
  /** The process's name in the log lines ("gateway", "services"). */
  name: string;
  log: Logger;
  stop: () => Promise<void>;
  /** A stop that takes longer than this exits 1 (default 10 s). */
  timeoutMs?: number;
}

export function stopOnSignals({ name, log, stop, timeoutMs = 10_000 }: StopOnSignalsOptions): void {
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, `${name} stopping`);
    setTimeout(() => {
      log.error({ timeoutMs }, `${name} stop timed out`);
      process.exit(1);
    }, timeoutMs).unref();
    stop().then(
      () => {
        log.info({}, `${name} stopped`);
        process.exit(0);
      },
      (err: unknown) => {
        log.error({ err }, `${name} stop failed`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}
