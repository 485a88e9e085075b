import { describe, expect, it } from 'vitest';
import { classifyFailure, type FailedRequest } from './failure-class.js';

const call = (error: Partial<FailedRequest>): FailedRequest => ({
  method: 'tools/call',
  errorType: null,
  errorCode: null,
  errorMessage: null,
  ...error,
});

describe('classifyFailure, on what the SDKs record', () => {
  it.each([
    // MCP SDK v1 (1.x McpServer): an unknown tool and bad arguments come back as isError results, the code inside the
    // text.
    [
      'v1 unknown tool',
      call({ errorType: 'ToolError', errorMessage: 'MCP error -32602: Tool invent_thing not found' }),
      'unknown_tool',
      '-32602',
      'Tool invent_thing not found',
    ],
    [
      'v1 disabled tool',
      call({ errorType: 'ToolError', errorMessage: 'MCP error -32602: Tool old_thing disabled' }),
      'unknown_tool',
      '-32602',
      'Tool old_thing disabled',
    ],
    [
      'v1 invalid arguments',
      call({
        errorType: 'ToolError',
        errorMessage:
          'MCP error -32602: Input validation error: Invalid arguments for tool add: ' +
          '[{"path":["a"],"message":"Expected number, received string"}]',
      }),
      'invalid_arguments',
      '-32602',
      'Input validation error: Invalid arguments for tool add: [{"<value>":["<value>"],"<value>":"<value>"}]',
    ],
    [
      'v1 output validation',
      call({
        errorType: 'ToolError',
        errorMessage:
          'MCP error -32602: Output validation error: ' +
          'Tool add has an output schema but no structured content was provided',
      }),
      'tool_error',
      '-32602',
      'Output validation error: Tool add has an output schema but no structured content was provided',
    ],
    // MCP SDK v2 (2.x McpServer): an unknown tool is a thrown ProtocolError -32602; bad arguments an isError result.
    [
      'v2 unknown tool',
      call({ errorType: 'ProtocolError', errorCode: '-32602', errorMessage: 'Tool invent_thing not found' }),
      'unknown_tool',
      '-32602',
      'Tool invent_thing not found',
    ],
    [
      'v2 invalid arguments',
      call({
        errorType: 'ToolError',
        errorMessage: 'Input validation error: Invalid arguments for tool add: ✖ Invalid input',
      }),
      'invalid_arguments',
      null,
      'Input validation error: Invalid arguments for tool add: ✖ Invalid input',
    ],
    // Python FastMCP.
    [
      'FastMCP unknown tool',
      call({ errorType: 'ToolError', errorMessage: 'Unknown tool: invent_thing' }),
      'unknown_tool',
      null,
      'Unknown tool: invent_thing',
    ],
    [
      'FastMCP validation',
      call({ errorType: 'ToolError', errorMessage: 'Error executing tool add: 1 validation error for addArguments' }),
      'invalid_arguments',
      null,
      'Error executing tool add: <n> validation error for addArguments',
    ],
    // JSON-RPC errors.
    [
      'method not found',
      call({ errorType: 'McpError', errorCode: '-32601', errorMessage: 'Method not found' }),
      'unknown_tool',
      '-32601',
      'Method not found',
    ],
    [
      'invalid params',
      {
        method: 'resources/read',
        errorType: 'McpError',
        errorCode: '-32602',
        errorMessage: 'Resource file:///x not found',
      },
      'invalid_arguments',
      '-32602',
      'Resource <url> not found',
    ],
    [
      'internal error',
      call({ errorType: 'McpError', errorCode: '-32603', errorMessage: 'Internal error' }),
      'protocol_error',
      '-32603',
      'Internal error',
    ],
    [
      'a handler that threw',
      call({ errorType: 'TypeError', errorMessage: "Cannot read properties of undefined (reading 'id')" }),
      'protocol_error',
      null,
      "Cannot read properties of undefined (reading '<value>')",
    ],
    [
      'a tool error',
      call({ errorType: 'ToolError', errorCode: '-32000', errorMessage: 'upstream timed out after 30000ms' }),
      'tool_error',
      '-32000',
      'upstream timed out after <n>ms',
    ],
    [
      'a tool error naming a missing resource',
      call({ errorType: 'ToolError', errorMessage: 'resource /v1/items/4821 not found' }),
      'tool_error',
      null,
      'resource <path> not found',
    ],
    ['isError alone', call({}), 'tool_error', null, ''],
    [
      'isError alone, not a tool',
      { method: 'resources/read', errorType: null, errorCode: null, errorMessage: null },
      'protocol_error',
      null,
      '',
    ],
  ] as const)('%s', (_name, request, failureClass, code, pattern) => {
    expect(classifyFailure(request)).toEqual({ failureClass, code, pattern });
  });
});
