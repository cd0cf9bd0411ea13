// A gateway's device as the services send it (contracts/api.ts DeviceView), for component tests.
import type { DeviceView } from '../../contracts/api/index.ts';
import { T0 } from './fixtures.ts';

export function device(over: Partial<DeviceView> = {}): DeviceView {
  return {
    id: 'front-reader',
    gateway: 'gw-main',
    kind: 'card-reader',
    state: 'ok',
    since: T0 - 3600_000,
    error: null,
    firmware: 'RDM6300 sim 1.0',
    lastSeen: T0 - 60_000,
    reportedAt: T0 - 60_000,
    dropped: 0,
    droppedBytes: 0,
    door: 'front',
    desk: null,
    ...over,
  };
}

/** The front door's reader in fault since `since`, as the gateway words it. */
export function faultyReader(since: number, error = 'no frames for 30 s'): DeviceView {
  return device({ state: 'fault', since, error });
}
