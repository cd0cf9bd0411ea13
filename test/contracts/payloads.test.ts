import { describe, it, expect } from 'vitest';
import { Value } from '@sinclair/typebox/value';
import {
  ACCESS_REASONS,
  ACCESS_VIAS,
  ALARM_KINDS,
  COMMAND_ACTIONS,
  DOOR_EVENT_KINDS,
  AccessReason,
  AccessVia,
  CommandAction,
  DoorAlarm,
  DoorEventKind,
} from '../../contracts/payloads.ts';

describe('payload vocabularies', () => {
  it('each schema accepts exactly the words of its list', () => {
    const pairs = [
      [AccessReason, ACCESS_REASONS],
      [AccessVia, ACCESS_VIAS],
      [DoorAlarm, ALARM_KINDS],
      [DoorEventKind, DOOR_EVENT_KINDS],
      [CommandAction, COMMAND_ACTIONS],
    ] as const;
    for (const [schema, list] of pairs) {
      for (const word of list) expect(Value.Check(schema, word)).toBe(true);
      expect(Value.Check(schema, 'not-a-word')).toBe(false);
      expect(schema.anyOf.map((x) => x.const)).toEqual([...list]);
    }
  });

  it('every alarm is also a door event kind', () => {
    for (const a of ALARM_KINDS) expect(DOOR_EVENT_KINDS).toContain(a);
  });
});
