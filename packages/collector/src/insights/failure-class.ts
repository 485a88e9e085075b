/**
 * What kind of failure a failed request was, from what the SDKs record
 * (docs/adr/0205-failure-clusters-and-client-matrix.md):
 * - `unknown_tool`: the model called a tool or prompt that does not exist
 *   (JSON-RPC -32601, or "Tool x not found" / "Unknown tool: x": MCP SDK v1
 *   answers it as an `isError` result "MCP error -32602: Tool x not found", v2
 *   throws -32602 "Tool x not found", Python's FastMCP answers "Unknown tool: x");
 * - `invalid_arguments`: the arguments failed validation (-32602, "Invalid
 *   arguments", "Input validation error", "validation error");
 * - `tool_error`: the tool answered `isError: true` (the SDKs record it as
 *   `error.type` `ToolError`);
 * - `protocol_error`: any other failure (a JSON-RPC error answer: internal
 *   errors, timeouts, handlers that threw in a low-level server).
 * Pure.
 */
import { normaliseMessage } from './failure-message.js';

export type FailureClass = 'unknown_tool' | 'invalid_arguments' | 'tool_error' | 'protocol_error';

export const FAILURE_CLASSES: readonly FailureClass[] = [
  'unknown_tool',
  'invalid_arguments',
  'tool_error',
  'protocol_error',
];

export interface FailedRequest {
  method: string;
  errorType: string | null;
  /** As stored: text (a JSON-RPC code is its decimal digits). */
  errorCode: string | null;
  errorMessage: string | null;
}

export interface FailureKind {
  failureClass: FailureClass;
  /** The JSON-RPC code: the recorded one, else the one an MCP SDK v1 error message begins with. */
  code: string | null;
  /** The message without the code prefix, normalised (failure-message.ts). */
  pattern: string;
}

const METHOD_NOT_FOUND = '-32601';
const INVALID_PARAMS = '-32602';
/** MCP SDK v1's `McpError` puts its code in its message: "MCP error -32602: Tool x not found". */
const V1_CODE_PREFIX = /^MCP error (-?\d+):\s*/;
const UNKNOWN_TOOL = new RegExp(
  `^(?:${[
    /unknown (?:tool|prompt)\b/,
    /(?:tool|prompt) not found\b/,
    /(?:tool|prompt) \S+ (?:not found|disabled|does not exist|is not registered)\b/,
    /no (?:such )?(?:tool|prompt)\b/,
    /method not found\b/,
  ]
    .map((alternative) => alternative.source)
    .join('|')})`,
  'i',
);
const INVALID_ARGUMENTS =
  /^(?:input validation error\b|invalid arguments\b|invalid params\b)|\bvalidation errors? for\b/i;
/** The tool's result failed its output schema: the server's fault, not the caller's, whatever its code. */
const OUTPUT_VALIDATION = /^output validation error\b/i;

export function classifyFailure(request: FailedRequest): FailureKind {
  const raw = request.errorMessage ?? '';
  const prefixed = V1_CODE_PREFIX.exec(raw);
  const message = prefixed ? raw.slice(prefixed[0].length) : raw;
  const code = request.errorCode ?? prefixed?.[1] ?? null;
  return { failureClass: classOf(request, code, message), code, pattern: normaliseMessage(message) };
}

function classOf(request: FailedRequest, code: string | null, message: string): FailureClass {
  if (code === METHOD_NOT_FOUND || UNKNOWN_TOOL.test(message)) return 'unknown_tool';
  if (OUTPUT_VALIDATION.test(message)) return request.errorType === 'ToolError' ? 'tool_error' : 'protocol_error';
  if (code === INVALID_PARAMS || INVALID_ARGUMENTS.test(message)) return 'invalid_arguments';
  // `isError: true` without an error object from a sender that sent none: a tool result too.
  if (
    request.errorType === 'ToolError' ||
    (request.errorType === null && code === null && request.method === 'tools/call')
  )
    return 'tool_error';
  return 'protocol_error';
}
