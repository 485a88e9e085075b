import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  // The wire types are inlined into the .d.ts from the protocol sources; no runtime code comes along.
  dts: {
    resolve: ['@mcptrail/protocol'],
    compilerOptions: { baseUrl: '.', paths: { '@mcptrail/protocol': ['../protocol/src/index.ts'] } },
  },
  clean: true,
  sourcemap: true,
  target: 'node20',
  platform: 'node',
  // The MCP SDKs and fastmcp are probed at runtime, never imported (docs/adr/0101).
  external: [/^@modelcontextprotocol\//, 'fastmcp'],
  noExternal: ['@mcptrail/protocol'],
  treeshake: true,
});
