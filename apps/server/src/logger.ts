/** Where the server writes what it does: request lines, start-up, failures. */
export interface ServerLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Writes nothing (tests, embedding). */
export const silentServerLogger: ServerLogger = { info() {}, warn() {}, error() {} };

/** One JSON object per line: `{"time":…,"level":"info","msg":…,…fields}`. */
export function jsonLinesLogger(
  write: (line: string) => void = (line) => process.stdout.write(line),
): ServerLogger {
  const log =
    (level: 'info' | 'warn' | 'error') =>
    (message: string, fields: Record<string, unknown> = {}): void => {
      write(
        `${JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...fields })}\n`,
      );
    };
  return { info: log('info'), warn: log('warn'), error: log('error') };
}
