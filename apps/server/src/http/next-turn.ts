/**
 * Resolves at the event loop's next turn, after the I/O waiting there. A
 * request whose work on a large body takes long steps awaits it between
 * steps, so other requests (`/api/health` among them) are answered meanwhile.
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
