/**
 * Failed authentication, limited per client address. A bearer token is 32 random bytes: no rate makes guessing one
 * possible, so this limit protects the service, not the tokens: a client sending thousands of bad tokens a second
 * costs a token lookup and a log line each. Failures go to the log (never to the audit table, whose rows are kept
 * for good); an address over the limit is answered 429 without its token being looked up, and logged once per window.
 */

/**
 * A bank's system with a wrong or revoked token fails a few times a minute before someone looks; a clerk mistyping
 * a token in the console a handful. Thirty a minute is far above either and far below what fills a log.
 */
export const FAILED_AUTH_PER_ADDRESS_PER_WINDOW = 30;
export const FAILED_AUTH_WINDOW_MS = 60_000;
/** The addresses tracked at once: a bounded map, however many addresses a flood comes from. */
export const FAILED_AUTH_ADDRESSES_MAX = 10_000;

interface Window {
  startedMs: number;
  failures: number;
}

export class FailedAuthLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly limit = FAILED_AUTH_PER_ADDRESS_PER_WINDOW,
    private readonly windowMs = FAILED_AUTH_WINDOW_MS,
    private readonly addressesMax = FAILED_AUTH_ADDRESSES_MAX,
    private readonly nowMs: () => number = Date.now,
  ) {}

  /** Seconds until the address may try again, when it is over the limit; undefined when it may try now. */
  blockedFor(address: string): number | undefined {
    const window = this.current(address);
    if (!window || window.failures < this.limit) return undefined;
    return Math.max(1, Math.ceil((window.startedMs + this.windowMs - this.nowMs()) / 1000));
  }

  /** Counts a failure; true when it is the one that reaches the limit (log that once). */
  recordFailure(address: string): boolean {
    let window = this.current(address);
    if (!window) {
      this.makeRoom();
      window = { startedMs: this.nowMs(), failures: 0 };
      this.windows.set(address, window);
    }
    window.failures += 1;
    return window.failures === this.limit;
  }

  private current(address: string): Window | undefined {
    const window = this.windows.get(address);
    if (window && this.nowMs() - window.startedMs >= this.windowMs) {
      this.windows.delete(address);
      return undefined;
    }
    return window;
  }

  /** Drops ended windows; when every slot is still live, the oldest (insertion order) makes way. */
  private makeRoom(): void {
    if (this.windows.size < this.addressesMax) return;
    const now = this.nowMs();
    for (const [address, window] of this.windows) {
      if (now - window.startedMs >= this.windowMs) this.windows.delete(address);
    }
    while (this.windows.size >= this.addressesMax) {
      const oldest = this.windows.keys().next().value as string;
      this.windows.delete(oldest);
    }
  }
}
