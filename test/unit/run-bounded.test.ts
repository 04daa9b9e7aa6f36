import { describe, expect, it } from 'vitest';
import { runBounded } from '../../lambdas/core/common/run-bounded.ts';

const tick = (ms = 1) => new Promise((r) => setTimeout(r, ms));

describe('runBounded, the one worker pool', () => {
  it('runs every item, never more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    const done: number[] = [];
    const result = await runBounded([...Array(50).keys()], 4, async (n) => {
      running += 1;
      peak = Math.max(peak, running);
      await tick();
      done.push(n);
      running -= 1;
    });
    expect(result.complete).toBe(true);
    expect(peak).toBe(4);
    expect(done.sort((a, b) => a - b)).toEqual([...Array(50).keys()]);
  });

  it('takes items from an async generator in order, one next() at a time', async () => {
    let pulls = 0;
    async function* source(): AsyncGenerator<number> {
      for (let i = 0; i < 20; i++) {
        pulls += 1;
        await tick();
        yield i;
      }
    }
    const started: number[] = [];
    await runBounded(source(), 3, async (n) => {
      started.push(n);
      await tick(2);
    });
    expect(started).toEqual([...Array(20).keys()]);
    expect(pulls).toBe(20);
  });

  it('starts nothing once shouldStop says yes, lets the running ones finish, and says the run is incomplete', async () => {
    const finished: number[] = [];
    const result = await runBounded(
      [...Array(100).keys()],
      2,
      async (n) => {
        await tick();
        finished.push(n);
      },
      () => finished.length >= 5,
    );
    expect(result.complete).toBe(false);
    expect(finished.length).toBeGreaterThanOrEqual(5);
    expect(finished.length).toBeLessThanOrEqual(6);
  });

  it('is complete when the stop comes with the last item', async () => {
    const result = await runBounded(
      [1, 2, 3],
      1,
      async () => undefined,
      () => true,
    );
    expect(result).toEqual({ complete: false });
    const last = await runBounded(
      [1],
      1,
      async () => undefined,
      () => true,
    );
    expect(last).toEqual({ complete: true });
  });

  it('rejects with the first error', async () => {
    await expect(
      runBounded([1, 2, 3], 2, async (n) => {
        if (n === 2) throw new Error('batch 2 refused');
      }),
    ).rejects.toThrow('batch 2 refused');
  });
});
