"""Which client made a request, and where that was found (docs/sdk.md, "Client identity")."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

ClientSource = Literal["clientInfo", "header", "userAgent"]

ENVELOPE_CLIENT_INFO = "io.modelcontextprotocol/clientInfo"
ENVELOPE_PROTOCOL_VERSION = "io.modelcontextprotocol/protocolVersion"


@dataclass(frozen=True)
class ClientInfo:
    name: str
    version: str | None = None
    #: Where the name was found: the MCP ``clientInfo``, an ``x-mcp-client-name`` header, or the User-Agent.
    source: ClientSource = "clientInfo"


def as_client(value: Any, source: ClientSource) -> ClientInfo | None:
    """A ``{name, version}`` mapping, or an object with those attributes (a pydantic ``Implementation``)."""
    if isinstance(value, Mapping):
        name, version = value.get("name"), value.get("version")
    else:
        name, version = getattr(value, "name", None), getattr(value, "version", None)
    if not isinstance(name, str) or not name:
        return None
    return ClientInfo(name, version if isinstance(version, str) else None, source)


#: User-Agent products that name an HTTP library, a runtime or a browser engine, not an
#: MCP client, by family rather than exact string (the TypeScript SDK's list).
_HTTP_LIBRARY_FAMILIES = re.compile(
    "|".join(
        (
            r"^python(-|$)",
            r"^(py)?(httpx|requests|urllib|aiohttp|httpcore)\d*$",
            r"^(node|node-fetch|undici|axios|got|superagent|ky|bun|deno)$",
            r"^(curl|libcurl|wget|httpie)$",
            r"^go-http-client$",
            r"^(okhttp|java|apache-httpclient|java-http-client|jetty|reactor-netty)$",
            r"^(reqwest|hyper|ureq|rust)$",
            r"^(ruby|faraday|net::http|typhoeus)$",
            r"^(dart|dart:io)$",
            r"^(dotnet|\.net|restsharp)",
            r"^(mozilla|opera)$",
        )
    ),
    re.ASCII,
)
_PRODUCT = re.compile(r"^\s*([^\s/()]+)(?:/([^\s()]+))?")


def is_http_library(product: str) -> bool:
    return _HTTP_LIBRARY_FAMILIES.search(product.lower()) is not None


def product_token(user_agent: str | None) -> ClientInfo | None:
    """``Cursor/1.7.2 (darwin)`` → Cursor 1.7.2, unless the product is an HTTP library."""
    if not user_agent:
        return None
    match = _PRODUCT.match(user_agent)
    if not match or is_http_library(match.group(1)):
        return None
    return ClientInfo(match.group(1), match.group(2), "userAgent")


def resolve_client(
    envelope: Mapping[str, Any] | None,
    connection_client: Any,
    token_client: ClientInfo | None,
    header: Callable[[str], str | None] | None,
) -> ClientInfo | None:
    """First found wins: the request's envelope, the connection's ``initialize``,
    the conversation token, the ``x-mcp-client-*`` headers, the User-Agent."""
    found = as_client(envelope.get(ENVELOPE_CLIENT_INFO), "clientInfo") if envelope else None
    found = found or as_client(connection_client, "clientInfo") or token_client
    if found or header is None:
        return found
    named = as_client({"name": header("x-mcp-client-name"), "version": header("x-mcp-client-version")}, "header")
    return named or product_token(header("user-agent"))


def names_its_client(envelope: Mapping[str, Any] | None) -> bool:
    """The request names its client itself (2026-07-28): no fingerprint is needed to find it."""
    return envelope is not None and as_client(envelope.get(ENVELOPE_CLIENT_INFO), "clientInfo") is not None
