/**
 * What an engine's error says about the database, when it says it cannot take
 * work now (not that the request was wrong): it cannot be reached at all, or it
 * answers but cannot write (disk full, read-only, locked by another process).
 */
export type Unavailability = { kind: 'unreachable' | 'unwritable'; reason: string };

/**
 * The database is unavailable: the operation failed, and the same operation may
 * succeed later. `reason` names the engine's own cause (`SQLITE_FULL: database
 * or disk is full`, `ECONNRESET: read ECONNRESET`).
 */
export class StorageUnavailableError extends Error {
  override readonly name = 'StorageUnavailableError';
  readonly kind: Unavailability['kind'];
  readonly reason: string;

  constructor({ kind, reason }: Unavailability, options?: { cause?: unknown }) {
    super(`the database is unavailable: ${reason}`, options);
    this.kind = kind;
    this.reason = reason;
  }
}

export type AvailabilityChange =
  | { available: false; error: StorageUnavailableError }
  | { available: true; unavailableMs: number };

/**
 * Whether the database takes work, learnt from the outcome of every operation:
 * listeners hear each outage begin and end once, however many requests fail
 * meanwhile. An operation that began before the last change says nothing new
 * (a query sent before an outage may still succeed after it began). An outage
 * of writes ends only with a write that succeeds: reads work during one.
 */
export class Availability {
  /** Counts changes: an operation's outcome counts only if none happened since it began. */
  private generation = 0;
  private outage: { since: number; kind: Unavailability['kind'] } | null = null;
  private readonly listeners: ((change: AvailabilityChange) => void)[] = [];

  onChange(listener: (change: AvailabilityChange) => void): void {
    this.listeners.push(listener);
  }

  /**
   * Runs `operation` and learns from how it ends. `proves`: what its success shows
   * (that the database answers, or that it takes writes); none for operations that
   * may succeed without reaching it (a connection taken from a pool).
   */
  async track<T>(operation: () => Promise<T>, proves?: 'answers' | 'writes'): Promise<T> {
    const began = this.generation;
    let result: T;
    try {
      result = await operation();
    } catch (error) {
      if (error instanceof StorageUnavailableError && !this.outage && began === this.generation) {
        this.change({ since: Date.now(), kind: error.kind }, { available: false, error });
      }
      throw error;
    }
    if (
      this.outage &&
      began === this.generation &&
      (proves === 'writes' || (proves === 'answers' && this.outage.kind === 'unreachable'))
    ) {
      this.change(null, { available: true, unavailableMs: Date.now() - this.outage.since });
    }
    return result;
  }

  private change(outage: Availability['outage'], change: AvailabilityChange): void {
    this.outage = outage;
    this.generation++;
    for (const listener of this.listeners) listener(change);
  }
}
