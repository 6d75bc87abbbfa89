import { systemClock, type Clock } from '../concurrency/clock.ts';

/** One line per event, to stderr: `text` for people, `json` for machines. */
export type LogFormat = 'text' | 'json';
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface LoggerOptions {
  format?: LogFormat;
  /** 0 = info and above, 1+ = debug too. */
  verbosity?: number;
  stream?: { write(chunk: string): unknown };
  /** The time of a `json` line. */
  clock?: Clock;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const format = options.format ?? 'text';
  const verbosity = options.verbosity ?? 0;
  const stream = options.stream ?? process.stderr;
  const clock = options.clock ?? systemClock;
  const write = (level: LogLevel, message: string, fields: Record<string, unknown> = {}) => {
    if (level === 'debug' && verbosity < 1) return;
    if (format === 'json') {
      stream.write(
        JSON.stringify({ time: new Date(clock.now()).toISOString(), level, msg: message, ...fields }) + '\n',
      );
      return;
    }
    const extra = Object.entries(fields)
      .map(([key, value]) => `${key}=${typeof value === 'string' && !/\s/.test(value) ? value : JSON.stringify(value)}`)
      .join(' ');
    const prefix = level === 'info' ? '' : `${level}: `;
    stream.write(`${prefix}${message}${extra ? ' ' + extra : ''}\n`);
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}

/** A logger that drops everything, for library callers that do not care. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
