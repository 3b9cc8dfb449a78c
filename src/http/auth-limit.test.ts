import { FailedAuthLimiter } from './auth-limit';

describe('failed authentication per address', () => {
  it('the 3rd failure of a limit of 3 reaches it; the address waits out the rest of its 60 s window', () => {
    let now = 1_000_000;
    const limiter = new FailedAuthLimiter(3, 60_000, 100, () => now);
    expect(limiter.recordFailure('10.0.0.1')).toBe(false);
    expect(limiter.recordFailure('10.0.0.1')).toBe(false);
    expect(limiter.blockedFor('10.0.0.1')).toBeUndefined();
    expect(limiter.recordFailure('10.0.0.1')).toBe(true);
    // 15.2 s into the window: 44.8 s remain, announced as 45 (rounded up, never 0).
    now += 15_200;
    expect(limiter.blockedFor('10.0.0.1')).toBe(45);
    expect(limiter.blockedFor('10.0.0.2')).toBeUndefined();
    // The window ends 60 s after its first failure: a new one starts empty.
    now = 1_000_000 + 60_000;
    expect(limiter.blockedFor('10.0.0.1')).toBeUndefined();
  });

  it('tracks at most its number of addresses: ended windows go first, then the oldest', () => {
    let now = 0;
    const limiter = new FailedAuthLimiter(1, 60_000, 2, () => now);
    limiter.recordFailure('a');
    now = 10_000;
    limiter.recordFailure('b');
    // A third address: no window has ended, so the oldest ("a") makes way.
    limiter.recordFailure('c');
    expect(limiter.blockedFor('a')).toBeUndefined();
    // Both windows began at 10 s: 60 s remain of each.
    expect(limiter.blockedFor('b')).toBe(60);
    expect(limiter.blockedFor('c')).toBe(60);
    now = 70_000;
    expect(limiter.blockedFor('b')).toBeUndefined();
  });
});
