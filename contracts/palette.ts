// What the Node-RED palette takes from the contract. Node-RED loads nodes as plain CommonJS
// without a TypeScript loader, so `npm run build:palette` bundles this file into
// node-red/lib/contract.gen.cjs (TypeBox stays an external require); test/node-red checks
// that the committed bundle is what this source builds. The palette thus validates with the
// very schemas, topic parser and schedule code the services and gateway use.
export { TOPIC_ROOT, ID_PATTERN, AUTOMATION_SERVICE_ID, isValidId, parseTopic, topics } from './topics.ts';
export { PAYLOAD_VERSION, TimeWindow } from './payloads.ts';
export { Ingress } from './ingress.ts';
export { localWeekMinute, withinWindows } from './schedule.ts';
/** Door command actions, and door events that are alarms rather than plain activity. */
export { COMMAND_ACTIONS, ALARM_KINDS } from './payloads.ts';
/** Which refusals count as "denied attempts" (unknown cards and PINs, not a known member refused). */
export { isDeniedAttempt } from './payloads.ts';
/** The one MQTT link of gateway and services (no-delay, backoff, resubscribe on connect). */
export { MqttLink } from '../runtime/mqtt-link.ts';
export { HttpError, API_ERRORS, isApiErrorCode } from './errors.ts';
export { ROUTES, routePath } from './routes.ts';
/** What an alert says (title and text) in the site's alert language: the services' channels use the same words. */
export { alertText, ALERT_WORDS } from './alert-words.ts';
