/**
 * Where the engine writes progress. The engine is silent unless given one (or
 * `verbose`). `fields` repeat what the message names (run, layer, attempt,
 * key, error) for loggers that write structured lines; the message alone
 * reads whole.
 */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** A logger that drops everything: the default. */
export const silentLogger: Logger = {
  info() {},
  warn() {},
  error() {},
};

/** A logger that writes to the console; what `verbose: true` uses. */
export const consoleLogger: Logger = {
  info: (message) => console.log(message),
  warn: (message) => console.warn(message),
  error: (message) => console.error(message),
};
