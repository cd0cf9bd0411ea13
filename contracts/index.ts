// contracts: the one module gateway, firmware-bridge, services and dashboard all import.
// Node-only pieces (signing) are imported from their own file.
export * from './topics.ts';
export * from './payloads.ts';
export * from './ingress.ts';
export * from './api/index.ts';
export * from './schedule.ts';
export * from './local-time.ts';
