// The HTTP API's shapes, one file per resource: shared by the services (route schemas, via the
// route catalogue contracts/routes.ts) and the dashboard (types only: `import type`, so TypeBox
// stays out of the browser bundle). Error codes are contracts/errors.ts.
export * from './common.ts';
export * from './auth.ts';
export * from './site.ts';
export * from './doors.ts';
export * from './events.ts';
export * from './devices.ts';
export * from './members.ts';
export * from './plans.ts';
export * from './bookings.ts';
export * from './credentials.ts';
export * from './enrolment.ts';
export * from './audit.ts';
export * from './analytics.ts';
export * from './me.ts';
export * from './alerts.ts';
export * from './sensors.ts';
export * from './live.ts';
export * from './public.ts';
export * from './webhooks.ts';
export * from './network.ts';
