import pino from 'pino';

/** Structured JSON logs on stdout, one object per line. */
export function createLogger(level: string): pino.Logger {
  return pino({ level, base: { service: 'ip-pledge-ledger' }, timestamp: pino.stdTimeFunctions.isoTime });
}
export type Logger = pino.Logger;
