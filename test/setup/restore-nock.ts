/**
 * nock patches Node's http module process-wide when it is imported, and Jest runs many test files in one worker
 * process with a fresh module registry per file: without this, every file's interceptor stays wrapped around the
 * HTTP requests of every later file in the worker, and a connection reset there is re-emitted by a stale
 * interceptor with no listener, killing the worker. Restoring at the end of each file leaves the next one clean.
 */
afterAll(async () => {
  const { default: nock } = await import('nock');
  nock.cleanAll();
  nock.restore();
});
