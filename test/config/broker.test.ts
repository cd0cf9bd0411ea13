// broker.external and broker.url at load time, and the names clients use on an external broker.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { parseSiteConfig, ConfigError } from '../../config/load.ts';
import { gatewayMqttUsername, isExternalBroker, parseBrokerUrl, servicesClientId } from '../../config/broker.ts';

const DEMO = new URL('../../config/demo/site.yaml', import.meta.url).pathname;
const demoRaw = () => parse(readFileSync(DEMO, 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('broker config', () => {
  it('is embedded by default; gateways keep gateway:<id> there', () => {
    const c = parseSiteConfig(demoRaw(), '/tmp');
    expect(c.broker.external).toBe(false);
    expect(isExternalBroker(c)).toBe(false);
    expect(gatewayMqttUsername(c, 'gw-main')).toBe('gateway:gw-main');
  });

  it('external: true is an external broker; gateways log in as gateway.<id>, the services with a fixed id', () => {
    const raw = demoRaw();
    raw.broker = { url: 'mqtt://127.0.0.1:1883', external: true };
    const c = parseSiteConfig(raw, '/tmp');
    expect(isExternalBroker(c)).toBe(true);
    expect(gatewayMqttUsername(c, 'gw-main')).toBe('gateway.gw-main');
    expect(servicesClientId(c.site.id)).toBe('smartspace-services-klitmoller');
  });

  it('a malformed or contradictory broker URL fails at load, naming broker.url', () => {
    for (const url of [
      'mqtt://:1883',
      'mqtt://',
      'mqtt://host:0',
      'mqtt://host:99999',
      'mqtt://user:pw@host:1883',
      'mqtt://host:1883/some/path',
      'mqtt://a b',
    ]) {
      for (const external of [true, false]) {
        const raw = demoRaw();
        raw.broker = { url, external };
        const e = errorOf(() => parseSiteConfig(raw, '/tmp'));
        expect(e.key, url).toBe('broker.url');
        expect(e.message).toMatch(/^broker\.url: /);
        if (external) expect(e.message).toContain('the services connect there too');
      }
    }
    const raw = demoRaw();
    raw.broker = { url: 'http://127.0.0.1:1883', external: true };
    expect(errorOf(() => parseSiteConfig(raw, '/tmp')).key).toBe('broker.url');
  });

  it('names broker.external when it is not a boolean', () => {
    const raw = demoRaw();
    raw.broker = { url: 'mqtt://127.0.0.1:1883', external: 'yes' };
    const e = errorOf(() => parseSiteConfig(raw, '/tmp'));
    expect(e.key).toBe('broker.external');
    expect(e.message).toBe('broker.external: expected boolean');
  });

  it('parses the URL forms the clients accept', () => {
    expect(parseBrokerUrl('mqtt://127.0.0.1')).toEqual({ protocol: 'mqtt', host: '127.0.0.1', port: 1883, path: '/' });
    expect(parseBrokerUrl('mqtts://broker.example')).toMatchObject({ port: 8883 });
    expect(parseBrokerUrl('ws://[::1]:9001/mqtt')).toEqual({ protocol: 'ws', host: '::1', port: 9001, path: '/mqtt' });
    expect(parseBrokerUrl('wss://b.example/mqtt')).toMatchObject({ port: 443 });
  });
});
