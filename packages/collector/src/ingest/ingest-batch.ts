import { eventBatchSchema, LIMITS, validateEvent, type IngestResult, type ValidEvent } from '@mcptrail/protocol';
import { InvalidBatchError, TooManyEventsError } from './ingest-errors.js';
import type { Store } from '../storage/store.js';

/**
 * Validates a `POST /v1/events` body and stores what is valid. A body of the
 * wrong shape is refused whole; a bad event is listed in `rejected` and the
 * rest are stored. Resolves only after the store has committed.
 */
export async function ingestBatch(store: Store, projectId: string, body: unknown): Promise<IngestResult> {
  const parsed = eventBatchSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'body';
    throw new InvalidBatchError(`${where}: ${issue?.message ?? 'invalid'} (expected {"events": [...]})`);
  }
  const { events, dropped, sender } = parsed.data;
  if (events.length > LIMITS.maxEventsPerBatch) {
    throw new TooManyEventsError(`${events.length} events in one batch; the limit is ${LIMITS.maxEventsPerBatch}`);
  }
  const valid: ValidEvent[] = [];
  const rejected: IngestResult['rejected'] = [];
  events.forEach((input, index) => {
    const result = validateEvent(input);
    if (result.ok) valid.push(result.event);
    else rejected.push({ index, reason: result.reason });
  });
  const outcome = await store.ingest(projectId, valid, dropped ?? 0, Date.now(), sender ?? undefined);
  return { accepted: outcome.accepted, duplicates: outcome.duplicates, rejected };
}
