"""CallPage.from_json: a page of calls read from JSON received some other way, decoded lazily."""

from __future__ import annotations

import gc
import json
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

import pytest

import mycpaas
from mycpaas.exceptions import DecodeError


def a_call(n: int, **fields: Any) -> dict[str, Any]:
    call: dict[str, Any] = {
        "sid": f"CA{n:032x}",
        "account_sid": "AC" + "0" * 32,
        "to": f"+1555{n:07d}",
        "from": "+15559870000",
        "status": "completed",
        "direction": "outbound-api",
        "date_created": "Tue, 31 Aug 2010 20:36:28 +0000",
        "start_time": "2026-04-19T10:00:01Z",
        "end_time": None,
        "duration": "15",
        "price": "-0.03000",
        "price_unit": "USD",
        "queue_time": 0,
        "subresource_uris": {"events": f"/Calls/CA{n}/Events.json"},
        "uri": f"/2010-04-01/Accounts/AC0/Calls/CA{n:032x}.json",
    }
    call.update(fields)
    return call


def a_page(calls: list[dict[str, Any]], **fields: Any) -> bytes:
    page: dict[str, Any] = {
        "page": 0,
        "page_size": 50,
        "uri": "/2010-04-01/Accounts/AC0/Calls.json?PageSize=50&Page=0",
        "first_page_uri": "/2010-04-01/Accounts/AC0/Calls.json?PageSize=50&Page=0",
        "next_page_uri": "/2010-04-01/Accounts/AC0/Calls.json?PageSize=50&Page=1",
        "previous_page_uri": None,
        "calls": calls,
    }
    page.update(fields)
    return json.dumps(page).encode()


def test_a_page_reads_like_a_fetched_one() -> None:
    body = a_page([a_call(n) for n in range(50)])
    page = mycpaas.CallPage.from_json(body)
    assert isinstance(page, mycpaas.CallPage)
    assert len(page) == 50 and len(page.calls) == 50
    assert (page.page, page.page_size, page.previous_page_uri) == (0, 50, None)
    assert page.next_page_uri == "/2010-04-01/Accounts/AC0/Calls.json?PageSize=50&Page=1"
    assert [call.sid for call in page.calls] == [f"CA{n:032x}" for n in range(50)]
    call = page.calls[7]
    assert (call.to, call.from_, call.status, call.direction) == ("+15550000007", "+15559870000", "completed", "outbound-api")
    assert call.date_created == datetime(2010, 8, 31, 20, 36, 28, tzinfo=timezone.utc)
    assert call.start_time == datetime(2026, 4, 19, 10, 0, 1, tzinfo=timezone.utc)
    assert call.end_time is None and call.date_updated is None and call.annotation is None
    assert call.duration == 15
    assert call.price == Decimal("-0.03000")
    assert call.queue_time == Decimal("0")
    assert call.subresource_uris == {"events": "/Calls/CA7/Events.json"}
    assert call.extra == {}
    assert call.to_dict()["from_"] == "+15559870000"
    assert "CallPage(page=0, calls=50" in repr(page)
    assert repr(call).startswith(f"Call(sid=\"CA{7:032x}\", to=\"+15550000007\"")


def test_str_bytes_and_bytearray_bodies_read_the_same() -> None:
    body = a_page([a_call(1, caller_name="Zoë \u00e9 \"quoted\"")])
    for form in (body, body.decode(), bytearray(body)):
        page = mycpaas.CallPage.from_json(form)
        assert page.calls[0].caller_name == "Zoë \u00e9 \"quoted\""
        assert page.calls[0] == mycpaas.CallPage.from_json(body).calls[0]


def test_an_empty_page() -> None:
    page = mycpaas.CallPage.from_json(b'{"page": 3, "page_size": 50, "calls": [], "next_page_uri": null}')
    assert len(page) == 0 and page.calls == [] and page.page == 3 and page.next_page_uri is None
    assert len(mycpaas.CallPage.from_json("{}")) == 0


def test_unknown_fields_are_kept_in_extra() -> None:
    body = a_page([a_call(1, trunk_sid=None, shiny_new_field={"deep": [1, 2.5, "x"]})], num_pages=9)
    call = mycpaas.CallPage.from_json(body).calls[0]
    assert call.extra == {"trunk_sid": None, "shiny_new_field": {"deep": [1, 2.5, "x"]}}
    assert call.to_dict()["extra"] == call.extra


@pytest.mark.parametrize(
    ("body", "what"),
    [
        (b'{"page": 0, "calls": [{"sid": "CA1"}', "EOF while parsing"),
        (b'{"page": 0 "calls": []}', "expected `,` or `}` at line 1 column 12"),
        (b'{"calls": [{"sid": "CA1", "to": "+1\x01"}]}', "control character"),
        (b'{"calls": [{"sid": "CA1",}]}', "key must be a string at line 1 column 26"),
        (b'{"calls": [] } x', "trailing characters"),
        (b"[]", "invalid type: sequence"),
        (b'{"calls": "none"}', "invalid type: string"),
        (b'{"calls": [{"to": "+1"}]}', "missing field `sid`"),
        (b'{"calls": [{"sid": 5}]}', "invalid type: integer `5`"),
        (b'{"page": "first", "calls": []}', "expected a whole number"),
        (b'{"calls": [{"sid": "\xff"}]}', "invalid unicode code point at line 1 column 21"),
        (b"", "EOF while parsing"),
    ],
)
def test_invalid_pages_raise_decode_error_naming_the_fault(body: bytes, what: str) -> None:
    with pytest.raises(DecodeError) as raised:
        mycpaas.CallPage.from_json(body)
    assert what in str(raised.value)
    assert raised.value.status == 200


def test_a_field_that_does_not_decode_is_named_and_the_call_kept() -> None:
    page = mycpaas.CallPage.from_json(a_page([a_call(1, end_time="soon"), a_call(2, duration="long")]))
    late, long = page.calls
    assert (late.end_time, late.duration, long.duration) == (None, 15, None)
    assert late.problems[0][0] == "end_time" and "unrecognised date" in late.problems[0][1]
    assert long.problems[0][0] == "duration" and "expected a whole number" in long.problems[0][1]


def test_not_a_body_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        mycpaas.CallPage.from_json(123)  # type: ignore[arg-type]


def test_truncated_pages_raise_or_read_never_crash() -> None:
    body = a_page([a_call(n) for n in range(3)])
    for cut in range(len(body)):
        try:
            page = mycpaas.CallPage.from_json(body[:cut])
        except DecodeError:
            continue
        raise AssertionError(f"a page cut at {cut} was accepted: {page!r}")
    assert len(mycpaas.CallPage.from_json(body)) == 3


def test_calls_are_made_once_and_shared() -> None:
    page = mycpaas.CallPage.from_json(a_page([a_call(n) for n in range(3)]))
    first, second = page.calls, page.calls
    assert first == second and first is not second  # a new list, for callers that change it
    assert all(a is b for a, b in zip(first, second))
    first.clear()
    assert len(page.calls) == 3


def test_calls_outlive_their_page_and_compare_by_content() -> None:
    body = a_page([a_call(1), a_call(2)])
    calls = mycpaas.CallPage.from_json(body).calls
    gc.collect()
    assert calls[1].to == "+15550000002"
    again = mycpaas.CallPage.from_json(body).calls
    assert calls[0] == again[0] and calls[0] != again[1] and calls[0] != "CA1"
    assert hash(calls[0]) == hash(again[0])
    assert len({calls[0], again[0], again[1]}) == 2


def test_a_fetched_call_and_the_same_call_of_a_page_read_the_same(client: mycpaas.Client, number: str) -> None:
    created = client.calls.create(to=number, from_="+15559870000", twiml="<Response><Pause length=\"600\"/></Response>")
    # Hung up first: a call in progress moves on (queued, initiated, ...) between two reads.
    assert client.calls.hangup(created.sid).status == "completed"
    fetched = client.calls.fetch(created.sid)
    page = client.calls.page(to=number, page_size=5)
    assert len(page) == 1
    of_page = page.calls[0]
    assert of_page.to_dict() == fetched.to_dict()
    assert of_page == fetched and fetched == of_page and hash(of_page) == hash(fetched)
    assert repr(of_page) == repr(fetched)
    streamed = next(iter(client.calls.stream(to=number)))
    assert streamed == of_page and streamed.to_dict() == of_page.to_dict()
