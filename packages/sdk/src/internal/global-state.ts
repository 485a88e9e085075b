import { logOnce } from './log.js';
import { SDK_VERSION } from './version.js';

/**
 * What one process shares between copies of this SDK — the ESM and CJS builds,
 * or two installs of compatible versions — as OpenTelemetry's versioned global
 * does (`api/src/internal/global-utils.ts`): one object under a `Symbol.for` key
 * that names the compatible line (same major; same minor while 0.x), so copies
 * that could disagree on its classes never share it. Each such copy keeps its
 * own queues and hooks.
 */
export interface GlobalState {
  readonly version: string;
  /** Queues per collector + key (delivery/registry.ts). */
  readonly processors: Map<string, unknown>;
  /** The process's one shutdown, once started. */
  shutdown?: Promise<void>;
  exitHooksInstalled?: boolean;
}

const PREFIX = 'mcptrail.sdk.';
const [major, minor] = SDK_VERSION.split('.');
const LINE = major === '0' ? `${major}.${minor}` : `${major}`;
const KEY = Symbol.for(`${PREFIX}${LINE}`);

let state: GlobalState | undefined;

export function globalState(): GlobalState {
  if (state) return state;
  const store = globalThis as unknown as Record<symbol, GlobalState | undefined>;
  state = store[KEY] ??= { version: SDK_VERSION, processors: new Map() };
  const others = Object.getOwnPropertySymbols(globalThis).filter(
    (symbol) => symbol !== KEY && symbol.description?.startsWith(PREFIX),
  );
  if (others.length > 0) {
    logOnce(
      'other-sdk',
      `another mcptrail version (${others.map((s) => s.description!.slice(PREFIX.length)).join(', ')}) ` +
        'runs in this process; each keeps its own queue',
    );
  }
  return state;
}
