import { hasMethods, isRecord } from './request-view.js';

/** Lower-cased header access over whichever form a transport gives: a web `Headers` or a plain object. */
export interface HeaderReader {
  get(name: string): string | undefined;
  all(): Record<string, string>;
}

interface WebHeaders {
  get(name: string): string | null;
  forEach(fn: (value: string, key: string) => void): void;
}

function isWebHeaders(value: unknown): value is WebHeaders {
  return hasMethods(value, 'get', 'forEach');
}

function join(value: unknown): string | undefined {
  if (Array.isArray(value)) return value.join(', ');
  return typeof value === 'string' ? value : undefined;
}

export function headerReader(source: unknown): HeaderReader | undefined {
  if (isWebHeaders(source)) {
    return {
      get: (name) => source.get(name) ?? undefined,
      all: () => {
        const out: Record<string, string> = {};
        source.forEach((value, key) => {
          out[key.toLowerCase()] = value;
        });
        return out;
      },
    };
  }
  if (isRecord(source)) {
    return {
      get: (name) => join(source[name]),
      all: () => {
        const out: Record<string, string> = {};
        for (const [key, value] of Object.entries(source)) {
          const text = join(value);
          if (text !== undefined) out[key.toLowerCase()] = text;
        }
        return out;
      },
    };
  }
  return undefined;
}

/** The header half of a `RequestView`, shared by both SDK lines' views. */
export abstract class HeaderBackedView {
  readonly http: boolean;

  protected constructor(private readonly reader: HeaderReader | undefined) {
    this.http = reader !== undefined;
  }

  header(name: string): string | undefined {
    return this.reader?.get(name);
  }

  headers(): Record<string, string> | undefined {
    return this.reader?.all();
  }
}
