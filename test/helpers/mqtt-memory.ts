// MQTT without a socket: an mqtt.js client talking to an aedes broker over an in-memory duplex
// pair, for the unit tier (test/helpers/unit-guard.ts refuses sockets there). The broker sees a
// connection like any other (credentials, ACLs, retained messages, disconnects).
import { randomUUID } from 'node:crypto';
import { Duplex } from 'node:stream';
import { MqttClient, type IClientOptions } from 'mqtt';
import { wholeReads } from '../../services/broker/whole-reads.ts';

/** Anything that serves MQTT over a stream: the services' `Broker` or a bare aedes. */
export interface StreamBroker {
  handle(stream: Duplex): unknown;
}

/**
 * Two connected duplex streams: what one writes, the other reads (like the two ends of a TCP
 * connection). Delivery is deferred to the next tick, as a socket's would be; ending or
 * destroying one end ends or destroys the other.
 */
export function duplexPair(): [Duplex, Duplex] {
  const ends: Duplex[] = [];
  const make = (peer: () => Duplex): Duplex =>
    new Duplex({
      read() {},
      write(chunk: Buffer, _enc, done) {
        process.nextTick(() => peer().push(chunk));
        done();
      },
      final(done) {
        process.nextTick(() => peer().push(null));
        done();
      },
      destroy(err, done) {
        process.nextTick(() => {
          if (!peer().destroyed) peer().destroy();
        });
        done(err);
      },
    });
  ends.push(
    make(() => ends[1]!),
    make(() => ends[0]!),
  );
  return [ends[0]!, ends[1]!];
}

/**
 * An mqtt.js client connected to `broker` over an in-memory pair. Resolves on CONNACK, rejects
 * like `connectAsync` does when the broker refuses (the error's `code` is the return code).
 * Never reconnects: a client the broker drops stays closed.
 */
export function connectInMemory(broker: StreamBroker, opts: IClientOptions = {}): Promise<MqttClient> {
  const client = new MqttClient(
    () => {
      const [clientEnd, brokerEnd] = duplexPair();
      // As the services' Broker does for every stream (a bare aedes on Node 26 would stall on a
      // CONNECT split over two chunks); wrapping twice is harmless.
      broker.handle(wholeReads(brokerEnd));
      return clientEnd;
    },
    { protocolVersion: 4, clientId: `mem-${randomUUID().slice(0, 8)}`, ...opts, reconnectPeriod: 0 },
  );
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => {
      client.off('connect', onConnect);
      client.end(true);
      reject(err);
    };
    const onConnect = () => {
      client.off('error', onError);
      resolve(client);
    };
    client.once('error', onError);
    client.once('connect', onConnect);
  });
}
