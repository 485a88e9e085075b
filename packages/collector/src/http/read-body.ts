import { promisify } from 'node:util';
import { gunzip, inflate } from 'node:zlib';
import { LIMITS } from '@mcptrail/protocol';
import { apiError } from './api-error.js';

const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);
const decoders: Record<string, typeof gunzipAsync> = { gzip: gunzipAsync, deflate: inflateAsync };

/**
 * Reads a JSON body of at most `LIMITS.maxBodyBytes` (after decompression).
 * `incoming` is Node's own request stream when there is one: reading it
 * directly skips the web-stream wrapping, which costs more than parsing.
 */
export async function readJsonBody(request: Request, incoming?: AsyncIterable<Uint8Array>): Promise<unknown> {
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > LIMITS.maxBodyBytes) throw tooLarge();
  const raw = await readLimited(incoming ?? (request.body as unknown as AsyncIterable<Uint8Array> | null));
  const encoding = (request.headers.get('content-encoding') ?? 'identity').toLowerCase();
  let body = raw;
  if (encoding !== 'identity') {
    const decode = decoders[encoding];
    if (!decode)
      throw apiError(415, 'unsupported_encoding', `Content-Encoding "${encoding}" is not supported; use gzip or none`);
    try {
      body = await decode(raw, { maxOutputLength: LIMITS.maxBodyBytes });
    } catch (error) {
      if (error instanceof RangeError || (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge();
      throw apiError(400, 'bad_encoding', `body is not valid ${encoding} data`);
    }
  }
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw apiError(400, 'invalid_json', `body is not valid JSON: ${(error as Error).message}`);
  }
}

async function readLimited(body: AsyncIterable<Uint8Array> | null): Promise<Buffer> {
  if (!body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > LIMITS.maxBodyBytes) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

const tooLarge = () => apiError(413, 'payload_too_large', `body is larger than ${LIMITS.maxBodyBytes} bytes`);
