import { deflateRawSync, inflateRawSync } from 'node:zlib';
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
 * that received it, not the writer's). The user's name stays beside the body
 * too: sessions take it as a label.
 */
export type EncodedEvent = Omit<ValidEvent, Exclude<keyof EventBody, 'userName'>> & { body: Uint8Array };

export function encodeEvent(event: ValidEvent, dictionary: BodyDictionary | null): EncodedEvent {
  // The body's fields leave the row; the event itself is the body to encode (`frame` reads only `FIELDS`).
  const {
    userData,
    serverName,
    serverVersion,
    transport,
    errorStack,
    arguments: _,
    result,
    tags,
    properties,
    ...rest
  } = event;
  return { ...rest, body: encodeBody(event, dictionary) };
}

/** A project's compression dictionary: immutable once stored, so any reader may cache it by id. */
export interface BodyDictionary {
  id: number;
  bytes: Uint8Array;
}

/** The first byte of a body: how the rest is stored. */
const Codec = { Plain: 0, Deflate: 1, DeflateWithDictionary: 2 } as const;

/** Below this, deflate's own framing costs about what it saves. */
const COMPRESS_FROM_BYTES = 48;
/**
 * Level 1 compresses these small values within a few percent of level 6 at a fraction of the time; an 8 KB
 * window holds the whole dictionary (`trainDictionary`'s size) and needs a quarter of the default's memory.
 */
const DEFLATE = { level: 1, windowBits: 13, memLevel: 6 } as const;
const DICTIONARY_BYTES = 2 ** DEFLATE.windowBits;

const decoder = new TextDecoder('utf-8', { fatal: true });

export function encodeBody(body: EventBody, dictionary: BodyDictionary | null): Uint8Array {
  const framed = frame(body);
  if (framed.length < COMPRESS_FROM_BYTES) return withHeader([Codec.Plain], framed);
  if (dictionary === null) return smaller(withHeader([Codec.Deflate], deflateRawSync(framed, DEFLATE)), framed);
  const compressed = deflateRawSync(framed, { ...DEFLATE, dictionary: dictionary.bytes });
  const header: number[] = [Codec.DeflateWithDictionary];
  writeVarint(header, dictionary.id);
  return smaller(withHeader(header, compressed), framed);
}

/** The dictionary a stored body needs to be read, if any: the caller loads it before `decodeBody`. */
export function bodyDictionaryId(stored: Uint8Array): number | null {
  return stored[0] === Codec.DeflateWithDictionary ? readVarint({ bytes: stored, at: 1 }, 'event body') : null;
}

export function decodeBody(stored: Uint8Array, dictionaryOf: (id: number) => Uint8Array): EventBody {
  switch (stored[0]) {
    case Codec.Plain:
      return unframe(stored.subarray(1));
    case Codec.Deflate:
      return unframe(inflateRawSync(stored.subarray(1)));
    case Codec.DeflateWithDictionary: {
      const reader = { bytes: stored, at: 1 };
      const id = readVarint(reader, 'event body');
      return unframe(inflateRawSync(stored.subarray(reader.at), { dictionary: dictionaryOf(id) }));
    }
    default:
      throw new Error(`event body with unknown codec ${String(stored[0])}`);
  }
}

/**
 * A dictionary from stored bodies: deflate finds in it the strings its bodies
 * share (JSON keys, tool output boilerplate, server and client names), which a
 * single small body cannot refer back to on its own. Samples of every kind of
 * body are kept, the most frequent kinds last (nearest, so cheapest to refer to).
 */
export function trainDictionary(samples: readonly { kind: string; body: EventBody }[]): Uint8Array {
  const byKind = new Map<string, Uint8Array[]>();
  for (const { kind, body } of samples) {
    const list = byKind.get(kind) ?? [];
    if (list.length < 3) list.push(frame(body));
    byKind.set(kind, list);
  }
  const counts = new Map<string, number>();
  for (const { kind } of samples) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  const ordered = [...byKind.entries()]
    .sort(([a], [b]) => counts.get(a)! - counts.get(b)! || (a < b ? -1 : 1))
    .flatMap(([, list]) => list);
  const joined = Buffer.concat(ordered);
  return joined.subarray(Math.max(0, joined.length - DICTIONARY_BYTES));
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

/** Compression that does not pay stores the plain framing. */
function smaller(compressed: Uint8Array, framed: Uint8Array): Uint8Array {
  return compressed.length < framed.length + 1 ? compressed : withHeader([Codec.Plain], framed);
}
