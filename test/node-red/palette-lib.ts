// The palette's plain-JS libraries, typed for the tests (Node-RED loads them as CommonJS).
import { createRequire } from 'node:module';
import type { TimeWindow } from '../../contracts/payloads.ts';
import type { Ingress } from '../../contracts/ingress.ts';

const require = createRequire(import.meta.url);

export const contractLib = require('../../node-red/lib/contract.js') as {
  EVENT_TYPES: string[];
  ALARM_KINDS: string[];
  COMMAND_ACTIONS: string[];
  PAYLOAD_VERSION: number;
  TOPIC_ROOT: string;
  parseTopic(topic: string): { site: string; kind: string; id: string } | null;
  Ingress: typeof Ingress;
  toEvent(msg: { kind: string; id: string; payload: unknown }): { type: string; id: string } | null;
};

export const hoursLib = require('../../node-red/lib/hours.js') as {
  parseHours: (text: string) => TimeWindow[];
  isOpen: (windows: TimeWindow[], timeZone: string, epochMs: number) => boolean;
  localWeekMinute: (epochMs: number, timeZone: string) => { day: number; minute: number };
};
