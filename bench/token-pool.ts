import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { BenchSigner } from './tokens.js';

/**
 * Fresh tokens for a load run. Signing costs the client 0.4–0.9 ms per token, which would compete with autocannon
 * for the client's core, so tokens are signed before the run (in worker threads, on every core, while nothing
 * is being measured) and handed out one per request. If a run outlasts its pool, further tokens are signed on
 * the spot and counted, so the report can say so.
 */
export class TokenPool {
  private index = 0;
  /** Tokens signed during the run because the pool ran out. */
  signedDuringRun = 0;

  private constructor(
    private readonly tokens: string[],
    private readonly signer: BenchSigner,
    private readonly aud: string,
  ) {}

  static async create(signer: BenchSigner, aud: string, size: number): Promise<TokenPool> {
    const workers = Math.max(1, availableParallelism());
    const share = Math.ceil(size / workers);
    const script = fileURLToPath(new URL('./token-worker.js', import.meta.url));
    const parts = await Promise.all(
      Array.from({ length: workers }, () =>
        new Promise<string[]>((resolve, reject) => {
          const worker = new Worker(script, { workerData: { alg: signer.alg, iss: signer.iss, pem: signer.privatePem, aud, count: share } });
          worker.once('message', (tokens: string[]) => resolve(tokens));
          worker.once('error', reject);
        }),
      ),
    );
    return new TokenPool(parts.flat(), signer, aud);
  }

  get size(): number {
    return this.tokens.length;
  }

  /** Starts handing out from the first token again (for another process, which has not seen them). */
  rewind(): this {
    this.index = 0;
    this.signedDuringRun = 0;
    return this;
  }

  next(): string {
    const token = this.tokens[this.index++];
    if (token !== undefined) return token;
    this.signedDuringRun++;
    return this.signer.token(this.aud);
  }
}
