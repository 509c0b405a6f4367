"""Every parameter of api/openapi.yaml is an argument of the Python methods, sync and async, with
the same name, and required exactly when the description requires it."""

from __future__ import annotations

import inspect
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

import mycpaas._mycpaas as native

SPEC = yaml.safe_load((Path(__file__).resolve().parents[2] / "api" / "openapi.yaml").read_text("utf-8"))
CALLS = "/2010-04-01/Accounts/{AccountSid}/Calls.json"
CALL = "/2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}.json"
CURSORS = {"Page", "PageToken"}


def resolve(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = SPEC
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def python_name(wire: str, declared: dict[str, Any]) -> str:
    name = declared.get("x-mycpaas-name") or re.sub(r"(?<!^)(?=[A-Z])", "_", wire).lower()
    return "from_" if name == "from" else name


def form_arguments(path: str) -> dict[str, bool]:
    body = resolve(SPEC["paths"][path]["post"]["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"])
    required = set(body.get("required", []))
    return {python_name(wire, schema): wire in required for wire, schema in body["properties"].items()}


def query_arguments(path: str, cursors: bool) -> dict[str, bool]:
    arguments = {}
    for declared in map(resolve, SPEC["paths"][path]["get"]["parameters"]):
        if declared["in"] == "query" and (cursors or declared["name"] not in CURSORS):
            arguments[python_name(declared["name"], declared)] = bool(declared.get("required"))
    return arguments


EXPECTED = {
    "create": form_arguments(CALLS),
    "update": {"sid": True, **form_arguments(CALL)},
    "fetch": {"sid": True},
    "delete": {"sid": True},
    "cancel": {"sid": True},
    "hangup": {"sid": True},
    "list": {"limit": False, **query_arguments(CALLS, cursors=False)},
    "stream": {"limit": False, **query_arguments(CALLS, cursors=False)},
    "page": query_arguments(CALLS, cursors=True),
}


@pytest.mark.parametrize("cls", [native.Calls, native.AsyncCalls], ids=["sync", "async"])
@pytest.mark.parametrize("method", sorted(EXPECTED))
def test_every_parameter_of_the_description_is_an_argument(cls: type, method: str) -> None:
    parameters = inspect.signature(getattr(cls, method)).parameters
    actual = {
        name: parameter.default is inspect.Parameter.empty
        for name, parameter in parameters.items()
        if name != "self"
    }
    assert actual == EXPECTED[method]
    assert getattr(cls, method).__doc__
