import { IssuedQueue } from '../../src/storage/issued-queue.js';
import type { IssuedCard } from '../../src/storage/feedback-store.js';

const card = (uuid: string): IssuedCard => ({ uuid, serviceId: 'svc', cardKind: 'summary', patientHash: 'h', dataHash: 'd', suggestions: [] });
const uuids = (batches: IssuedCard[][]) => batches.map((b) => b.map((c) => c.uuid));

describe('issued-card write-behind queue', () => {
  test('cards of many calls are written in one batch once the delay has passed', async () => {
    const written: IssuedCard[][] = [];
    const queue = new IssuedQueue({ write: async (cards) => void written.push([...cards]), flushAfterMs: 20 });
    queue.add([card('a1'), card('a2')]);
    queue.add([card('b1')]);
    expect(written).toEqual([]); // the hook call did not wait for the database
    await new Promise((r) => setTimeout(r, 60));
    expect(uuids(written)).toEqual([['a1', 'a2', 'b1']]);
  });

  test('a full batch is written at once, and flush() writes the rest before it resolves', async () => {
    const written: IssuedCard[][] = [];
    const queue = new IssuedQueue({ write: async (cards) => void written.push([...cards]), flushAfterMs: 60_000, maxBatch: 3 });
    queue.add([card('1'), card('2')]);
    queue.add([card('3'), card('4')]);
    queue.add([card('5')]);
    await queue.flush();
    expect(uuids(written)).toEqual([['1', '2', '3', '4'], ['5']]);
    expect(queue.size).toBe(0);
  });

  test('batches are stored in order: a flush resolves only after earlier, slower batches', async () => {
    const stored: string[] = [];
    const queue = new IssuedQueue({
      write: async (cards) => {
        await new Promise((r) => setTimeout(r, cards[0]!.uuid === 'slow' ? 30 : 1));
        stored.push(...cards.map((c) => c.uuid));
      },
      maxBatch: 1,
    });
    queue.add([card('slow')]); // written at once (batch full)
    queue.add([card('fast')]);
    await queue.flush();
    expect(stored).toEqual(['slow', 'fast']);
  });

  test('a failed write is reported with its count and does not block later batches', async () => {
    const losses: Array<[number, string]> = [];
    let fail = true;
    const stored: string[] = [];
    const queue = new IssuedQueue({
      write: async (cards) => {
        if (fail) throw new Error('database down');
        stored.push(...cards.map((c) => c.uuid));
      },
      onLoss: (n, err) => losses.push([n, (err as Error).message]),
    });
    queue.add([card('x'), card('y')]);
    await expect(queue.flush()).resolves.toBeUndefined();
    fail = false;
    queue.add([card('z')]);
    await queue.flush();
    expect(losses).toEqual([[2, 'database down']]);
    expect(stored).toEqual(['z']);
  });

  test('while the database hangs the queue stays bounded: cards beyond maxPending are dropped and counted', async () => {
    const losses: number[] = [];
    const queue = new IssuedQueue({ write: () => new Promise(() => undefined), maxPending: 3, maxBatch: 2, flushAfterMs: 60_000, onLoss: (n) => losses.push(n) });
    queue.add([card('1'), card('2')]); // a full batch: handed to the hanging write
    queue.add([card('3'), card('4')]); // one fits
    queue.add([card('5')]);
    expect(queue.size).toBe(3);
    expect(losses).toEqual([1, 1]);
  });
});
