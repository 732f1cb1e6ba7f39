import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time per thread of a process, from /proc (Linux): lets the benchmark say where a call's CPU goes — on the
 * event loop, or on the process's other threads (libuv's pool running WebCrypto, V8's garbage collector, our
 * database thread) — and how much the load generator itself used. Elsewhere it answers undefined and the columns
 * stay empty.
 */
export type ThreadTimes = Map<number, number>;

const TICK_MS = 10; // USER_HZ is 100 on Linux

export function threadTimes(pid: number): ThreadTimes | undefined {
  try {
    const times: ThreadTimes = new Map();
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      times.set(Number(tid), (Number(fields[11]) + Number(fields[12])) * TICK_MS);
    }
    return times;
  } catch {
    return undefined;
  }
}

/** CPU ms per call between two snapshots: the main thread (tid = pid) and all other threads together. */
export function cpuPerCall(pid: number, before: ThreadTimes | undefined, after: ThreadTimes | undefined, calls: number): { main: number; other: number } | undefined {
  if (!before || !after || calls <= 0) return undefined;
  let main = 0;
  let other = 0;
  for (const [tid, ms] of after) {
    const used = ms - (before.get(tid) ?? 0);
    if (tid === pid) main += used;
    else other += used;
  }
  return { main: main / calls, other: other / calls };
}
