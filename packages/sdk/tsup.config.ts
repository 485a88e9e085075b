import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: { resolve: true },
  clean: true,
  sourcemap: true,
  target: 'node20',
  platform: 'node',
  // The MCP SDKs and fastmcp are probed at runtime, never imported (docs/adr/0101).
  external: [/^@modelcontextprotocol\//, 'fastmcp'],
  noExternal: ['@mcptrail/protocol'],
  treeshake: true,
});
