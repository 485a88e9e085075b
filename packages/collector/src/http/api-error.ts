import type { ApiError } from '@mcptrail/protocol';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** Throw anywhere in a handler; `app.onError` turns it into `{ error: { code, message } }`. */
export function apiError(status: ContentfulStatusCode, code: string, message: string): HTTPException {
  const body: ApiError = { error: { code, message } };
  return new HTTPException(status, { res: Response.json(body, { status }) });
}
