'use strict';
// Opening hours as operators write them, `Mon-Fri 08:00-17:00; Sat 10:00-14:00`, turned into
// the contract's weekly windows ({days: 1..7, from, to}; `to` exclusive, 24:00 allowed) and
// evaluated in the site's time zone on local wall-clock time by contracts/schedule.ts itself.
const { localWeekMinute, withinWindows } = require('./contract.js');

const DAYS = { mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, sun: 7 };
const DAY_NAMES = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const TIME_RE = /^([01][0-9]|2[0-4]):([0-5][0-9])$/;

function day(word, window) {
  const d = DAYS[word.slice(0, 3).toLowerCase()];
  if (!d || word.length < 3) throw new SyntaxError(`"${window}": unknown day "${word}" (use Mon … Sun)`);
  return d;
}

function time(text, window) {
  const m = TIME_RE.exec(text);
  if (!m || (m[1] === '24' && m[2] !== '00')) throw new SyntaxError(`"${window}": "${text}" is not a time (HH:MM, 00:00 … 24:00)`);
  return text;
}

/** Parses the hours text; throws a SyntaxError quoting the window at fault. */
function parseHours(text) {
  const windows = [];
  for (const raw of String(text ?? '').split(/[;\n]/)) {
    const w = raw.trim();
    if (!w) continue;
    const m = /^(.+?)\s+(\S+)\s*-\s*(\S+)$/.exec(w);
    if (!m) throw new SyntaxError(`"${w}": expected days and a time range, e.g. "Mon-Fri 08:00-17:00"`);
    const days = new Set();
    for (const part of m[1].split(/[,\s]+/).filter(Boolean)) {
      const [a, b] = part.split('-');
      const from = day(a, w);
      const to = b === undefined ? from : day(b, w);
      for (let d = from; ; d = (d % 7) + 1) {
        days.add(d);
        if (d === to) break;
      }
    }
    const from = time(m[2], w);
    const to = time(m[3], w);
    if (from >= to) throw new SyntaxError(`"${w}": the end must be after the start`);
    windows.push({ days: [...days].sort((x, y) => x - y), from, to });
  }
  if (windows.length === 0) throw new SyntaxError('no opening hours given');
  return windows;
}

/** Whether `epochMs` falls in one of the windows, on local wall-clock time (contracts/schedule.ts). */
const isOpen = (windows, timeZone, epochMs) => withinWindows(windows, timeZone, epochMs);

/** `Mon 14:05` in the site's time zone, for status texts. */
function localLabel(epochMs, timeZone) {
  const { day: d, minute } = localWeekMinute(epochMs, timeZone);
  return `${DAY_NAMES[d]} ${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

function isTimeZone(tz) {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

module.exports = { parseHours, isOpen, localWeekMinute, localLabel, isTimeZone };
