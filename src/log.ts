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
  'check',
  'issuer',
  'problems',
  'port',
  'component',
  'count',
  'phase',
  'setting',
]);

const allowList = winston.format((info) => {
  for (const key of Object.keys(info)) {
    if (key === 'level' || key === 'message' || key === 'timestamp') continue;
    if (!ALLOWED_FIELDS.has(key)) delete info[key];
  }
  return info;
});

export const logger = winston.createLogger({
  level: 'info',
  format: winston.format.combine(allowList(), winston.format.timestamp(), winston.format.json()),
  transports: [new winston.transports.Console()],
});

export function setLogLevel(level: string): void {
  logger.level = level;
}

export type LogFields = Partial<Record<string, string | number | boolean | undefined>>;
