import type { IncomingMessage, ServerResponse } from 'node:http';

/** One SDK line's conformance server, as the HTTP listener in serve.ts drives it. */
export interface ConformanceServer {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  close(): Promise<void>;
}
