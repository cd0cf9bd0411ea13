// The gateway's one MQTT connection: the shared link (runtime/mqtt-link.ts: no-delay, backoff,
// fresh will, resubscribe on connect) plus the sender the outbox uses, which takes QoS and
// retain from the stored topic's row in the contract's topic table.
import { MqttLink as Link } from '../../runtime/mqtt-link.ts';
import { deliveryOf } from '../../contracts/topics.ts';

export type { MqttLinkOptions } from '../../runtime/mqtt-link.ts';

export class MqttLink extends Link {
  /** Sender for the outbox: mqtt.js calls back on PUBACK (QoS 1) or once written (QoS 0). */
  readonly sendStored = (topic: string, payload: string, done: (err?: Error) => void): void => {
    const d = deliveryOf(topic);
    if (!d) return done(new Error(`not a contract topic: ${topic}`));
    this.send({ topic, payload, ...d }, done);
  };
}
