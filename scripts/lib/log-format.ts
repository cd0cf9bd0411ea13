// Human-readable, labelled log lines for `npm start`: `06:12:03 gateway  INFO  card tap door=front`.
import type { LogLine } from './proc.ts';

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO ', 40: 'WARN ', 50: 'ERROR', 60: 'FATAL' };
const COLOURS = [36, 35, 33, 32, 34, 91];
const colourOf = new Map<string, number>();
const SKIP = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'proc', 'name', 'v']);

function paint(code: number, s: string, tty: boolean): string {
  return tty ? `\x1b[${code}m${s}\x1b[0m` : s;
}

function value(v: unknown): string {
  if (v && typeof v === 'object') {
    const err = v as { message?: string };
    return err.message ? JSON.stringify(err.message) : JSON.stringify(v);
  }
  return typeof v === 'string' && /\s/.test(v) ? JSON.stringify(v) : String(v);
}

export function formatLogLine(line: LogLine, tty = process.stdout.isTTY ?? false): string {
  if (!colourOf.has(line.proc)) colourOf.set(line.proc, COLOURS[colourOf.size % COLOURS.length]!);
  const label = paint(colourOf.get(line.proc)!, line.proc.padEnd(9), tty);
  const j = line.json;
  if (!j) return `${new Date().toTimeString().slice(0, 8)} ${label} ${line.text}`;
  const time = new Date(typeof j.time === 'number' ? j.time : Date.now()).toTimeString().slice(0, 8);
  const levelNum = typeof j.level === 'number' ? j.level : 30;
  const level = LEVELS[levelNum] ?? String(j.level);
  const lv = levelNum >= 50 ? paint(31, level, tty) : levelNum >= 40 ? paint(33, level, tty) : level;
  const fields = Object.entries(j)
    .filter(([k]) => !SKIP.has(k))
    .map(([k, v]) => `${k}=${value(v)}`)
    .join(' ');
  return `${time} ${label} ${lv} ${typeof j.msg === 'string' ? j.msg : ''}${fields ? '  ' + paint(90, fields, tty) : ''}`;
}
