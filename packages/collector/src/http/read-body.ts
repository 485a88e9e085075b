import { promisify } from 'node:util';
import { gunzip, inflate } from 'node:zlib';
import { LIMITS } from '@mcptrail/protocol';
import { apiError } from './api-error.js';

const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);
const decoders: Record<string, typeof gunzipAsync> = { gzip: gunzipAsync, deflate: inflateAsync };

/** Reads a JSON body of at most `LIMITS.maxBodyBytes` (after decompression). */
export async function readJsonBody(request: Request): Promise<unknown> {
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > LIMITS.maxBodyBytes) throw tooLarge();
  const raw = await readLimited(request);
  const encoding = (request.headers.get('content-encoding') ?? 'identity').toLowerCase();
  let body = raw;
  if (encoding !== 'identity') {
    const decode = decoders[encoding];
    if (!decode) throw apiError(415, 'unsupported_encoding', `Content-Encoding "${encoding}" is not supported; use gzip or none`);
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

async function readLimited(request: Request): Promise<Buffer> {
  if (!request.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > LIMITS.maxBodyBytes) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

const tooLarge = () => apiError(413, 'payload_too_large', `body is larger than ${LIMITS.maxBodyBytes} bytes`);
