import type { MiddlewareHandler } from 'hono';
import { ApiError } from './api-error.js';

/** Host names of this machine's loopback interface. */
export const LOOPBACK_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '::1', '[::1]'];

function hostnameOf(host: string): string {
  // `[::1]:3000` keeps its brackets; `localhost:3000` loses the port.
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1).toLowerCase();
  return host.replace(/:\d+$/, '').toLowerCase();
}

/**
 * Refuses requests whose `Host` is not one of `allowed`. A server bound to
 * loopback without a token uses it against DNS rebinding: a web page whose
 * domain re-resolves to 127.0.0.1 would otherwise be "same origin" with it.
 */
export function hostGuard(allowed: readonly string[]): MiddlewareHandler {
  const hosts = new Set(allowed.map((host) => host.toLowerCase()));
  return async (c, next) => {
    const host = c.req.header('host') ?? new URL(c.req.url).host;
    if (!hosts.has(hostnameOf(host))) {
      throw new ApiError(
        'FORBIDDEN_HOST',
        `Requests for host \`${host}\` are not accepted; add it to FUSYNC_ALLOWED_HOSTS to allow it.`,
      );
    }
    await next();
  };
}
