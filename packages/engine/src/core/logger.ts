/** Where the engine writes progress. The engine is silent unless given one (or `verbose`). */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
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
