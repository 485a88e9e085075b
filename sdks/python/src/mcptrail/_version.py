"""Sent as ``sdk`` with every batch; kept in step with pyproject.toml by a test."""

SDK_NAME = "mcptrail-python"
SDK_VERSION = "0.1.0"
