import type { FailureClass } from '@mcptrail/protocol';

/** Each failure class in words, and what it says about who got it wrong (docs/adr/0205). */
export const FAILURE_CLASS_INFO: Record<FailureClass, { label: string; plural: string; help: string }> = {
  unknown_tool: {
    label: 'unknown tool',
    plural: 'Unknown tools',
    help:
      'The model called a tool or prompt the server does not have ' +
      '(method not found, "Tool x not found", "Unknown tool")',
  },
  invalid_arguments: {
    label: 'invalid arguments',
    plural: 'Invalid arguments',
    help: 'The arguments failed the tool’s input schema (JSON-RPC -32602, "Invalid arguments", "validation error")',
  },
  tool_error: { label: 'tool error', plural: 'Tool errors', help: 'The tool ran and answered isError: true' },
  protocol_error: {
    label: 'protocol error',
    plural: 'Protocol errors',
    help: 'A JSON-RPC error answer: internal errors, timeouts, handlers that threw',
  },
};

export const FAILURE_CLASSES = Object.keys(FAILURE_CLASS_INFO) as FailureClass[];

export function FailureClassBadge({ value }: { value: FailureClass }) {
  const info = FAILURE_CLASS_INFO[value];
  return (
    <span className={`badge failure-${value}`} title={info.help} data-testid="failure-class">
      {info.label}
    </span>
  );
}
