/**
 * Records the outcome of one attempt exactly once.
 *
 * KEYS[1] done hash of the run
 * KEYS[2] inputs stream of the run
 * ARGV[1] field `<layer>:<attempt>`
 * ARGV[2] the outcome, JSON
 *
 * Output: 1 when recorded now, 0 when it was recorded before (a redelivered job).
 */
export const RECORD_OUTCOME = `
if redis.call('HSETNX', KEYS[1], ARGV[1], 1) == 1 then
  redis.call('XADD', KEYS[2], '*', 'd', ARGV[2])
  return 1
end
return 0
`;

/**
 * Takes or renews the lease of a run's coordinator.
 *
 * KEYS[1] lease key
 * ARGV[1] owner id
 * ARGV[2] time to live, ms
 *
 * Output: 1 when `owner` holds the lease now, 0 when another owner does.
 */
export const TAKE_LEASE = `
local holder = redis.call('GET', KEYS[1])
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
