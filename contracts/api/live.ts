// The live stream (`GET /api/live`, Server-Sent Events): one JSON message per `data:` line, a
// snapshot first, then one message per change, each rendered for its viewer.
import { Type, type Static } from '@sinclair/typebox';
import { DoorView } from './doors.ts';
import { DeskView } from './site.ts';
import { EventView } from './events.ts';
import { GatewayView, DeviceView } from './devices.ts';
import { EnrolmentView } from './enrolment.ts';
import { AlertView } from './alerts.ts';

const message = <T extends string, P extends Parameters<typeof Type.Object>[0]>(type: T, props: P) => Type.Object({ type: Type.Literal(type), ...props });

export const LiveSnapshot = message('snapshot', {
  doors: Type.Array(DoorView),
  desks: Type.Array(DeskView),
  events: Type.Array(EventView),
  gateways: Type.Array(GatewayView),
  /** Only for hosts and operators. */
  devices: Type.Optional(Type.Array(DeviceView)),
  /** Active alerts; only for hosts and operators. */
  alerts: Type.Optional(Type.Array(AlertView)),
});
export const LiveDoor = message('door', { door: DoorView });
export const LiveDesk = message('desk', { desk: DeskView });
export const LiveEvent = message('event', { event: EventView });
export const LiveGateway = message('gateway', { gateway: GatewayView });
/** A device's health changed (or its gateway went on- or offline); hosts and operators only. */
export const LiveDevice = message('device', { device: DeviceView });
/** Card enrolment progress; hosts and operators only. */
export const LiveEnrolment = message('enrolment', { enrolment: EnrolmentView });

/** An alert raised, counted, cleared, acknowledged or delivered; hosts and operators only. */
export const LiveAlert = message('alert', { alert: AlertView });

export const LiveMessage = Type.Union([LiveSnapshot, LiveDoor, LiveDesk, LiveEvent, LiveGateway, LiveDevice, LiveEnrolment, LiveAlert]);
export type LiveMessage = Static<typeof LiveMessage>;
/** What a message after the snapshot is about. */
export type LiveChange = Exclude<LiveMessage['type'], 'snapshot'>;
