/** The body is not a batch (`{"events": [...]}` with valid `sdk`, `dropped`, `sender`): nothing is stored. */
export class InvalidBatchError extends Error {
  override readonly name = 'InvalidBatchError';
}

/** More events in one batch than the wire allows (`LIMITS.maxEventsPerBatch`): nothing is stored. */
export class TooManyEventsError extends Error {
  override readonly name = 'TooManyEventsError';
}
