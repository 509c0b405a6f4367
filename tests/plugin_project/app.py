"""A small IVR in Flask: press 1 for sales, 2 for support. Every webhook's signature is checked."""

from __future__ import annotations

import os

from flask import Flask, Response, abort, request

from mycpaas import laml, webhooks

app = Flask(__name__)
heard: list[str] = []


def checked() -> None:
    signature = request.headers.get(webhooks.SIGNATURE_HEADER, "")
    if not webhooks.validate_signature(request.url, request.form, signature, os.environ["MYCPAAS_AUTH_TOKEN"]):
        abort(403)


@app.post("/voice")
def voice() -> Response:
    checked()
    resp = laml.Response()
    with resp.gather(num_digits=1, action="/menu") as menu:
        menu.say("Press 1 for sales, 2 for support.")
    return Response(str(resp.hangup()), mimetype="application/xml")


@app.post("/menu")
def menu() -> Response:
    checked()
    choice = {"1": "sales", "2": "support"}.get(webhooks.parse_gather_result(request.form).digits or "", "nobody")
    heard.append(choice)
    return Response(str(laml.Response().say(f"Connecting you to {choice}.").hangup()), mimetype="application/xml")
