/** The delivery seam: one batch body in, one verdict out (docs/adr/0103). */
export type ExportResult =
  | { kind: 'success'; accepted: number; duplicates: number; rejected: number }
  | { kind: 'retryable'; reason: string; retryAfterMs?: number }
  | { kind: 'failure'; reason: string };

export interface ExportRequest {
  /** JSON text of an EventBatch. */
  body: string;
  /** Events in it. */
  count: number;
  /** Epoch ms after which no attempt may start. */
  deadline: number;
}

export interface Exporter {
  export(request: ExportRequest): Promise<ExportResult>;
}
