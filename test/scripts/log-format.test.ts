import { describe, it, expect } from 'vitest';
import { formatLogLine } from '../../scripts/lib/log-format.ts';

describe('formatLogLine', () => {
  it('turns a pino line into time, label, level, message and fields', () => {
    const time = new Date(2026, 10, 26, 6, 12, 3).getTime();
    const text = JSON.stringify({ level: 40, time, pid: 1, proc: 'gw-main', msg: 'mqtt disconnected', retryInMs: 2000, err: { message: 'ECONNREFUSED' } });
    const out = formatLogLine({ proc: 'gw-main', stream: 'stdout', text, json: JSON.parse(text) }, false);
    expect(out).toBe('06:12:03 gw-main   WARN  mqtt disconnected  retryInMs=2000 err="ECONNREFUSED"');
  });

  it('passes plain text through with a label', () => {
    const out = formatLogLine({ proc: 'sim', stream: 'stdout', text: '[07:30] jonas taps at front: granted' }, false);
    expect(out).toMatch(/^\d\d:\d\d:\d\d sim {7}\[07:30\] jonas taps at front: granted$/);
  });
});
