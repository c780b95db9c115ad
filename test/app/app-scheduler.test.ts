/**
 * The per-pull-request scheduler: one evaluation at a time per pull request, only the newest
 * waiting head survives (older ones superseded, never left hanging), a global concurrency
 * limit, and `isStale` for the running one.
 */
import { describe, expect, it } from 'vitest';
import { PullRequestScheduler } from '../../src/app/scheduler.js';
import type { ScheduledJob } from '../../src/app/scheduler.js';

interface Probe {
  readonly job: ScheduledJob;
  /** Lets the job's run finish. */
  finish(): void;
  /** What `isStale()` said when the run finished. */
  staleAtEnd?: boolean;
  /** Whether the run's signal was aborted when it finished. */
  abortedAtEnd?: boolean;
}

function setup(concurrency = 2) {
  const events: string[] = [];
  const errors: string[] = [];
  const scheduler = new PullRequestScheduler({
    concurrency,
    onError: (error, job) => errors.push(`${job.key}@${job.headSha}: ${String(error)}`),
  });
  const jobs = new Map<string, Probe>();
  function job(key: string, headSha: string, fail?: 'run' | 'supersede'): Probe {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const probe: Probe = {
      finish: () => release(),
      job: {
        key,
        headSha,
        run: async (isStale, signal) => {
          events.push(`start ${key}@${headSha}`);
          if (fail === 'run') throw new Error('boom');
          await released;
          probe.staleAtEnd = isStale();
          probe.abortedAtEnd = signal.aborted;
          events.push(`end ${key}@${headSha}`);
        },
        supersede: async (newer) => {
          if (fail === 'supersede') throw new Error('no');
          events.push(`superseded ${key}@${headSha} by ${newer}`);
        },
      },
    };
    jobs.set(`${key}@${headSha}`, probe);
    return probe;
  }
  const schedule = (key: string, headSha: string, fail?: 'run' | 'supersede') => {
    const probe = job(key, headSha, fail);
    scheduler.schedule(probe.job);
    return probe;
  };
  return { scheduler, events, errors, schedule };
}

/** Lets queued microtasks (promise callbacks) run. */
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('PullRequestScheduler', () => {
  it('runs one evaluation at a time per pull request; the newest waiting head supersedes older ones', async () => {
    const { scheduler, events, schedule } = setup();
    const a = schedule('pr#1', 'a');
    const b = schedule('pr#1', 'b');
    const c = schedule('pr#1', 'c');
    await tick();
    expect(events).toEqual(['start pr#1@a', 'superseded pr#1@b by c']);
    expect(scheduler.isStale('pr#1', 'a')).toBe(true);
    expect(scheduler.isStale('pr#1', 'c')).toBe(false);
    a.finish();
    await tick();
    expect(a.staleAtEnd).toBe(true);
    expect(a.abortedAtEnd).toBe(true);
    expect(events).toEqual([
      'start pr#1@a',
      'superseded pr#1@b by c',
      'end pr#1@a',
      'start pr#1@c',
    ]);
    c.finish();
    await scheduler.idle();
    expect(c.staleAtEnd).toBe(false);
    expect(c.abortedAtEnd).toBe(false);
    expect(b.staleAtEnd).toBeUndefined();
    expect(events.at(-1)).toBe('end pr#1@c');
    expect(scheduler.newestHead('pr#1')).toBeUndefined();
  });

  it('limits evaluations across pull requests and starts waiting ones in arrival order', async () => {
    const { scheduler, events, schedule } = setup(2);
    const one = schedule('pr#1', 'a');
    const two = schedule('pr#2', 'a');
    const three = schedule('pr#3', 'a');
    const four = schedule('pr#4', 'a');
    await tick();
    expect(scheduler.active).toBe(2);
    expect(events).toEqual(['start pr#1@a', 'start pr#2@a']);
    two.finish();
    await tick();
    expect(events.slice(2)).toEqual(['end pr#2@a', 'start pr#3@a']);
    expect(scheduler.active).toBe(2);
    for (const probe of [one, three, four]) probe.finish();
    await scheduler.idle();
    expect(events.filter((e) => e.startsWith('end')).length).toBe(4);
    expect(scheduler.active).toBe(0);
  });

  it('a newer head waiting behind the concurrency limit replaces the older one in place', async () => {
    const { scheduler, events, schedule } = setup(1);
    const blocker = schedule('pr#1', 'x');
    schedule('pr#2', 'a');
    const newer = schedule('pr#2', 'b');
    await tick();
    expect(events).toEqual(['start pr#1@x', 'superseded pr#2@a by b']);
    blocker.finish();
    await tick();
    expect(events.at(-1)).toBe('start pr#2@b');
    newer.finish();
    await scheduler.idle();
  });

  it('the same head announced twice runs twice (a base-branch change), not superseded as stale', async () => {
    const { scheduler, events, schedule } = setup();
    const first = schedule('pr#1', 'a');
    const again = schedule('pr#1', 'a');
    await tick();
    first.finish();
    again.finish();
    await scheduler.idle();
    expect(first.staleAtEnd).toBe(false);
    expect(first.abortedAtEnd).toBe(false);
    expect(events).toEqual(['start pr#1@a', 'end pr#1@a', 'start pr#1@a', 'end pr#1@a']);
  });

  it('a job that throws is reported and does not stop the queue', async () => {
    const { scheduler, events, errors, schedule } = setup(1);
    schedule('pr#1', 'a', 'run');
    const next = schedule('pr#2', 'a');
    schedule('pr#2', 'b', 'supersede');
    const last = schedule('pr#2', 'c');
    await tick();
    next.finish();
    last.finish();
    await scheduler.idle();
    expect(errors).toEqual(['pr#1@a: Error: boom', 'pr#2@b: Error: no']);
    expect(events).toContain('end pr#2@c');
  });

  it('idle() waits for work that finished work starts', async () => {
    const { scheduler, schedule } = setup(1);
    const a = schedule('pr#1', 'a');
    const b = schedule('pr#2', 'a');
    let idle = false;
    const waiting = scheduler.idle().then(() => (idle = true));
    a.finish();
    await tick();
    expect(idle).toBe(false);
    b.finish();
    await waiting;
    expect(idle).toBe(true);
  });

  it('refuses a concurrency below 1', () => {
    expect(() => new PullRequestScheduler({ concurrency: 0, onError: () => {} })).toThrow(
      RangeError,
    );
  });
});
