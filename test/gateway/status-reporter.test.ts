// The gateway's retained status carries its resident set size (for /api/health), valid by the contract.
import { describe, it, expect } from 'vitest';
import { Value } from '@sinclair/typebox/value';
import { GatewayStatus } from '../../contracts/payloads.ts';
import { StatusReporter, type StatusSource } from '../../gateway/mqtt/status-reporter.ts';

const source: StatusSource = {
  aclVersion: () => 3,
  offlineOnly: () => false,
  lastContact: () => undefined,
  outboxDepth: () => 0,
  outboxBytes: () => 4096,
  outboxDropped: () => 0,
  rejected: () => ({}),
};

describe('gateway status', () => {
  it('reports the RSS it is given, as the contract allows', () => {
    const r = new StatusReporter({ gatewayId: 'gw-main', source, publish: () => undefined, now: () => 1_000, rss: () => 52_428_800 });
    const status = r.online();
    expect(status.rssBytes).toBe(52_428_800);
    expect(Value.Check(GatewayStatus, status)).toBe(true);
    // A last will says nothing of it.
    expect(r.offline()).not.toHaveProperty('rssBytes');
  });

  it("reports this process's RSS by default", () => {
    const status = new StatusReporter({ gatewayId: 'gw-main', source, publish: () => undefined }).online();
    expect(Number.isInteger(status.rssBytes)).toBe(true);
    expect(status.rssBytes).toBeGreaterThan(10 * 1048576);
    expect(Value.Check(GatewayStatus, status)).toBe(true);
  });
});
