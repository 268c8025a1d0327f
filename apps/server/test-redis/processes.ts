/**
 * The built server and worker as real processes (`node dist/main.js`,
 * `node dist/cli.js worker`), for tests that kill and restart them. The
 * root `pnpm test` builds before testing; run `pnpm build` first when
 * running this package's tests alone.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
export const SERVER_MAIN = `${DIST}main.js`;
export const CLI = `${DIST}cli.js`;

/** A child process of a test, with what it printed so far. */
export interface Child {
  readonly process: ChildProcess;
  output(): string;
  /** Sends `signal` (SIGTERM by default) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

function assertBuilt(): void {
  for (const file of [SERVER_MAIN, CLI]) {
    if (!existsSync(file))
      throw new Error(
        `${file} is missing: build the server first (\`pnpm build\` at the repository root).`,
      );
  }
}

/**
 * Starts node processes for the calling test file and stops (SIGKILL) any
 * still running after each test, so a failing test leaves nothing behind.
 */
export function useProcesses() {
  const started = new Set<ChildProcess>();
  afterEach(async () => {
    await Promise.all(
      [...started].map(async (child) => {
        if (child.exitCode === null && child.signalCode === null) {
          const exited = once(child, 'exit');
          child.kill('SIGKILL');
          await exited;
        }
      }),
    );
    started.clear();
  });

  function start(args: string[], env: NodeJS.ProcessEnv): Child {
    assertBuilt();
    const child = spawn(process.execPath, args, {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    started.add(child);
    let text = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    return {
      process: child,
      output: () => text,
      async stop(signal: NodeJS.Signals = 'SIGTERM') {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = once(child, 'exit');
        child.kill(signal);
        await exited;
      },
    };
  }

  /** Resolves once the child printed something matching `pattern`; rejects if it exits first. */
  function waitFor(child: Child, pattern: RegExp): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const match = child.output().match(pattern);
        if (match) {
          cleanup();
          resolve(match);
        }
      };
      const onExit = (): void => {
        cleanup();
        reject(new Error(`The process exited before printing ${pattern}:\n${child.output()}`));
      };
      const cleanup = (): void => {
        child.process.stdout?.off('data', check);
        child.process.stderr?.off('data', check);
        child.process.off('exit', onExit);
      };
      child.process.stdout?.on('data', check);
      child.process.stderr?.on('data', check);
      child.process.once('exit', onExit);
      check();
    });
  }

  return {
    /** `node args…` with `env`, stopped after the test. */
    start,
    waitFor,
    /** `node dist/main.js` with `env`; resolves once it listens, with its URL. */
    async server(env: NodeJS.ProcessEnv): Promise<Child & { url: string }> {
      const child = start([SERVER_MAIN], env);
      const [, url] = await waitFor(child, /"msg":"listening","url":"([^"]+)"/);
      return { ...child, url: url as string };
    },
    /** `node dist/cli.js worker --redis <url>`; resolves once it has started. */
    async worker(redisUrl: string, env: NodeJS.ProcessEnv = {}): Promise<Child> {
      const child = start([CLI, 'worker', '--redis', redisUrl], env);
      await waitFor(child, /fusync worker \S+ started/);
      return child;
    },
  };
}
