import { createHash } from 'node:crypto';
import { brotliCompressSync, brotliDecompressSync, constants, deflateRawSync, inflateRawSync } from 'node:zlib';
import type { ValidEvent } from '@mcptrail/protocol';
import { readVarint, writeVarint } from '../encoding/varint.js';

/**
 * The columns of an event that no query filters, groups or sorts by: kept
 * together in one compressed value (`events.body`), since arguments and results
 * are most of an event's bytes (docs/storage.md, "Bytes per event").
 */
export type EventBody = Pick<ValidEvent, (typeof FIELDS)[number]>;

/** Field order in the encoding: append new fields at the end, never reorder (stored bodies are read with it). */
const FIELDS = [
  'userName',
  'userData',
  'serverName',
  'serverVersion',
  'transport',
  'errorStack',
  'arguments',
  'result',
  'tags',
  'properties',
] as const satisfies readonly (keyof ValidEvent)[];

/**
 * An event as the ingest transaction stores it: its body encoded (on the thread
 * that received it, not the writer's) as a reference into one of its request's
 * blocks. The user's name stays beside the body too: sessions take it as a label.
 */
export type EncodedEvent = Omit<ValidEvent, Exclude<keyof EventBody, 'userName'>> & { body: Uint8Array };

/**
 * Bodies of up to `BLOCK_EVENTS` events of one request, compressed together:
 * one compression call per block instead of one per event (a call's set-up costs
 * more than compressing an event's few hundred bytes), and events of one
 * session share their strings. Its key is a hash of its bytes, so that a resent
 * request's block is the same row, on any instance (docs/adr/0207).
 */
export interface BodyBlock {
  key: Uint8Array;
  bytes: Uint8Array;
}

/** The first byte of a body: how the rest is stored. */
const Codec = { Plain: 0, Deflate: 1, DeflateWithDictionary: 2, InBlock: 3 } as const;

/** Below this, deflate's own framing costs about what it saves. */
const COMPRESS_FROM_BYTES = 48;
/** Level 1 compresses these values within a few percent of level 6 at a fraction of the time. */
const DEFLATE = { level: 1 } as const;
/** How a block's bytes are compressed: its first byte. */
const BlockCodec = { Brotli: 1 } as const;
/**
 * Brotli at quality 3 with a window as large as a block: 7% smaller than deflate at level 1 for the same time on a
 * block of realistic events (docs/adr/0207).
 */
const BROTLI = {
  params: { [constants.BROTLI_PARAM_QUALITY]: 3, [constants.BROTLI_PARAM_LGWIN]: 18 },
} as const;
/**
 * Events per block: reading one event inflates its block (about 0.2 ms), compressing pays per call, and on SQLite's
 * 16 KiB pages a block of 30–40 KiB wastes less of its pages than one of 10–20 KiB (docs/adr/0207).
 */
export const BLOCK_EVENTS = 128;
/** A block also ends past this many bytes of bodies, so that one large result does not make its neighbours costly. */
const BLOCK_BYTES = 256 * 1024;
/** Bytes of SHA-256 kept as a block's key: no two blocks of a project are expected to share one before 2^48 blocks. */
const KEY_BYTES = 12;

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * A request's events with their bodies in blocks. Events of one session (by
 * transport session, else user) go to the same blocks, so a session's timeline
 * reads few of them; their order in the request is kept.
 */
export function encodeEvents(events: readonly ValidEvent[]): { events: EncodedEvent[]; blocks: BodyBlock[] } {
  const order = events
    .map((event, index) => ({ index, near: event.transportSessionId ?? event.userId ?? '' }))
    .sort((a, b) => (a.near < b.near ? -1 : a.near > b.near ? 1 : a.index - b.index));
  const encoded = new Array<EncodedEvent>(events.length);
  const blocks: BodyBlock[] = [];
  let members: number[] = [];
  let frames: Buffer[] = [];
  let bytes = 0;
  const close = () => {
    const block = compressBlock(frames);
    blocks.push(block);
    members.forEach((index, slot) => {
      encoded[index] = withoutBody(events[index]!, reference(block.key, slot));
    });
    members = [];
    frames = [];
    bytes = 0;
  };
  for (const { index } of order) {
    const framed = frame(events[index]!);
    if (members.length > 0 && bytes + framed.length > BLOCK_BYTES) close();
    members.push(index);
    frames.push(framed);
    bytes += framed.length;
    if (members.length === BLOCK_EVENTS) close();
  }
  if (members.length > 0) close();
  return { events: encoded, blocks };
}

function withoutBody(event: ValidEvent, body: Uint8Array): EncodedEvent {
  const {
    userData: _userData,
    serverName: _serverName,
    serverVersion: _serverVersion,
    transport: _transport,
    errorStack: _errorStack,
    arguments: _arguments,
    result: _result,
    tags: _tags,
    properties: _properties,
    ...rest
  } = event;
  return { ...rest, body };
}

/** A block: its codec, then (compressed) the count, each body's framed length, the framed bodies. */
function compressBlock(frames: readonly Buffer[]): BodyBlock {
  const header: number[] = [];
  writeVarint(header, frames.length);
  for (const framed of frames) writeVarint(header, framed.length);
  const compressed = brotliCompressSync(Buffer.concat([Buffer.from(header), ...frames]), BROTLI);
  // A copy of its own (zlib may return a view of a larger buffer, which would go whole to the writer thread).
  const bytes = withHeader([BlockCodec.Brotli], compressed);
  return { key: new Uint8Array(createHash('sha256').update(bytes).digest().subarray(0, KEY_BYTES)), bytes };
}

function reference(key: Uint8Array, slot: number): Uint8Array {
  const header = [Codec.InBlock, ...key];
  writeVarint(header, slot);
  return Uint8Array.from(header);
}

/** A block's bodies, in slot order. */
export function unpackBlock(bytes: Uint8Array): EventBody[] {
  if (bytes[0] !== BlockCodec.Brotli) throw new Error(`body block with unknown codec ${String(bytes[0])}`);
  const packed = brotliDecompressSync(bytes.subarray(1));
  const reader = { bytes: packed, at: 0 };
  const count = readVarint(reader, 'body block');
  const lengths = Array.from({ length: count }, () => readVarint(reader, 'body block'));
  return lengths.map((length) => {
    const end = reader.at + length;
    if (end > packed.length) throw new Error('truncated body block');
    const body = unframe(packed.subarray(reader.at, end));
    reader.at = end;
    return body;
  });
}

/** What a stored body needs to be read: a block (its key as hex, and the slot), a legacy dictionary, or nothing. */
export type BodySource = { block: string; slot: number } | { dictionary: number } | null;

export function bodySource(stored: Uint8Array): BodySource {
  switch (stored[0]) {
    case Codec.InBlock: {
      const reader = { bytes: stored, at: 1 + KEY_BYTES };
      const slot = readVarint(reader, 'event body');
      return { block: Buffer.from(stored.subarray(1, 1 + KEY_BYTES)).toString('hex'), slot };
    }
    case Codec.DeflateWithDictionary:
      return { dictionary: readVarint({ bytes: stored, at: 1 }, 'event body') };
    default:
      return null;
  }
}

/** A body stored on its own, compressed without a dictionary (migration 0006 encodes stored events so). */
export function encodeBody(body: EventBody): Uint8Array {
  const framed = frame(body);
  if (framed.length < COMPRESS_FROM_BYTES) return withHeader([Codec.Plain], framed);
  const compressed = withHeader([Codec.Deflate], deflateRawSync(framed, DEFLATE));
  return compressed.length < framed.length + 1 ? compressed : withHeader([Codec.Plain], framed);
}

/** Where `decodeBody` finds what a body refers to; the caller loads them first (`bodySource`). */
export interface BodyParts {
  dictionary(id: number): Uint8Array;
  block(key: string): readonly EventBody[];
}

export function decodeBody(stored: Uint8Array, parts: BodyParts): EventBody {
  switch (stored[0]) {
    case Codec.Plain:
      return unframe(stored.subarray(1));
    case Codec.Deflate:
      return unframe(inflateRawSync(stored.subarray(1)));
    case Codec.DeflateWithDictionary: {
      const reader = { bytes: stored, at: 1 };
      const id = readVarint(reader, 'event body');
      return unframe(inflateRawSync(stored.subarray(reader.at), { dictionary: parts.dictionary(id) }));
    }
    case Codec.InBlock: {
      const source = bodySource(stored) as { block: string; slot: number };
      const body = parts.block(source.block)[source.slot];
      if (!body) throw new Error(`event body refers to slot ${source.slot} of block ${source.block}, which has fewer`);
      return body;
    }
    default:
      throw new Error(`event body with unknown codec ${String(stored[0])}`);
  }
}

/** Each field as a varint (0 for null, else its UTF-8 length + 1) and its bytes: exact text back, nothing escaped. */
function frame(body: EventBody): Buffer {
  const prefixes: number[][] = [];
  let size = 0;
  for (const field of FIELDS) {
    const value = body[field];
    const bytes = value === null ? 0 : Buffer.byteLength(value);
    const prefix: number[] = [];
    writeVarint(prefix, value === null ? 0 : bytes + 1);
    prefixes.push(prefix);
    size += prefix.length + bytes;
  }
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  FIELDS.forEach((field, i) => {
    for (const byte of prefixes[i]!) out[at++] = byte;
    const value = body[field];
    if (value !== null) at += out.write(value, at, 'utf8');
  });
  return out;
}

function unframe(bytes: Uint8Array): EventBody {
  const body = {} as Record<(typeof FIELDS)[number], string | null>;
  const reader = { bytes, at: 0 };
  for (const field of FIELDS) {
    // Bodies written before a field existed end early: the field is null.
    const length = reader.at < bytes.length ? readVarint(reader, 'event body') : 0;
    if (length === 0) {
      body[field] = null;
      continue;
    }
    const end = reader.at + length - 1;
    if (end > bytes.length) throw new Error('truncated event body');
    body[field] = decoder.decode(bytes.subarray(reader.at, end));
    reader.at = end;
  }
  return body;
}

function withHeader(header: readonly number[], rest: Uint8Array): Uint8Array {
  const out = new Uint8Array(header.length + rest.length);
  out.set(header, 0);
  out.set(rest, header.length);
  return out;
}
