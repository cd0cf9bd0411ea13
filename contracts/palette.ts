// What the Node-RED palette takes from the contract. Node-RED loads nodes as plain CommonJS
// without a TypeScript loader, so `npm run build:palette` bundles this file into
// node-red/lib/contract.gen.cjs (TypeBox stays an external require); test/node-red checks
// that the committed bundle is what this source builds. The palette thus validates with the
// very schemas, topic parser and schedule code the services and gateway use.
import type { TSchema } from '@sinclair/typebox';
import { CommandAction, DoorAlarm } from './payloads.ts';

export { TOPIC_ROOT, ID_PATTERN, isValidId, parseTopic, topics } from './topics.ts';
export { PAYLOAD_VERSION, TimeWindow } from './payloads.ts';
export { Ingress } from './ingress.ts';
export { localWeekMinute, withinWindows } from './schedule.ts';
export { HttpError, API_ERRORS, isApiErrorCode } from './errors.ts';
export { ROUTES, routePath } from './routes.ts';

const literals = (s: TSchema): string[] => ((s as { anyOf?: Array<{ const: string }> }).anyOf ?? []).map((x) => x.const);

/** Door command actions, as the contract lists them. */
export const COMMAND_ACTIONS: readonly string[] = literals(CommandAction);
/** Door events that are alarms rather than plain activity. */
export const ALARM_KINDS: readonly string[] = literals(DoorAlarm);
