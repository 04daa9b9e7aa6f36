import { describe, expect, it } from 'vitest';
import { flattenBatches } from '../../lambdas/core/eligibility/read/flatten-batches.ts';

/** flattenBatches must behave like the async generator it replaces. */

async function* batchesOf<T>(batches: T[][], log: string[] = []): AsyncGenerator<T[], void> {
  try {
    for (const batch of batches) yield batch;
  } finally {
    log.push('cleaned up');
  }
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

describe('flattenBatches', () => {
  it('yields every item in order, skipping empty batches', async () => {
    // Act
    const items = await collect(flattenBatches(batchesOf([[1, 2], [], [3], [4, 5, 6]])));

    // Assess
    expect(items).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('lets the source clean up when the caller stops early', async () => {
    // Prepare
    const log: string[] = [];
    const flat = flattenBatches(batchesOf([[1, 2], [3]], log));

    // Act
    for await (const item of flat) if (item === 1) break;

    // Assess
    expect(log).toEqual(['cleaned up']);
    expect(await flat.next()).toEqual({ done: true, value: undefined });
  });

  it('answers calls made without waiting in order', async () => {
    // Prepare
    const flat = flattenBatches(batchesOf([[1], [2, 3]]));

    // Act
    const results = await Promise.all([flat.next(), flat.next(), flat.next(), flat.next()]);

    // Assess
    expect(results).toEqual([
      { done: false, value: 1 },
      { done: false, value: 2 },
      { done: false, value: 3 },
      { done: true, value: undefined },
    ]);
  });

  it('passes on a failure of the source, then ends', async () => {
    // Prepare
    async function* failing(): AsyncGenerator<number[], void> {
      yield [1];
      throw new Error('input broke');
    }
    const flat = flattenBatches(failing());

    // Act
    const first = await flat.next();
    const second = flat.next();

    // Assess
    expect(first).toEqual({ done: false, value: 1 });
    await expect(second).rejects.toThrow('input broke');
    expect(await flat.next()).toEqual({ done: true, value: undefined });
  });
});
