"""Client continuity byte for byte with the TypeScript SDK (packages/protocol/test-vectors/continuity.json)."""

from __future__ import annotations

from typing import Any

from mcptrail.capture.client_address import client_address_of, network_of
from mcptrail.capture.client_fingerprint import FingerprintFacts, Fingerprints, protocol_version_for_fingerprint
from mcptrail.capture.client_identity import ClientInfo, product_token
from mcptrail.capture.conversation_token import Conversation, issue_conversation_token, read_conversation_token
from mcptrail.capture.keyed_hash import create_keyed_hash
from tests.vectors import load

VECTORS = load("continuity.json")


def client_of(raw: Any) -> ClientInfo | None:
    return ClientInfo(raw["name"], raw["version"], raw.get("source", "clientInfo")) if raw else None


def conversation_of(raw: Any) -> Conversation | None:
    return Conversation(raw["id"], client_of(raw.get("client"))) if raw else None


def test_keyed_hashes() -> None:
    for v in VECTORS["keyedHashes"]:
        assert create_keyed_hash(v["key"])(v["purpose"], v["text"]) == v["hash"]


def test_networks_addresses_and_revisions() -> None:
    for v in VECTORS["networks"]:
        assert network_of(v["address"]) == v["network"], v
    for v in VECTORS["clientAddresses"]:
        assert client_address_of(v["forwardedFor"], v["peer"], v["trustProxy"]) == v["address"], v
    for v in VECTORS["protocolVersions"]:
        assert protocol_version_for_fingerprint(v["method"], v["negotiated"], v["header"]) == v["protocolVersion"], v


def test_fingerprints() -> None:
    for v in VECTORS["fingerprints"]:
        facts = v["facts"]
        fingerprints = Fingerprints(create_keyed_hash(v["key"]))
        found = fingerprints.of(FingerprintFacts(facts["userAgent"], facts["clientHeader"], facts["protocolVersion"], facts["address"]))
        assert found == v["fingerprint"], v


def test_tokens_issued_in_python_are_the_typescript_ones() -> None:
    for v in VECTORS["issuedTokens"]:
        token, conversation = issue_conversation_token(client_of(v["client"]), create_keyed_hash(v["key"]), v["id"])
        assert token == v["token"], v
        assert conversation == conversation_of(v["conversation"])


def test_tokens_read_in_python_as_in_typescript() -> None:
    for v in VECTORS["readTokens"]:
        assert read_conversation_token(v["token"], create_keyed_hash(v["key"])) == conversation_of(v["conversation"]), v


def test_user_agent_product_tokens() -> None:
    for v in VECTORS["userAgents"]:
        assert product_token(v["userAgent"]) == client_of(v["client"]), v
