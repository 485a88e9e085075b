import type { ExportRequest, ExportResult, Exporter } from './exporter.js';

export interface RetryOptions {
  /** Attempts per call; then the batch is handed back (`retryable`) to go back in the queue. */
  maxAttempts: number;
  /** First backoff, ms; doubles each consecutive failure. */
  baseDelayMs: number;
  /** Cap of the backoff step, ms. */
  maxDelayMs: number;
  /** Longest `Retry-After` honoured, ms. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryOptions = {
  maxAttempts: 8,
  baseDelayMs: 250,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
};

/** Sleeps that never keep the process alive, and end early on `wake()`. */
export class Sleeper {
  private wakers = new Set<() => void>();

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      timer.unref?.();
      this.wakers.add(done);
    });
  }

  wake(): void {
    for (const waker of [...this.wakers]) waker();
  }
}

/** Equal jitter: a random delay between half the exponential step and all of it. */
export function backoffDelay(attempt: number, options: RetryOptions, random = Math.random): number {
  const step = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

/**
 * Wraps any exporter behind the same interface: retries retryable verdicts with
 * backoff until `maxAttempts` or the request's deadline, then answers
 * `retryable` so the caller keeps the batch (`failure` when the last verdict
 * said the batch is not worth keeping: `dropWhenExhausted`). The backoff
 * carries over from call to call until something gets through, so an outage
 * is probed at most every `maxDelayMs` (or `Retry-After`), never faster.
 * No attempt starts at or after the deadline.
 */
export class RetryingExporter implements Exporter {
  readonly sleeper = new Sleeper();
  /** Consecutive retryable verdicts, across calls. */
  private failures = 0;
  /** No attempt before these (epoch ms): the backoff, which wake() cancels, and a Retry-After, which it does not. */
  private backoffUntil = 0;
  private retryAfterUntil = 0;
  private closed = false;

  constructor(
    private readonly inner: Exporter,
    private readonly options: RetryOptions = DEFAULT_RETRY,
    private readonly random = Math.random,
  ) {}

  /**
   * Ends a backoff wait now (a flush or the exit drain wants the next attempt at once); a Retry-After is still
   * honoured.
   */
  wake(): void {
    this.backoffUntil = 0;
    this.sleeper.wake();
  }

  /** No attempt after this; waits end now. */
  shutdown(): void {
    this.closed = true;
    this.sleeper.wake();
    this.inner.shutdown?.();
  }

  /** Waits for the next attempt's turn; false when the deadline (or shutdown) comes first. */
  private async turn(deadline: number): Promise<boolean> {
    for (;;) {
      const now = Date.now();
      if (now >= deadline || this.closed) return false;
      const at = Math.max(this.backoffUntil, this.retryAfterUntil);
      if (now >= at) return true;
      await this.sleeper.sleep(Math.min(at, deadline) - now);
    }
  }

  async export(request: ExportRequest): Promise<ExportResult> {
    let reason = 'no attempt made';
    let dropWhenExhausted = false;
    for (let attempt = 1; attempt <= this.options.maxAttempts; attempt++) {
      if (!(await this.turn(request.deadline)))
        return { kind: 'retryable', reason: `${this.closed ? 'shut down' : 'deadline passed'} (${reason})` };
      const result = await this.inner.export(request);
      if (result.kind !== 'retryable') {
        this.failures = 0;
        this.backoffUntil = 0;
        this.retryAfterUntil = 0;
        return result;
      }
      reason = result.reason;
      dropWhenExhausted = result.dropWhenExhausted === true;
      this.failures = Math.min(this.failures + 1, 64);
      const now = Date.now();
      if (result.retryAfterMs !== undefined) {
        this.retryAfterUntil = now + Math.min(result.retryAfterMs, this.options.maxRetryAfterMs);
        this.backoffUntil = 0;
      } else {
        this.backoffUntil = now + backoffDelay(this.failures, this.options, this.random);
        this.retryAfterUntil = 0;
      }
    }
    reason = `${this.options.maxAttempts} attempt(s) failed: ${reason}`;
    return dropWhenExhausted ? { kind: 'failure', reason } : { kind: 'retryable', reason };
  }
}
