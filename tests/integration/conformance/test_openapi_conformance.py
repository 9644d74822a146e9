"""The client's requests and the emulator's answers, checked against Cloudflare's OpenAPI
description.

The description lives beside the checkout (shared/cloudflare/realtime-kit-openapi.json) and is
read, never copied. Its app_id schema allows 32 characters, which real 36-character UUID app IDs
break, so these checks use a 32-character app ID; UUIDs are covered by the other tests.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from openapi_schema_validator import OAS30Validator

from app.core.client import RealtimeKitClient
from app.emulator.demo import DEMO_ACCOUNT_ID, DEMO_TOKEN
from tests.conftest import SHARED_DIR

pytestmark = pytest.mark.integration

SPEC_PATH = SHARED_DIR / "cloudflare" / "realtime-kit-openapi.json"
SPEC_APP_ID = "0123456789abcdef0123456789abcdef"  # 32 characters: the spec's limit


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    if not SPEC_PATH.exists():
        pytest.skip(f"Cloudflare's OpenAPI description is not at {SPEC_PATH}")
    return json.loads(SPEC_PATH.read_text())


@dataclass(frozen=True)
class Operation:
    template: str
    method: str
    definition: dict[str, Any]
    path_parameters: dict[str, Any]


def find_operation(spec: dict[str, Any], method: str, path: str) -> Operation | None:
    for template, item in spec["paths"].items():
        names = re.findall(r"{([^}]+)}", template)
        pattern = "^" + re.sub(r"\\{[^}]+\\}", "([^/]+)", re.escape(template)) + "$"
        match = re.match(pattern, path)
        if match and method.lower() in item:
            return Operation(
                template,
                method,
                item[method.lower()],
                dict(zip(names, match.groups(), strict=True)),
            )
    return None


def validate(spec: dict[str, Any], schema: dict[str, Any], instance: Any) -> list[str]:
    # Embedding the components lets "#/components/..." references resolve.
    document = {**schema, "components": spec["components"]}
    return [error.message for error in OAS30Validator(document).iter_errors(instance)]


def as_documented(schema: dict[str, Any], body: Any) -> tuple[dict[str, Any], Any]:
    """The list endpoint's `data` is an array in real answers but one object in the description.

    The emulator answers as Cloudflare really does; each element is then checked against the
    described object, and the top-level paging against the described paging.
    """
    data_schema = schema.get("properties", {}).get("data", {})
    if not (isinstance(body, dict) and isinstance(body.get("data"), list)):
        return schema, body
    if data_schema.get("type") != "object":
        return schema, body
    item_schema = {k: v for k, v in data_schema.items() if k != "properties"}
    item_schema["properties"] = {
        k: v for k, v in data_schema.get("properties", {}).items() if k != "paging"
    }
    paging_schema = data_schema.get("properties", {}).get("paging", {"type": "object"})
    wrapped = {
        "type": "object",
        "properties": {
            "success": {"type": "boolean"},
            "data": {"type": "array", "items": item_schema},
            "paging": paging_schema,
        },
    }
    return wrapped, body


def parameters(spec, operation: Operation) -> Iterator[dict[str, Any]]:
    item = spec["paths"][operation.template]
    yield from [*item.get("parameters", []), *operation.definition.get("parameters", [])]


@pytest.fixture
def exchanges(emulator) -> list[tuple[httpx.Request, httpx.Response]]:
    emulator.add_app(DEMO_ACCOUNT_ID, SPEC_APP_ID, "Spec-sized app")
    return []


async def drive_client(emulator, exchanges) -> None:
    async def record(response: httpx.Response) -> None:
        await response.aread()
        exchanges.append((response.request, response))

    async with httpx.AsyncClient(event_hooks={"response": [record]}) as http:
        client = RealtimeKitClient(http, DEMO_TOKEN, base_url=emulator.base_url)
        created = await client.create_livestream(DEMO_ACCOUNT_ID, SPEC_APP_ID, "conformance-1")
        await client.create_livestream(DEMO_ACCOUNT_ID, SPEC_APP_ID)
        await client.list_livestreams(DEMO_ACCOUNT_ID, SPEC_APP_ID, status="IDLE")
        await client.list_livestreams(DEMO_ACCOUNT_ID, SPEC_APP_ID, page_no=2, per_page=1)
        await client.get_livestream(DEMO_ACCOUNT_ID, SPEC_APP_ID, created.id)
        emulator.broadcast(created.id).start()
        await client.get_active_session(DEMO_ACCOUNT_ID, SPEC_APP_ID, created.id)
        await client.list_apps(DEMO_ACCOUNT_ID)


async def test_client_requests_match_the_description(spec, emulator, exchanges):
    await drive_client(emulator, exchanges)
    checked = 0
    for recorded in emulator.requests:
        if recorded.api_path is None or recorded.api_path.endswith("/tokens/verify"):
            continue  # the HLS pattern, and the v4 verify endpoint the description lacks
        operation = find_operation(spec, recorded.method, recorded.api_path)
        assert operation, f"{recorded.method} {recorded.api_path} is not in the description"
        for parameter in parameters(spec, operation):
            name, where = parameter["name"], parameter["in"]
            if where == "path":
                value = operation.path_parameters[name]
            elif where == "query" and name in recorded.query:
                raw = recorded.query[name][0]
                value = int(raw) if parameter["schema"].get("type") == "integer" else raw
            else:
                assert not parameter.get("required") or where != "query", name
                continue
            assert validate(spec, parameter["schema"], value) == [], (name, value)
        for name in recorded.query:
            assert name in {p["name"] for p in parameters(spec, operation)}, name
        body_spec = operation.definition.get("requestBody")
        if body_spec:
            schema = body_spec["content"]["application/json"]["schema"]
            assert recorded.json is not None, "a JSON body is required"
            assert validate(spec, schema, recorded.json) == []
        checked += 1
    assert checked >= 7


async def test_emulator_answers_match_the_description(spec, emulator, exchanges):
    await drive_client(emulator, exchanges)
    checked = 0
    for request, response in exchanges:
        path = request.url.path.removeprefix("/client/v4")
        operation = find_operation(spec, request.method, path)
        assert operation, f"{request.method} {path} is not in the description"
        answer = operation.definition["responses"].get(str(response.status_code))
        assert answer, f"{request.method} {path} answered {response.status_code}"
        schema = answer["content"]["application/json"]["schema"]
        errors = validate(spec, *as_documented(schema, response.json()))
        assert errors == [], f"{request.method} {operation.template}: {errors}"
        checked += 1
    assert checked >= 7


def test_uuid_app_ids_break_the_descriptions_limit(spec):
    """Why the checks above use a 32-character app ID: real UUIDs exceed the schema."""
    app_schema = spec["components"]["schemas"]["realtimekit_app_id"]
    assert validate(spec, app_schema, "0b4b1f3e-5a4c-4d7e-9a55-0e6f3c1d2b7a") != []
    assert validate(spec, app_schema, SPEC_APP_ID) == []
