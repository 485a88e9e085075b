import type { ExportRequest, ExportResult, Exporter } from './exporter.js';

export interface RetryOptions {
  maxAttempts: number;
  /** First backoff, ms; doubles each attempt. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Longest `Retry-After` honoured, ms. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { maxAttempts: 8, baseDelayMs: 250, maxDelayMs: 30_000, maxRetryAfterMs: 120_000 };

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

/** Wraps any exporter behind the same interface: retries retryable verdicts until attempts or the deadline run out. */
export class RetryingExporter implements Exporter {
  readonly sleeper = new Sleeper();

  constructor(private readonly inner: Exporter, private readonly options: RetryOptions = DEFAULT_RETRY, private readonly random = Math.random) {}

  async export(request: ExportRequest): Promise<ExportResult> {
    let last: ExportResult = { kind: 'failure', reason: 'no attempt made' };
    for (let attempt = 1; attempt <= this.options.maxAttempts; attempt++) {
      last = await this.inner.export(request);
      if (last.kind !== 'retryable') return last;
      if (attempt === this.options.maxAttempts) break;
      const wait = last.retryAfterMs !== undefined ? Math.min(last.retryAfterMs, this.options.maxRetryAfterMs) : backoffDelay(attempt, this.options, this.random);
      if (Date.now() + wait >= request.deadline) return { kind: 'failure', reason: `deadline passed after ${last.reason}` };
      await this.sleeper.sleep(wait);
      if (Date.now() >= request.deadline) return { kind: 'failure', reason: `deadline passed after ${last.reason}` };
    }
    return { kind: 'failure', reason: `gave up after ${this.options.maxAttempts} attempts: ${last.kind === 'retryable' ? last.reason : ''}` };
  }
}
