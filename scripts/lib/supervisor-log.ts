// The supervisor's events as `npm start` log lines, in the processes' own (pino) shape so that
// they print like the rest: `06:12:03 supervise WARN  process died; restarting  process=services
// code=null signal=SIGKILL upS=42.1 restart=1 delayS=1`. A crash loop is an ERROR on every death.
import type { LogLine } from './proc.ts';
import { formatLogLine } from './log-format.ts';
import type { SupervisorEvent } from './supervisor.ts';

const INFO = 30;
const WARN = 40;
const ERROR = 50;
const seconds = (ms: number) => Math.round(ms / 100) / 10;

function fields(e: SupervisorEvent): { level: number; msg: string } & Record<string, unknown> {
  switch (e.kind) {
    case 'started':
      return e.restart === 0
        ? { level: INFO, msg: 'process started', process: e.name, childPid: e.pid }
        : { level: WARN, msg: 'process restarted', process: e.name, childPid: e.pid, restart: e.restart };
    case 'exited': {
      const f = { process: e.name, code: e.code, signal: e.signal, upS: seconds(e.upMs), restart: e.restart, delayS: seconds(e.delayMs) };
      return e.crashLoop
        ? { level: ERROR, msg: 'CRASH LOOP: process keeps dying right after start; still restarting with backoff', ...f, diedInARow: e.quickExits }
        : { level: WARN, msg: 'process died; restarting', ...f };
    }
    case 'stopping':
      return { level: INFO, msg: 'stopping process', process: e.name };
    case 'stopped':
      return {
        level: e.signal === 'SIGKILL' ? WARN : INFO,
        msg: e.signal === 'SIGKILL' ? 'process killed (did not stop in time)' : 'process stopped',
        process: e.name,
        code: e.code,
        signal: e.signal,
      };
    case 'startup-failed':
      // The reason (often many lines: the process's last output) is printed as it is, before.
      return { level: ERROR, msg: 'start-up failed; stopping what started' };
    case 'killing':
      return { level: WARN, msg: 'second signal: killing what is left', processes: e.names.join(',') };
  }
}

export function supervisorLine(e: SupervisorEvent): LogLine {
  const json = { time: Date.now(), ...fields(e) };
  return { proc: 'supervise', stream: json.level >= WARN ? 'stderr' : 'stdout', text: JSON.stringify(json), json };
}

/**
 * The supervisor's events on this terminal, as `npm start` and `npm run demo:network` print them:
 * each as a log line, a start-up failure's reason, and one "stopping…" when the stop begins.
 */
export function printSupervisorEvents(): (e: SupervisorEvent) => void {
  let stopping = false;
  return (e) => {
    if (e.kind === 'startup-failed') console.error(e.message);
    if ((e.kind === 'stopping' || e.kind === 'stopped') && !stopping) {
      stopping = true;
      console.log('\nstopping…');
    }
    const line = supervisorLine(e);
    (line.stream === 'stderr' ? console.error : console.log)(formatLogLine(line));
  };
}
