import { parentPort, workerData } from 'node:worker_threads';
import { createSigner, type BenchAlg } from './tokens.js';

/** Signs `count` fresh tokens with the given key and posts them back (see token-pool.ts). */
const data = workerData as { alg: BenchAlg; iss: string; pem: string; aud: string; count: number };
const signer = createSigner(data.alg, data.iss, data.pem);
const tokens: string[] = [];
for (let i = 0; i < data.count; i++) tokens.push(signer.token(data.aud));
parentPort?.postMessage(tokens);
