/** Bench servers take one JSON argument (argv[2]) and print `LISTENING <port>` once they accept connections.
 *  (They are tools, not the product: they read no environment, so src/config stays the only reader of it.) */
export function serverArgs<T>(): T {
  const raw = process.argv[2];
  if (!raw) throw new Error('expected one JSON argument');
  return JSON.parse(raw) as T;
}

export function announce(port: number): void {
  process.stdout.write(`LISTENING ${port}\n`);
}
