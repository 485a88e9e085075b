import { describe, expect, it } from 'vitest';
import { KNOWN_CLIENTS, UNKNOWN_CLIENT_LABEL, clientDisplayName } from './client-names';

describe('clientDisplayName', () => {
  it.each([
    ['claude-ai', 'Claude Desktop'],
    ['cursor-vscode', 'Cursor'],
    ['Cursor', 'Cursor'],
    ['Visual Studio Code', 'VS Code'],
    ['vscode', 'VS Code'],
    ['windsurf-client', 'Windsurf'],
    ['Windsurf', 'Windsurf'],
    ['Zed', 'Zed'],
    ['claude-code', 'Claude Code'],
    ['CLAUDE-AI', 'Claude Desktop'],
  ])('%s → %s', (raw, product) => {
    expect(clientDisplayName(raw)).toBe(product);
  });

  it('shows unknown names as they came', () => {
    expect(clientDisplayName('my-own-agent')).toBe('my-own-agent');
  });

  it('has a placeholder for no client', () => {
    expect(clientDisplayName(null)).toBe(UNKNOWN_CLIENT_LABEL);
    expect(clientDisplayName('  ')).toBe(UNKNOWN_CLIENT_LABEL);
  });

  it('never maps one raw name to two products', () => {
    const raws = KNOWN_CLIENTS.flatMap((c) => c.raw.map((r) => r.toLowerCase()));
    expect(new Set(raws).size).toBe(raws.length);
  });
});
