import { StorageUnavailableError } from '../availability.js';
import type { ProjectIngests, RequestEvents, StoreGroup } from '../engine.js';
import type { IngestOutcome } from '../store.js';

export interface IngestRequest extends RequestEvents {
  projectId: string;
  receivedAt: number;
}

interface Pending extends IngestRequest {
  resolve: (outcome: IngestOutcome) => void;
  reject: (error: unknown) => void;
}

/**
 * Ingest requests that arrive while a write runs are stored together in the
 * next one: one transaction, one plan and one set of multi-row inserts per
 * project, one commit (and on PostgreSQL one lock set and one WAL flush).
 * Every caller hears back only after that commit. If a group fails, its
 * requests are stored one by one, so that only a failing one hears the error
 * (unless the database is unavailable: then they all do at once).
 */
export class IngestCoalescer {
  private readonly queue: Pending[] = [];
  private draining = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly storeGroup: StoreGroup,
    private readonly maxEventsPerGroup = 5000,
  ) {}

  submit(request: IngestRequest): Promise<IngestOutcome> {
    return new Promise<IngestOutcome>((resolve, reject) => {
      this.queue.push({ ...request, resolve, reject });
      if (!this.draining) void this.drain();
    });
  }

  /** Resolves once every request submitted so far has its answer. */
  idle(): Promise<void> {
    if (!this.draining) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        // One turn of the event loop first: requests already read off their sockets join this group.
        await new Promise((resolve) => setImmediate(resolve));
        await this.runGroup(this.takeGroup());
      }
    } finally {
      this.draining = false;
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  private takeGroup(): Pending[] {
    let events = 0;
    let count = 0;
    while (
      count < this.queue.length &&
      (count === 0 || events + this.queue[count]!.events.length <= this.maxEventsPerGroup)
    ) {
      events += this.queue[count]!.events.length;
      count++;
    }
    return this.queue.splice(0, count);
  }

  private async runGroup(group: Pending[]): Promise<void> {
    const byProject: ProjectIngests = new Map();
    for (const request of group) {
      const entry = byProject.get(request.projectId) ?? { requests: [], receivedAt: request.receivedAt };
      entry.requests.push({
        events: request.events,
        blocks: request.blocks,
        dropped: request.dropped,
        sender: request.sender,
      });
      byProject.set(request.projectId, entry);
    }
    let stored: Map<string, Set<string>>;
    try {
      stored = await this.storeGroup(byProject);
    } catch (error) {
      // One bad request must not fail the others: store them one by one, so only it fails.
      // A database that is unavailable would fail each of them again.
      if (group.length > 1 && !(error instanceof StorageUnavailableError))
        for (const request of group) await this.runGroup([request]);
      else for (const request of group) request.reject(error);
      return;
    }
    // Each stored id is credited to the first request that carried it; every other copy is a duplicate.
    for (const request of group) {
      const fresh = stored.get(request.projectId) ?? new Set<string>();
      let accepted = 0;
      for (const event of request.events) {
        if (fresh.delete(event.id)) accepted++;
      }
      request.resolve({ accepted, duplicates: request.events.length - accepted });
    }
  }
}
