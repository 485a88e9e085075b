/** A query parameter the API does not accept; the message names it. */
export class InvalidQueryError extends Error {
  override readonly name = 'InvalidQueryError';
}
