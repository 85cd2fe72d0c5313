import pino, { type Logger } from 'pino';

/**
 * Structured JSON logs. Personal data (names, document numbers, dates of birth) never goes into a log line at the
 * default level: log record ids and counts instead.
 */
export function createLogger(name: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    name,
    level,
    redact: {
      paths: ['req.headers.authorization', 'req.headers["x-gateway-secret"]', '*.client_secret'],
      remove: true,
    },
  });
}

export type { Logger };
