import type { ClientMatrix } from '../rollups/client-matrix.js';
import type { FailureClusters } from '../insights/failure-clusters.js';
import type { SessionShape } from '../insights/session-shape.js';

/** What the insights answer with, as the pure code in `insights/` builds them. */
export type { ClientMatrix, FailureClusters, SessionShape };
/** What the other queries answer with: one module names everything a store takes and gives. */
export type * from './records.js';
import type { EventBatch, SessionKind, ValidEvent } from '@mcptrail/protocol';
import type {
  Page,
  SessionDetail,
  SessionSummary,
  Stats,
  StoredEvent,
  ToolDetail,
  ToolPathsRecord,
  ToolSummary,
  UserDetail,
  UserSummary,
  WhatIfRecord,
} from './records.js';

export interface ProjectRecord {
  id: string;
  name: string;
  createdAt: number;
}

/** A sender's own running total of discarded events, as the wire carries it. */
export type SenderDrops = NonNullable<EventBatch['sender']>;

export interface NewProject {
  id: string;
  name: string;
  writeKeyHash: string;
  readKeyHash: string;
  createdAt: number;
}

export type KeyAccess = 'write' | 'read';

export interface TimeRange {
  from: number;
  to: number;
}

export interface FailureQuery extends TimeRange {
  /** Clusters answered, most failures first. */
  limit: number;
}

export interface SessionQuery {
  user?: string;
  client?: string;
  kind?: SessionKind;
  from?: number;
  to?: number;
  hasError?: boolean;
  limit: number;
  cursor?: { endedAt: number; id: string };
}

export interface EventPageQuery {
  limit: number;
  cursor?: { ts: number; id: string };
}

export interface UserQuery {
  limit: number;
  cursor?: { lastSeen: number; id: string };
}

export interface PathsQuery {
  /** Sessions that started in it. */
  range: TimeRange;
  depth: number;
  breadth: number;
  /** Sessions without a request since the session timeout before this have ended. */
  now: number;
}

export interface WhatIfQuery {
  /** Requests in it. */
  range: TimeRange;
  timeoutsMs: number[];
}

export interface IngestOutcome {
  accepted: number;
  duplicates: number;
}

/**
 * Everything the collector keeps. Any method rejects with `StorageUnavailableError`
 * (`availability.ts`) while the database cannot take the work; nothing is then
 * half-stored, and the same call may succeed later. One implementation of the query code
 * (`KyselyStore`) runs on every engine; engines differ only in `StorageEngine`.
 * `store.contract.ts` is the suite every engine passes.
 */
export interface Store {
  readonly engineName: string;
  close(): Promise<void>;
  /**
   * Resolves once the database answers a trivial query; rejects with `StorageUnavailableError` when it cannot be
   * reached.
   */
  ping(): Promise<void>;

  createProject(project: NewProject): Promise<void>;
  /** Creates `project` if the database holds no project yet, atomically across instances; says whether it did. */
  createProjectIfNone(project: NewProject): Promise<boolean>;
  findProjectByKeyHash(keyHash: string): Promise<{ project: ProjectRecord; access: KeyAccess } | null>;
  /** Every project, oldest first. */
  listProjects(): Promise<ProjectRecord[]>;
  /**
   * Replaces the project's key of kind `access`: the old one stops working on commit. False when there is no such
   * project.
   */
  replaceProjectKey(projectId: string, access: KeyAccess, keyHash: string): Promise<boolean>;

  /**
   * Stores new events, assigns sessions and records what the sender discarded
   * (its running total when it gives `sender`, else `dropped` added up), in one
   * transaction. Duplicates are skipped.
   */
  ingest(
    projectId: string,
    events: readonly ValidEvent[],
    dropped: number,
    receivedAt: number,
    sender?: SenderDrops,
  ): Promise<IngestOutcome>;

  listSessions(projectId: string, query: SessionQuery): Promise<Page<SessionSummary>>;
  /** Resolves ids retired by merges to the surviving session. */
  getSession(projectId: string, sessionId: string, page?: EventPageQuery): Promise<SessionDetail | null>;
  getEvent(projectId: string, eventId: string): Promise<StoredEvent | null>;
  listUsers(projectId: string, query: UserQuery): Promise<Page<UserSummary>>;
  getUser(projectId: string, userId: string): Promise<UserDetail | null>;
  listTools(projectId: string, range: TimeRange): Promise<ToolSummary[]>;
  getTool(projectId: string, name: string, range: TimeRange): Promise<ToolDetail | null>;
  /** The range's failed requests in clusters (docs/adr/0205). */
  failureClusters(projectId: string, query: FailureQuery): Promise<FailureClusters>;
  /**
   * Tool calls in the range by client, client version, protocol version and tool, with the cells much worse than their
   * tool's average.
   */
  clientMatrix(projectId: string, range: TimeRange): Promise<ClientMatrix>;
  /** Requests per session and duration of the sessions that started in the range, per client. */
  sessionShape(projectId: string, range: TimeRange): Promise<SessionShape>;
  stats(projectId: string, range: TimeRange): Promise<Stats>;
  /**
   * Reads at most the store's insight event limit of events; past it rejects with `RangeTooLargeError`
   * (`read-limits.ts`).
   */
  toolPaths(projectId: string, query: PathsQuery): Promise<ToolPathsRecord>;
  /** Regroups the range's requests with other timeouts; stored sessions stay as they are. Same limit. */
  whatIfSessions(projectId: string, query: WhatIfQuery): Promise<WhatIfRecord>;
}
