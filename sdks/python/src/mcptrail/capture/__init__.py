"""Pure parts: a finished request in, a wire event out (no I/O, no MCP imports)."""
