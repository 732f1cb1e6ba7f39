/**
 * The real server entry (dist/src/server.js) plus a memory sampler for the soak: on each `sample` message over
 * the IPC channel it runs a full GC (node --expose-gc) and answers process.memoryUsage(), so the soak sees the live
 * heap, not garbage waiting for collection.
 */
const gc = (globalThis as { gc?: () => void }).gc;
process.on('message', (message: unknown) => {
  if (message !== 'sample') return;
  gc?.();
  const m = process.memoryUsage();
  process.send?.({ rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external });
});
await import('../../src/server.js');
export {};
