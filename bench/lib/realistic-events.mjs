// Realistic traffic for the analytics benchmarks (issue 12): 5,000 users of very unequal activity,
// six clients, forty tools with their own latency, failure rate and payloads, 30 days of bursts of
// sessions in working hours, ending now. Shares: 10% stateful (a transport session id), 8% anonymous
// single requests, 40% 2025 clients on a stateless server (fingerprinted, named only by `initialize`),
// the rest 2026-07-28 (named on every request). Deterministic for a seed; generated lazily, batch by
// batch, in roughly the order a fleet of servers would deliver it (each hour's sessions together).
// Failures of every class the insights tell apart (docs/adr/0205): invented tools, invalid arguments,
// tool errors, protocol errors; and one client (windsurf-client) that sends create_* tools bad arguments.
import { random } from './generate-events.mjs';

const CLIENTS = [
  { name: 'claude-ai', versions: ['0.14.10', '0.14.12', '0.15.0'], weight: 38 },
  { name: 'cursor-vscode', versions: ['1.7.2', '1.8.0'], weight: 27 },
  { name: 'Visual Studio Code', versions: ['1.105.1', '1.106.0'], weight: 16 },
  { name: 'windsurf-client', versions: ['1.12.3'], weight: 8 },
  { name: 'Zed', versions: ['0.210.4'], weight: 6 },
  { name: 'goose', versions: ['1.9.1'], weight: 5 },
];
const VERBS = ['search', 'get', 'list', 'create', 'update', 'delete', 'run', 'fetch'];
const NOUNS = ['docs', 'issue', 'ticket', 'user', 'invoice', 'deployment', 'query', 'file', 'calendar_event', 'page'];
/**
 * Result text is drawn from a few hundred words with Zipf frequencies, plus numbers and ids: it
 * compresses about as much as real tool output (2–3× with deflate), not as a handful of repeated words would.
 */
const COMMON = (
  'the of and to in is that for it on with as was by this be are from at or an have not which but all ' +
  'were when we there can been has more one will if no out so said what up its about into than them ' +
  'can only other new some could time these two may then do first any my now such like our over man me ' +
  'even most made after also did many before must through back years where much your way well down ' +
  'should because each just those people how too little state good very make world still own see men ' +
  'work long get here between both life being under never day same another know while last might us ' +
  'great old year off come since against go came right used take three'
).split(' ');
const TECH = (
  'request response timeout retry webhook payload cursor page token scope invoice customer account ' +
  'region cluster deployment rollout replica container image build commit branch merge review ticket ' +
  'issue priority owner status pending resolved failed success latency throughput cache index query ' +
  'table column schema migration backup restore snapshot bucket object file folder document section ' +
  'paragraph heading summary report metric dashboard alert incident escalation calendar meeting ' +
  'attendee invite event reminder note task project milestone release version changelog dependency'
).split(' ');
const VOCABULARY = [...COMMON, ...TECH];
const ERRORS = [
  'upstream timed out after 30000ms',
  'permission denied for table carts',
  'rate limit exceeded (429)',
  'resource /v1/items/4821 not found',
  'invalid cursor "eyJpZCI6MTIzfQ"',
];
/**
 * A client that sends `create_*` tools the wrong arguments a third of the time: the compatibility matrix's flagged
 * cells (docs/adr/0205).
 */
const MISCALLING = { client: 'windsurf-client', tools: /^create_/, rate: 0.35 };
/** Tools models invent: called, and answered "not found" (docs/adr/0205). */
const INVENTED_TOOLS = ['search_web', 'get_user_profile', 'list_repositories', 'send_email'];

/**
 * Every class of failure a real server answers (docs/adr/0205), as the SDKs record them: of the failed
 * calls, 8% call an invented tool, 12% send invalid arguments, 6% end in a JSON-RPC error, the rest are
 * the tool's own errors. Drawn from a generator of their own, so that every other event stays as it was.
 */
function failure(failures, tool, message) {
  const roll = failures();
  const v1 = failures() < 0.5;
  if (roll < 0.08) {
    const name = INVENTED_TOOLS[Math.floor(failures() * INVENTED_TOOLS.length)];
    // MCP SDK v1 answers an unknown tool with an isError result, v2 with a thrown -32602.
    return v1
      ? {
          target: name,
          error: { type: 'ToolError', message: `MCP error -32602: Tool ${name} not found` },
          result: { isError: true, content: [{ type: 'text', text: `MCP error -32602: Tool ${name} not found` }] },
        }
      : {
          target: name,
          error: { type: 'ProtocolError', message: `Tool ${name} not found`, code: -32602 },
          result: undefined,
        };
  }
  if (roll < 0.2) {
    const text =
      `${v1 ? 'MCP error -32602: ' : ''}Input validation error: Invalid arguments for tool ${tool.name}: ` +
      `expected number at "limit", received "${Math.floor(failures() * 500)}"`;
    return {
      error: { type: 'ToolError', message: text },
      result: { isError: true, content: [{ type: 'text', text }] },
    };
  }
  if (roll < 0.26)
    return { error: { type: 'McpError', message: 'Request timed out', code: -32001 }, result: undefined };
  return {
    error: { type: 'ToolError', message, code: -32000 },
    result: { isError: true, content: [{ type: 'text', text: message }] },
  };
}

/** Forty tools: a name, a median latency and spread, a failure rate, and how wordy their results are. */
function tools(rand) {
  return Array.from({ length: 40 }, (_, i) => ({
    name:
      `${VERBS[i % VERBS.length]}_${NOUNS[((Math.floor(i / VERBS.length) * 2) % NOUNS.length) + (i % 2)]}` +
      (i >= 16 ? `_${Math.floor(i / 16)}` : ''),
    medianMs: Math.round(15 + rand() ** 2 * 900),
    spread: 0.4 + rand() * 0.8,
    failRate: rand() < 0.2 ? 0.05 + rand() * 0.2 : rand() * 0.02,
    // Popularity: a few tools take most calls.
    weight: 1 / (i + 1) ** 0.9,
    resultWords: 40 + Math.floor(rand() * 150),
  }));
}

function pickWeighted(items, rand) {
  let total = 0;
  for (const item of items) total += item.weight;
  let roll = rand() * total;
  for (const item of items) if ((roll -= item.weight) <= 0) return item;
  return items[items.length - 1];
}

/** Zipf-like: the first words of the vocabulary come far more often than the last. */
function word(rand) {
  const roll = rand();
  if (roll < 0.06) return String(Math.floor(rand() * 100_000));
  if (roll < 0.09) {
    const techWord = VOCABULARY[Math.floor(rand() * TECH.length) + COMMON.length];
    return `${techWord}-${Math.floor(rand() * 0xffff).toString(16)}`;
  }
  return VOCABULARY[Math.floor(VOCABULARY.length * rand() ** 2.2)];
}

function words(rand, n) {
  let out = '';
  for (let i = 0; i < n; i++) out += (i ? ' ' : '') + word(rand);
  return out;
}

/** Approximately log-normal: most calls near the median, a long tail. */
function latency(rand, tool) {
  const gaussian = (rand() + rand() + rand() + rand() - 2) * 1.2;
  return Math.round(tool.medianMs * Math.exp(gaussian * tool.spread) * 10) / 10;
}

/**
 * Yields batches (arrays of wire events) until `count` events: `batchSize` each. `endMs` is the newest
 * time (default now), `days` the span. Users' activity follows a power law: 10% of users make half the sessions.
 */
export function* realisticBatches({
  count = 10_000_000,
  days = 30,
  users = 5_000,
  batchSize = 500,
  seed = 7,
  endMs = Date.now(),
  idPrefix = 'r',
} = {}) {
  const rand = random(seed);
  const failures = random(seed * 7919 + 1);
  const toolList = tools(rand);
  const userList = Array.from({ length: users }, (_, i) => ({
    id: `user-${i}`,
    name: `User ${i}`,
    weight: 1 / (i + 1) ** 0.8,
    client: pickWeighted(CLIENTS, rand),
    secondClient: rand() < 0.3 ? pickWeighted(CLIENTS, rand) : null,
    era: rand() < 0.45 ? '2025' : '2026',
  }));
  const hours = days * 24;
  const start = endMs - days * 86_400_000;
  const perHour = count / hours;
  let produced = 0;
  let pending = [];
  // Event ids as the SDK makes them: a process's 16-character random prefix and a counter (four pods, restarted daily).
  const PODS = 4;
  const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let pods = [];
  const eventId = () => {
    const pod = pods[Math.floor(rand() * PODS)];
    return `${pod.prefix}-${(pod.counter++).toString(36)}`;
  };
  for (let hour = 0; hour < hours && produced < count; hour++) {
    const hourStart = start + hour * 3_600_000;
    if (hour % 24 === 0) {
      pods = Array.from({ length: PODS }, () => ({
        prefix: (idPrefix + Array.from({ length: 16 }, () => ID_CHARS[Math.floor(rand() * 64)]).join('')).slice(0, 16),
        counter: 0,
      }));
    }
    // Working hours (UTC 7–19) and weekdays carry most traffic.
    const hourOfDay = new Date(hourStart).getUTCHours();
    const weekday = new Date(hourStart).getUTCDay() % 6 !== 0;
    const load = (hourOfDay >= 7 && hourOfDay <= 19 ? 1.6 : 0.35) * (weekday ? 1.15 : 0.6);
    let budget = Math.round(perHour * load);
    const hourEvents = [];
    while (budget > 0) {
      const sessionStart = hourStart + Math.floor(rand() * 3_600_000);
      // Draws are sessions of ~15 events or single anonymous requests: this many draws make 8% of events anonymous.
      if (rand() < 0.55) {
        // An anonymous single request.
        const tool = pickWeighted(toolList, rand);
        hourEvents.push(
          callEvent(rand, failures, tool, 'claude-ai', {
            timestamp: sessionStart,
            id: eventId(),
            client: { name: 'claude-ai', version: '0.15.0' },
            protocolVersion: '2026-07-28',
          }),
        );
        budget--;
        continue;
      }
      const user = pickWeighted(userList, rand);
      const info = user.secondClient && rand() < 0.3 ? user.secondClient : user.client;
      const client = { name: info.name, version: info.versions[Math.floor(rand() * info.versions.length)] };
      const calls = 2 + Math.floor(rand() ** 1.5 * 30);
      const stateful = rand() < 0.11;
      const base = {
        user: { id: user.id, name: user.name },
        server: { name: 'acme-tools', version: '3.2.0' },
        transport: 'streamable-http',
      };
      // Transport session ids as the official SDKs make them: random UUIDs.
      if (stateful) Object.assign(base, { sessionId: uuid(rand), protocolVersion: '2025-11-25' });
      const fingerprinted = !stateful && user.era === '2025';
      if (fingerprinted)
        Object.assign(base, { clientFingerprint: `fp-${user.id}-${info.name}`, protocolVersion: '2025-11-25' });
      if (!stateful && !fingerprinted) Object.assign(base, { protocolVersion: '2026-07-28', client });
      let t = sessionStart;
      if (!fingerprinted || rand() < 0.85) {
        hourEvents.push({
          ...base,
          client,
          id: eventId(),
          timestamp: t,
          durationMs: Math.round(20 + rand() * 60) / 10,
          method: 'initialize',
        });
        hourEvents.push({
          ...base,
          ...(stateful ? { client } : {}),
          id: eventId(),
          timestamp: (t += 300),
          durationMs: Math.round(10 + rand() * 30) / 10,
          method: 'tools/list',
        });
        budget -= 2;
      }
      for (let c = 0; c < calls && budget > 0; c++, budget--) {
        t += 5_000 + Math.floor(rand() ** 2 * 240_000);
        hourEvents.push(
          callEvent(rand, failures, pickWeighted(toolList, rand), info.name, {
            ...base,
            ...(stateful ? { client } : {}),
            id: eventId(),
            timestamp: t,
          }),
        );
      }
    }
    hourEvents.sort((a, b) => a.timestamp - b.timestamp);
    for (const event of hourEvents) {
      if (produced >= count) break;
      // Nothing from the future: a session that runs past `endMs` is cut there.
      if (event.timestamp > endMs) continue;
      pending.push(event);
      produced++;
      if (pending.length === batchSize) {
        yield pending;
        pending = [];
      }
    }
  }
  if (pending.length > 0) yield pending;
}

function uuid(rand) {
  const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function callEvent(rand, failures, tool, clientName, base) {
  const failed = rand() < tool.failRate;
  const query = words(rand, 3 + Math.floor(rand() * 6));
  const args = {
    query,
    limit: 10 + Math.floor(rand() * 40),
    filters: { region: rand() < 0.5 ? 'eu-west-1' : 'us-east-1', includeArchived: rand() < 0.2 },
  };
  const event = {
    ...base,
    durationMs: latency(rand, tool),
    method: 'tools/call',
    target: tool.name,
    arguments: args,
    isError: failed,
  };
  if (failed) {
    const { result, ...failed } = failure(failures, tool, ERRORS[Math.floor(rand() * ERRORS.length)]);
    Object.assign(event, failed);
    if (result) event.result = result;
  } else {
    event.result = { content: [{ type: 'text', text: `${tool.name}: ${words(rand, tool.resultWords)}` }] };
    // After the main stream's draws, so that every other event stays as it was.
    if (clientName === MISCALLING.client && MISCALLING.tools.test(tool.name) && failures() < MISCALLING.rate) {
      const text =
        `MCP error -32602: Input validation error: Invalid arguments for tool ${tool.name}: ` +
        'expected object at "fields", received string';
      Object.assign(event, {
        isError: true,
        error: { type: 'ToolError', message: text },
        result: { isError: true, content: [{ type: 'text', text }] },
      });
    }
  }
  return event;
}
