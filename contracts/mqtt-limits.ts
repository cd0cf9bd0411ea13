// Limits of the MQTT wire that every side enforces alike: the embedded broker (before its parser,
// services/broker/packet-limit.ts), an external Mosquitto (`max_packet_size`, written by
// scripts/lib/mosquitto-config.ts) and every client link (runtime/mqtt-link.ts). Plain data.

/**
 * The largest MQTT packet (whole packet, header included) a broker takes from any client, and a
 * client from its broker; a larger one drops the connection. Fits the largest legitimate payload,
 * a signed access list (~0.5 KB an entry worst case: a few hundred members with card and PIN stay
 * under 0.5 MB).
 */
export const MAX_MQTT_PACKET_BYTES = 1024 * 1024;
