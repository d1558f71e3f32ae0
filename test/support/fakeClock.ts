// A clock whose time only moves when the test says so. `runUntil` interleaves real I/O (file
// writes, streams) with jumps to the next pending timer, so engine tests never sleep.
import { abortError, Clock } from '../../src/jobs/clock';

interface Timer {
  at: number;
  resolve: () => void;
}

export class FakeClock implements Clock {
  private time = 1_700_000_000_000;
  private timers: Timer[] = [];

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(abortError());
      const onAbort = () => {
        this.timers = this.timers.filter((t) => t !== timer);
        reject(abortError());
      };
      const timer: Timer = {
        at: this.time + Math.max(0, ms),
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      this.timers.push(timer);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Fires timers in time order until `done` resolves; real I/O gets a chance between jumps. */
  async runUntil<T>(done: Promise<T>, limitMs = 24 * 3600_000): Promise<T> {
    let settled = false;
    const result = done.finally(() => (settled = true));
    const deadline = this.time + limitMs;
    while (!settled) {
      await settleIo();
      if (settled) break;
      if (this.timers.length === 0) continue;
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers.shift()!;
      if (next.at > deadline) throw new Error('fake clock passed its limit');
      this.time = Math.max(this.time, next.at);
      next.resolve();
    }
    return result;
  }

  /** Moves time on without firing timers: a window whose event loop stalled (or that was suspended). */
  skip(ms: number): void {
    this.time += ms;
  }
}

/** Lets pending promise callbacks and real I/O callbacks run. */
async function settleIo(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setTimeout(resolve, 1));
}
