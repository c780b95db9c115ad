import { describe, expect, it } from 'vitest';
import { timeSlicer } from '../../src/core/event-loop.js';

describe('timeSlicer', () => {
  it('lets other work run once its slice is used up', async () => {
    const slicer = timeSlicer(0);
    let ran = false;
    setImmediate(() => {
      ran = true;
    });
    await slicer.maybeYield();
    expect(ran).toBe(true);
  });

  it('does not yield while the slice lasts', async () => {
    const slicer = timeSlicer(60_000);
    let ran = false;
    setImmediate(() => {
      ran = true;
    });
    await slicer.maybeYield();
    expect(ran).toBe(false);
  });
});
