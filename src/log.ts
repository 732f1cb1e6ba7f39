import winston from 'winston';

/**
 * The only place that decides what may be logged. An allow-list, not a deny-list: a field that is not
 * named here never reaches the log, so a new field cannot leak a patient id, a token or resource content.
 */
const ALLOWED_FIELDS = new Set([
  'requestId',
  'serviceId',
  'hook',
  'hookInstance',
  'method',
  'route',
  'status',
  'durationMs',
  'observations',
  'fhirCalls',
  'cards',
  'errorClass',
  'errorCode',
  'check',
  'issuer',
  'problems',
  'port',
  'component',
  'count',
  'phase',
  'setting',
  // Why infrastructure failed (the database did not open, a migration failed): written by start-up code from
  // driver errors that never carry request data. Never set from a request's content.
  'reason',
]);

const allowList = winston.format((info) => {
  for (const key of Object.keys(info)) {
    if (key === 'level' || key === 'message' || key === 'timestamp') continue;
    if (!ALLOWED_FIELDS.has(key)) delete info[key];
  }
  return info;
});

const consoleTransport = new winston.transports.Console();

/** One JSON object per line on stdout. `message` is always a fixed text chosen by the code, never data. */
export const logger = winston.createLogger({
  level: 'info',
  format: winston.format.combine(allowList(), winston.format.timestamp(), winston.format.json()),
  transports: [consoleTransport],
});

/** LOG_LEVEL: error, warn, info, debug, or silent (nothing at all). */
export function setLogLevel(level: string): void {
  logger.silent = level === 'silent';
  if (level !== 'silent') logger.level = level;
}

/** Tests switch the console output off (their own capturing transport still receives every line). */
export function setConsoleOutput(enabled: boolean): void {
  consoleTransport.silent = !enabled;
}

export type LogFields = Partial<Record<string, string | number | boolean | undefined>>;
