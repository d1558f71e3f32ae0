// A batch starts a few requests at a time, and a Cancel leaves the rest unstarted (unpaid).
import * as assert from 'assert';
import { BatchStart, startLimited } from '../../src/jobs/batch';

/** A request that finishes when the test says so. */
interface Request {
  item: number;
  finish: () => void;
  finished: Promise<void>;
}

function harness() {
  const requests: Request[] = [];
  let running = 0;
  let mostAtOnce = 0;
  const start = async (item: number): Promise<BatchStart<Request>> => {
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve)).then(() => void running--);
    const request = { item, finish, finished };
    requests.push(request);
    mostAtOnce = Math.max(mostAtOnce, ++running);
    return { started: request };
  };
  return { requests, start, done: (r: Request) => r.finished, mostAtOnce: () => mostAtOnce };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('batches: a few at a time, Cancel starts nothing more', () => {
  it('never runs more than the limit at once, and starts the next as one finishes, in order', async () => {
    const h = harness();
    const outcome = startLimited([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 4, h.start, h.done, new AbortController().signal);
    await settle();
    assert.deepStrictEqual(h.requests.map((r) => r.item), [1, 2, 3, 4]);
    h.requests[1].finish();
    await settle();
    assert.deepStrictEqual(h.requests.map((r) => r.item), [1, 2, 3, 4, 5]);
    while (h.requests.some((r) => r.item === 10) === false) {
      h.requests.forEach((r) => r.finish());
      await settle();
    }
    const { started, notStarted } = await outcome;
    assert.strictEqual(started.length, 10);
    assert.strictEqual(notStarted, 0);
    assert.strictEqual(h.mostAtOnce(), 4);
  });

  it('a Cancel starts nothing more and interrupts nothing started', async () => {
    const h = harness();
    const cancel = new AbortController();
    const outcome = startLimited([1, 2, 3, 4, 5, 6], 2, h.start, h.done, cancel.signal);
    await settle();
    cancel.abort();
    const { started, notStarted } = await outcome;
    assert.deepStrictEqual(started.map((r) => r.item), [1, 2]);
    assert.strictEqual(notStarted, 4);
    h.requests.forEach((r) => r.finish());
    await Promise.all(h.requests.map((r) => r.finished));
    assert.strictEqual(h.requests.length, 2, 'nothing started after the Cancel');
  });

  it("'stop' (the spending limit refused) leaves that item and the rest out; 'skip' goes on", async () => {
    const h = harness();
    const answers: Record<number, 'skip' | 'stop'> = { 2: 'skip', 4: 'stop' };
    const start = (item: number) => (answers[item] ? Promise.resolve(answers[item]) : h.start(item));
    const outcome = await startLimited([1, 2, 3, 4, 5], 4, start, h.done, new AbortController().signal);
    assert.deepStrictEqual(outcome.started.map((r) => r.item), [1, 3]);
    assert.strictEqual(outcome.notStarted, 2);
  });

  it('a request whose wait fails frees its place', async () => {
    const started: number[] = [];
    const outcome = await startLimited([1, 2, 3], 1, async (item) => (started.push(item), { started: item }), () => Promise.reject(new Error('gone')), new AbortController().signal);
    assert.deepStrictEqual(started, [1, 2, 3]);
    assert.strictEqual(outcome.notStarted, 0);
  });
});
