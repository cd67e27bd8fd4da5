/**
 * Pages take turns to render (site/page-watch.ts `pageTurn`): Astro starts four at once
 * (build.concurrency), but each renders alone, in the order they asked, and the next begins only
 * in a later turn of the event loop, after what the page left behind has been reported.
 */
import { describe, expect, it } from 'vitest';
import { pageTurn } from '../../src/site/page-watch.ts';

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 1));

describe('page turns', () => {
  it('one page renders at a time, in the order the pages asked', async () => {
    const events: string[] = [];
    let rendering = 0;
    const render = async (name: string, awaits: number) => {
      const end = await pageTurn();
      rendering += 1;
      expect(rendering).toBe(1);
      events.push(`${name} begins`);
      for (let i = 0; i < awaits; i++) await tick();
      events.push(`${name} ends`);
      rendering -= 1;
      end();
    };
    await Promise.all([render('a', 3), render('b', 0), render('c', 2), render('d', 1)]);
    expect(events).toEqual(['a begins', 'a ends', 'b begins', 'b ends', 'c begins', 'c ends', 'd begins', 'd ends']);
  });

  it('the next page begins after the event loop has turned: a rejection nobody awaited is reported first', async () => {
    const events: string[] = [];
    const onRejection = () => events.push('rejection reported');
    process.on('unhandledRejection', onRejection);
    try {
      const first = (async () => {
        const end = await pageTurn();
        void Promise.reject(new Error('lost'));
        end();
      })();
      const second = (async () => {
        const end = await pageTurn();
        events.push('next page begins');
        end();
      })();
      await Promise.all([first, second]);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
    expect(events).toEqual(['rejection reported', 'next page begins']);
  });
});
