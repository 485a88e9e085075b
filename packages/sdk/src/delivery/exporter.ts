/**
 * The delivery seam: one batch body in, one verdict out (docs/adr/0103).
 * `retryable` means not delivered but worth another try: the processor puts the
 * batch back in its queue (or, `dropWhenExhausted`, drops it once its round of
 * attempts is spent); `too-large` means the body was refused for its size: the
 * processor sends the batch in halves; `failure` means it never will be
 * delivered: the batch is dropped and counted.
 */
export type ExportResult =
  | { kind: 'success'; accepted: number; duplicates: number; rejected: number }
  | {
      kind: 'retryable';
      reason: string;
      retryAfterMs?: number;
      /**
       * Something other than the collector answered: a few tries, then a failure rather than a requeue (it will not
       * mend by waiting).
       */
      dropWhenExhausted?: boolean;
    }
  | { kind: 'too-large'; reason: string }
  | { kind: 'failure'; reason: string };

export interface ExportRequest {
  /** JSON of an EventBatch, UTF-8. */
  body: Uint8Array;
  /** Events in it. */
  count: number;
  /** Epoch ms after which no attempt may start. */
  deadline: number;
}

export interface Exporter {
  export(request: ExportRequest): Promise<ExportResult>;
  /** Cut a backoff wait short: try again now (flush, exit drain). Optional. */
  wake?(): void;
  /**
   * Ends waits and requests in progress (they answer `retryable`), makes no attempt after, and frees connections.
   * Optional.
   */
  shutdown?(): void;
}
