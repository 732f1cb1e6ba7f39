/** The in-memory jti store: a token is accepted once within its lifetime; memory stays bounded. */
import { MemoryReplayStore } from '../../src/auth/replay-store.js';

test('the same (iss, jti) is refused until it expires, then forgotten', async () => {
  let now = 1_000_000;
  const store = new MemoryReplayStore(10, () => now);
  const exp = new Date(now + 300_000);
  await expect(store.markSeen('a', 'https://ehr', exp)).resolves.toBe(true);
  await expect(store.markSeen('a', 'https://ehr', exp)).resolves.toBe(false);
  await expect(store.markSeen('a', 'https://other-ehr', exp)).resolves.toBe(true); // jti is unique per issuer
  now += 300_001;
  await expect(store.markSeen('a', 'https://ehr', new Date(now + 300_000))).resolves.toBe(true);
});

test('bounded: expired entries are purged first, then the oldest is dropped', async () => {
  let now = 0;
  const store = new MemoryReplayStore(3, () => now);
  await store.markSeen('old-1', 'i', new Date(10));
  await store.markSeen('old-2', 'i', new Date(10));
  await store.markSeen('live', 'i', new Date(1000));
  now = 20; // old-1, old-2 expired
  await store.markSeen('new-1', 'i', new Date(1000));
  expect(store.size).toBe(2);
  await store.markSeen('new-2', 'i', new Date(1000));
  await store.markSeen('new-3', 'i', new Date(1000)); // full of live entries: 'live' (oldest) is dropped
  expect(store.size).toBe(3);
  await expect(store.markSeen('new-3', 'i', new Date(1000))).resolves.toBe(false);
});

test('expired entries are dropped from the front as calls arrive; one behind a longer-lived token waits, blocking nothing', async () => {
  let now = 0;
  const store = new MemoryReplayStore(100, () => now);
  await store.markSeen('long', 'i', new Date(1000)); // an issuer with a longer token lifetime
  await store.markSeen('short', 'i', new Date(10));
  now = 20;
  await store.markSeen('next', 'i', new Date(1000));
  expect(store.size).toBe(3); // 'short' expired but sits behind 'long'
  await expect(store.markSeen('short', 'i', new Date(1000))).resolves.toBe(true); // its expiry still counts
  now = 1001;
  await store.markSeen('later', 'i', new Date(2000));
  expect(store.size).toBe(1); // everything before 'later' had expired
});
