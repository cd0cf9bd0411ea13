// Logging for the Node processes: pino, JSON lines on stdout. Fixed messages, context in fields
// (STYLE.md §5). Never log a card UID, a password or a secret. Plumbing, not a contract: it
// lives in runtime/ with the lifecycle and the MQTT link that gateway and services share.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(name: string, level = process.env.SMARTSPACE_LOG_LEVEL ?? 'info'): Logger {
  return pino({
    name,
    level,
    base: { proc: name },
    redact: { paths: ['password', '*.password', 'uid', '*.uid', 'secret', '*.secret', 'key', '*.key'], censor: '[redacted]' },
  });
}
