"""Where the SDK meets an MCP package: shapes are probed, never versions (docs/adr/0101)."""
