/**
 * Product names for the raw `clientInfo.name` values that well-known MCP clients send,
 * and for the User-Agent products they send (the SDK falls back to those, `client.source: userAgent`).
 * One table, matched case-insensitively on the whole name; anything else is shown raw.
 * The raw name is always available on hover (ClientName).
 */
export const KNOWN_CLIENTS: readonly { product: string; raw: readonly string[] }[] = [
  { product: 'Claude Desktop', raw: ['claude-ai', 'Claude Desktop', 'claude-desktop'] },
  { product: 'Claude Code', raw: ['claude-code'] },
  { product: 'Claude (web connectors)', raw: ['Claude-User'] },
  { product: 'Cursor', raw: ['cursor-vscode', 'Cursor'] },
  { product: 'VS Code', raw: ['Visual Studio Code', 'Visual Studio Code - Insiders', 'vscode'] },
  { product: 'Windsurf', raw: ['windsurf-client', 'Windsurf'] },
  { product: 'Zed', raw: ['Zed'] },
  { product: 'Cline', raw: ['Cline'] },
  { product: 'Continue', raw: ['continue-client', 'Continue'] },
  { product: 'Goose', raw: ['goose'] },
  { product: 'ChatGPT', raw: ['openai-mcp', 'ChatGPT-User'] },
  { product: 'Gemini CLI', raw: ['gemini-cli-mcp-client'] },
  { product: 'Codex', raw: ['codex-mcp-client'] },
  { product: 'MCP Inspector', raw: ['mcp-inspector', 'inspector-client', 'inspector-cli'] },
];

const BY_RAW = new Map<string, string>(
  KNOWN_CLIENTS.flatMap(({ product, raw }) => raw.map((name) => [name.toLowerCase(), product] as const)),
);

export const UNKNOWN_CLIENT_LABEL = 'Unknown client';

/** The product name for a raw client name, the raw name itself when unknown, or a placeholder for none. */
export function clientDisplayName(raw: string | null | undefined): string {
  if (raw === null || raw === undefined || raw.trim() === '') return UNKNOWN_CLIENT_LABEL;
  return BY_RAW.get(raw.trim().toLowerCase()) ?? raw;
}
