import { describe, expect, it } from 'vitest';
import { Backoff } from '../../runtime/backoff.ts';
import { parseGatewayArgs, parseLoopback } from '../../gateway/cli-args.ts';
import { ConfigError } from '../../config/load.ts';

describe('reconnect backoff', () => {
  it('doubles from 1 s to 30 s and resets', () => {
    const b = new Backoff();
    expect(Array.from({ length: 7 }, () => b.next())).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    b.reset();
    expect(b.next()).toBe(1000);
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
