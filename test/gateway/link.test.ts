import { describe, expect, it } from 'vitest';
import { Backoff } from '../../runtime/backoff.ts';
import { LINK_BACKOFF } from '../../runtime/mqtt-link.ts';
import { parseGatewayArgs, parseLoopback } from '../../gateway/cli-args.ts';
import { ConfigError } from '../../config/load.ts';

describe('reconnect backoff', () => {
  it('doubles from 1 s to 30 s and resets', () => {
    const b = new Backoff();
    expect(Array.from({ length: 7 }, () => b.next())).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    b.reset();
    expect(b.next()).toBe(1000);
  });

  it('the MQTT link default: never above 3 s, jittered by up to 20 % below the doubling delay', () => {
    // Random sources at the edges and in between: the delay is d·(1 − 0.2·r).
    const draws = [0, 0.999_999, 0.5, 0.25];
    let i = 0;
    const b = new Backoff(LINK_BACKOFF.minMs, LINK_BACKOFF.maxMs, { jitter: LINK_BACKOFF.jitter, random: () => draws[i++ % draws.length]! });
    const delays = Array.from({ length: 8 }, () => b.next());
    expect(delays).toEqual([1000, 1600, 2700, 2850, 3000, 2400, 2700, 2850]);
    expect(LINK_BACKOFF.maxMs).toBeLessThanOrEqual(3000);

    // With the real random source: every delay within [0.8·d, d], d capped at 3 s, and not all equal.
    const real = new Backoff(LINK_BACKOFF.minMs, LINK_BACKOFF.maxMs, { jitter: LINK_BACKOFF.jitter });
    const many = Array.from({ length: 200 }, () => real.next());
    for (const d of many) expect(d).toBeLessThanOrEqual(3000);
    expect(Math.min(...many.slice(3))).toBeGreaterThanOrEqual(2400);
    expect(new Set(many.slice(3)).size).toBeGreaterThan(1);
  });
});

describe('gateway command line', () => {
  it('parses the flags', () => {
    expect(parseGatewayArgs(['--config', 'a.yaml', '--gateway', 'gw-main', '--sim-control', '127.0.0.1:9100'])).toEqual({
      config: 'a.yaml',
      gateway: 'gw-main',
      simControl: { host: '127.0.0.1', port: 9100 },
      gpio: 'auto',
    });
    expect(parseGatewayArgs(['--config', 'a.yaml', '--gpio', 'fake']).gpio).toBe('fake');
    expect(parseGatewayArgs(['--config', 'a.yaml', '--gpio', 'chardev']).gpio).toBe('chardev');
    expect(() => parseGatewayArgs(['--config', 'a.yaml', '--gpio', 'pigpio'])).toThrow(/--gpio: expected auto, chardev, sysfs or fake/);
    expect(parseLoopback('localhost:0')).toEqual({ host: '127.0.0.1', port: 0 });
  });

  it('refuses anything but loopback for the sim control API', () => {
    for (const v of ['0.0.0.0:9100', '192.168.1.2:80', 'example.org:80', '127.0.0.1:99999', '']) {
      expect(() => parseLoopback(v)).toThrow(ConfigError);
    }
    expect(() => parseGatewayArgs(['--gateway', 'x'])).toThrow(/--config is required/);
    expect(() => parseGatewayArgs(['--config', 'a', '--nope'])).toThrow(ConfigError);
  });
});
