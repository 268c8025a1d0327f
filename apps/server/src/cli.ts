#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseRerunFrom, runCommand } from './cli/run-command.js';
import { serveCommand } from './cli/serve-command.js';
import { UsageError } from './cli/usage-error.js';
import { workerCommand } from './cli/worker-command.js';
import { redisClusterNodes, redisPrefix } from './config.js';
import { buildOperationCatalog } from './server.js';

const HELP = `Usage:
  fusync run <sequence.json> [--operations <module>] [--input <input.json>] [--redis <url> | --redis-cluster <nodes>] [--prefix <p>] [--json]
            [--save-events <events.json>] [--rerun-from <events.json> [--from failed|<layer>,<layer>]]
      Run a saved sequence: live progress on stderr, then the timeline, graph and
      metrics on stdout. Exit code 1 when the run does not succeed, 2 on bad input.
      Layers run in this process, or through Redis with --redis (--redis-cluster).
      --save-events writes the run's events once it ends ({ "events": [...] }, as
      the studio's Save events does). --rerun-from reruns the run saved there:
      the layers --from names (default \`failed\`: every layer that did not
      succeed) and everything downstream run again, the others are reused with
      their saved results; --input replaces the saved run's input.
  fusync serve [--operations <module>] [--host <host>] [--port <port>] [--redis <url> | --redis-cluster <nodes>] [--prefix <p>]
      Start the HTTP server and studio (also configured by HOST, PORT, REDIS_URL,
      FUSYNC_REDIS_CLUSTER, FUSYNC_REDIS_PREFIX, FUSYNC_TOKEN, FUSYNC_OPERATIONS, …
      environment variables).
  fusync worker (--redis <url> | --redis-cluster <nodes>) [--prefix <p>] [--operations <module>] [--concurrency <n>]
      Run layers of Redis runs until SIGINT/SIGTERM (REDIS_URL or
      FUSYNC_REDIS_CLUSTER also work).

--redis-cluster (or FUSYNC_REDIS_CLUSTER) names a Redis Cluster by seed nodes,
\`host:port,host:port,…\`: a server and its workers use the same cluster.

--prefix (or FUSYNC_REDIS_PREFIX) sets the Redis key prefix, default \`fusync\`:
deployments sharing one Redis use different prefixes; a server and its
workers use the same.

An operations module exports a record of functions, or of
{ execute, description, args }; it adds to the built-in operations
(checkInventory, validateCustomer, reserveInventory, createOrder,
processPayment, wait, flaky, httpRequest) and wins on a name clash.
`;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

function positiveInteger(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < 1)
    throw new UsageError(`Expected ${flag} to be an integer ≥ 1, got \`${raw}\`.`);
  return Number(raw);
}

function latencyScale(): number {
  const raw = process.env.FUSYNC_DEMO_LATENCY_SCALE;
  const value = raw === undefined || raw === '' ? 1 : Number(raw);
  if (!Number.isFinite(value) || value < 0)
    throw new UsageError(`Expected FUSYNC_DEMO_LATENCY_SCALE to be a number ≥ 0, got \`${raw}\`.`);
  return value;
}

async function catalogFor(module: string | undefined) {
  try {
    return await buildOperationCatalog({ latencyScale: latencyScale(), module });
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError((error as Error).message);
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(HELP);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version' || command === '-v') {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      operations: { type: 'string', short: 'o' },
      input: { type: 'string', short: 'i' },
      redis: { type: 'string' },
      'redis-cluster': { type: 'string' },
      prefix: { type: 'string' },
      json: { type: 'boolean' },
      host: { type: 'string' },
      port: { type: 'string' },
      concurrency: { type: 'string' },
      'save-events': { type: 'string' },
      'rerun-from': { type: 'string' },
      from: { type: 'string' },
    },
  });
  const operationsModule = values.operations ?? process.env.FUSYNC_OPERATIONS;
  const prefixFlag = values.prefix ?? process.env.FUSYNC_REDIS_PREFIX;
  const prefix = (): string => {
    try {
      return redisPrefix(
        values.prefix === undefined ? 'FUSYNC_REDIS_PREFIX' : '--prefix',
        prefixFlag,
      );
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  };

  /** Seed nodes from --redis-cluster (or the variable `name`), checked; a bad one is a usage error. */
  const clusterOption = (
    raw: string | undefined,
    name = '--redis-cluster',
  ): string[] | undefined => {
    try {
      return redisClusterNodes(name, raw);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  };

  switch (command) {
    case 'run': {
      const [sequenceFile, extra] = positionals;
      if (sequenceFile === undefined || extra !== undefined)
        throw new UsageError(
          'Usage: fusync run <sequence.json> [--operations <module>] [--input <input.json>] [--redis <url> | --redis-cluster <host:port,…>] [--save-events <file>] [--rerun-from <events.json> [--from <layers>]]',
        );
      const redisCluster = clusterOption(values['redis-cluster']);
      if (values.redis !== undefined && redisCluster)
        throw new UsageError(
          'fusync run got both --redis and --redis-cluster: give one, for one Redis or for a Redis Cluster.',
        );
      const throughRedis = values.redis !== undefined || redisCluster !== undefined;
      const operations = await catalogFor(operationsModule);
      const interrupt = new AbortController();
      process.once('SIGINT', () => interrupt.abort());
      return runCommand({
        sequenceFile,
        operations,
        inputFile: values.input,
        redisUrl: values.redis,
        redisCluster,
        redisPrefix: throughRedis ? prefix() : undefined,
        json: values.json ?? false,
        rerunFrom: values['rerun-from'],
        from: values.from === undefined ? undefined : parseRerunFrom(values.from),
        saveEvents: values['save-events'],
        signal: interrupt.signal,
        stdout: process.stdout,
        stderr: process.stderr,
      });
    }
    case 'serve': {
      const env = { ...process.env };
      if (values.host !== undefined) env.HOST = values.host;
      if (values.port !== undefined) env.PORT = values.port;
      if (values.redis !== undefined) env.REDIS_URL = values.redis;
      if (values['redis-cluster'] !== undefined) env.FUSYNC_REDIS_CLUSTER = values['redis-cluster'];
      if (values.prefix !== undefined) env.FUSYNC_REDIS_PREFIX = values.prefix;
      if (operationsModule !== undefined) env.FUSYNC_OPERATIONS = operationsModule;
      return serveCommand(env);
    }
    case 'worker': {
      const clusterFlag = values['redis-cluster'] !== undefined;
      const cluster = clusterFlag ? values['redis-cluster'] : process.env.FUSYNC_REDIS_CLUSTER;
      const redisUrl = values.redis ?? (clusterFlag ? undefined : process.env.REDIS_URL);
      const redisCluster = clusterOption(
        cluster,
        clusterFlag ? '--redis-cluster' : 'FUSYNC_REDIS_CLUSTER',
      );
      if (redisUrl && redisCluster)
        throw new UsageError(
          'fusync worker got both a Redis URL and a cluster: give --redis <url> (REDIS_URL) for one Redis, or --redis-cluster <host:port,…> (FUSYNC_REDIS_CLUSTER) for a Redis Cluster.',
        );
      if (!redisUrl && !redisCluster)
        throw new UsageError(
          'fusync worker needs --redis <url> (or REDIS_URL), or --redis-cluster <host:port,…> (or FUSYNC_REDIS_CLUSTER).',
        );
      const operations = await catalogFor(operationsModule);
      const concurrency = positiveInteger('--concurrency', values.concurrency);
      return workerCommand({
        ...(redisCluster ? { redisCluster } : { redisUrl }),
        redisPrefix: prefix(),
        operations,
        concurrency,
        stderr: process.stderr,
      });
    }
    default:
      throw new UsageError(`Unknown command \`${command}\`. Run \`fusync --help\`.`);
  }
}

const argv = process.argv.slice(2);
try {
  const code = await main(argv);
  // Long-running commands exit outright once closed: a client library may keep a timer alive.
  if (argv[0] === 'serve' || argv[0] === 'worker') process.exit(code);
  // `run` only sets the code, so piped stdout is flushed before the process ends.
  process.exitCode = code;
} catch (error) {
  const known =
    error instanceof UsageError ||
    (error as { code?: unknown }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION';
  process.stderr.write(
    `fusync: ${known ? (error as Error).message : ((error as Error).stack ?? String(error))}\n`,
  );
  process.exitCode = 2;
}
