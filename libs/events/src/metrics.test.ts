import { partitionLag, partitionSize } from './metrics';

const at = (low: number, high: number, committed: number | null) => ({ topic: 't', partition: 0, low, high, committed });

describe('partitionLag', () => {
  it.each([
    [at(0, 10, 10), 0],
    [at(0, 10, 4), 6],
    // No committed offset yet: everything kept is still to be applied.
    [at(3, 10, null), 7],
    [at(0, 0, null), 0],
    // A committed offset past the end (the topic was recreated) is no lag, never a negative one.
    [at(0, 5, 9), 0],
  ])('%j → %d', (offsets, lag) => expect(partitionLag(offsets)).toBe(lag));
});

describe('partitionSize', () => {
  it.each([
    [at(0, 0, null), 0],
    [at(0, 4, null), 4],
    [at(10, 12, 11), 2],
  ])('%j → %d', (offsets, size) => expect(partitionSize(offsets)).toBe(size));
});
