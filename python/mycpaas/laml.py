"""Build, write, parse and validate LaML documents (the Rust crate ``mycpaas-laml``).

>>> from mycpaas.laml import Response
>>> resp = Response().say("Hi", voice="alice").play("https://example.com/a.mp3", loop=2)
>>> with resp.gather(num_digits=1, action="/menu") as g:
...     _ = g.say("Press 1")
>>> str(resp)[:39]
'<?xml version="1.0" encoding="UTF-8"?>'

Attributes are snake_case keyword arguments (``num_digits`` for ``numDigits``; ``from_`` for ``from``);
values are checked when they are set and a bad one raises :class:`mycpaas.ValidationError` naming it.
"""

from __future__ import annotations

from mycpaas._mycpaas import (
    LamlConference as Conference,
    Connect,
    Diagnostic,
    Dial,
    Echo,
    Enqueue,
    Gather,
    Hangup,
    Leave,
    Number,
    Pause,
    Play,
    LamlQueue as Queue,
    Record,
    Redirect,
    Refer,
    Reject,
    Response,
    Room,
    Say,
    Sip,
    Sms,
    Start,
    Stop,
    Stream,
)
from mycpaas._mycpaas import laml_parse as parse
from mycpaas.exceptions import LamlParseError

__all__ = [
    "Response",
    "Say",
    "Play",
    "Pause",
    "Gather",
    "Dial",
    "Number",
    "Sip",
    "Conference",
    "Queue",
    "Record",
    "Hangup",
    "Redirect",
    "Reject",
    "Enqueue",
    "Leave",
    "Sms",
    "Refer",
    "Echo",
    "Connect",
    "Stream",
    "Room",
    "Start",
    "Stop",
    "Diagnostic",
    "LamlParseError",
    "parse",
]
