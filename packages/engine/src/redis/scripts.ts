/**
 * Sends the outcome of one attempt to the run's coordinator, exactly once
 * (a worker in a process other than the coordinator's).
 *
 * KEYS[1] done hash of the run
 * KEYS[2] mail stream of the run
 * ARGV[1] field `<layer>:<attempt>`
 * ARGV[2] the outcome, JSON
 * ARGV[3] on a Redis Cluster, the mail channel ('' otherwise): it hears the mail
 *         stream's key, then — for an outcome of at most 4096 bytes — the id of
 *         the entry before, the new entry's id and the outcome, one per line
 *
 * Output: the new mail entry's id when recorded now, 0 when it was recorded
 * before (a redelivered job).
 */
export const RECORD_OUTCOME = `
if redis.call('HSETNX', KEYS[1], ARGV[1], 1) == 1 then
  if ARGV[3] == '' then
    return redis.call('XADD', KEYS[2], '*', 'd', ARGV[2])
  end
  local top = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)
  local before = top[1] and top[1][1] or '0-0'
  local id = redis.call('XADD', KEYS[2], '*', 'd', ARGV[2])
  if string.len(ARGV[2]) <= 4096 then
    redis.call('PUBLISH', ARGV[3], KEYS[2] .. '\\n' .. before .. '\\n' .. id .. '\\n' .. ARGV[2])
  else
    redis.call('PUBLISH', ARGV[3], KEYS[2])
  end
  return id
end
return 0
`;

/**
 * Takes or renews the lease of a run's coordinator. A coordinator whose
 * lease lapsed takes it back only if nobody wrote the run's log meanwhile.
 *
 * KEYS[1] lease key
 * KEYS[2] inputs log of the run
 * ARGV[1] owner id
 * ARGV[2] time to live, ms
 * ARGV[3] '' to take the run (a coordinator starting or taking it over); to
 *         renew, the id of the last log entry this owner knows written
 *
 * Output: 1 when `owner` holds the lease now, 0 otherwise.
 */
export const TAKE_LEASE = `
local holder = redis.call('GET', KEYS[1])
if holder == false and ARGV[3] ~= '' then
  local top = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)
  local last = top[1] and top[1][1] or '0-0'
  if last ~= ARGV[3] then
    return 0
  end
end
if holder == false or holder == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
`;

/**
 * Releases a lease if `owner` still holds it.
 *
 * KEYS[1] lease key
 * ARGV[1] owner id
 *
 * Output: 1 when released, 0 otherwise.
 */
export const RELEASE_LEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;

/**
 * What a coordinator writes after applying inputs, in one atomic step: the
 * inputs, appended to the run's log, the events they produced, and the
 * attempts now recorded — only while the run is still its own: nobody else
 * holds the lease and the log ends where this coordinator last wrote it.
 * A write repeated after a lost reply finds its entries there and is done.
 *
 * KEYS[1] lease key
 * KEYS[2] inputs log (stream)
 * KEYS[3] events stream
 * KEYS[4] done hash
 * ARGV[1] owner id
 * ARGV[2] the id of the last log entry the owner knows written ('0-0': none)
 * ARGV[3] the id of the last entry of this write (ARGV[2] when it has none)
 * ARGV[4] the logged channel ('' to publish nothing), which hears ARGV[5] once written
 * ARGV[5] `<run id>\n<id of the last mail entry this write logs>`
 * ARGV[6] n, the number of log entries; then n triples: entry id, input JSON, mail id (or '')
 * then    the events entry id (or '') and its JSON (or '')
 * then    the `done` fields to set (outcomes handed over in the coordinator's process: those
 *         that came by mail are set already, by `RECORD_OUTCOME`)
 *
 * Output: 1 when written (or found written), 0 when the run is not the owner's any more.
 */
export const WRITE_RUN = `
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then
  return 0
end
local top = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)
local last = top[1] and top[1][1] or '0-0'
if last ~= ARGV[2] then
  if last == ARGV[3] then
    return 1
  end
  return 0
end
local n = tonumber(ARGV[6])
local at = 7
for i = 1, n do
  if ARGV[at + 2] == '' then
    redis.pcall('XADD', KEYS[2], ARGV[at], 'd', ARGV[at + 1])
  else
    redis.pcall('XADD', KEYS[2], ARGV[at], 'd', ARGV[at + 1], 'm', ARGV[at + 2])
  end
  at = at + 3
end
if ARGV[at] ~= '' then
  redis.pcall('XADD', KEYS[3], ARGV[at], 'e', ARGV[at + 1])
end
for i = at + 2, #ARGV do
  redis.call('HSET', KEYS[4], ARGV[i], 1)
end
if ARGV[4] ~= '' then
  redis.call('PUBLISH', ARGV[4], ARGV[5])
end
return 1
`;

/**
 * Appends an input to a run's mail stream and, on a Redis Cluster, rings the
 * mail channel with the stream's key — on the run's own node, in one step.
 *
 * KEYS[1] mail stream of the run
 * ARGV[1] the input, JSON
 * ARGV[2] the mail channel ('' on one Redis: nobody listens)
 */
export const SEND_MAIL = `
redis.call('XADD', KEYS[1], '*', 'd', ARGV[1])
if ARGV[2] ~= '' then
  redis.call('PUBLISH', ARGV[2], KEYS[1])
end
return 1
`;

/**
 * Publishes on the node of `KEYS[1]` (a key of the run the message is about).
 * A bare PUBLISH names no key: on an auto-pipelined Cluster connection it is
 * grouped with the commands of the node owning the channel name's slot, but
 * sent to a node picked at random — one that does not answer then holds up
 * every later command of that other node. Routed by the run's key, it can
 * only wait on the node the run waits on anyway.
 *
 * KEYS[1] any key of the run
 * ARGV[1] channel
 * ARGV[2] message
 */
export const PUBLISH_AT = `
return redis.call('PUBLISH', ARGV[1], ARGV[2])
`;
