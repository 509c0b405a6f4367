"""Check and read the webhooks the platform sends to your server (the Rust ``mycpaas_core::webhook``).

``params`` may be a dict (a list value for a repeated name), Flask's ``request.form``, Starlette's
``FormData``, or any iterable of ``(name, value)`` pairs.

>>> from mycpaas.webhooks import compute_signature, validate_signature
>>> url = "https://mycompany.com/myapp.php?foo=1&bar=2"
>>> params = {"CallSid": "CA1234567890ABCDE", "Caller": "+14158675309", "Digits": "1234",
...           "From": "+14158675309", "To": "+18005551212"}
>>> compute_signature(url, params, "12345")
'RSOYDt4T1cUTdK1PDd93/VVr8B8='
>>> validate_signature(url, params, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", "12345")
True
"""

from __future__ import annotations

from mycpaas._mycpaas import (
    DialResult,
    GatherResult,
    RecordResult,
    RecordingStatusCallback,
    Repeats,
    SignedUrl,
    StatusCallback,
    TranscriptionCallback,
    ConferenceStatusCallback,
    QueueRequest,
    VoiceRequest,
    body_sha256,
    compute_signature,
    parse_dial_result,
    parse_gather_result,
    parse_record_result,
    parse_recording_status_callback,
    parse_status_callback,
    parse_transcription_callback,
    parse_conference_status_callback,
    parse_queue_request,
    parse_voice_request,
    validate_body_signature,
    validate_signature,
)

#: The request header that carries the signature.
SIGNATURE_HEADER = "X-Mycpaas-Signature"

__all__ = [
    "SIGNATURE_HEADER",
    "Repeats",
    "SignedUrl",
    "compute_signature",
    "validate_signature",
    "body_sha256",
    "validate_body_signature",
    "VoiceRequest",
    "StatusCallback",
    "GatherResult",
    "RecordResult",
    "DialResult",
    "RecordingStatusCallback",
    "TranscriptionCallback",
    "ConferenceStatusCallback",
    "QueueRequest",
    "parse_voice_request",
    "parse_status_callback",
    "parse_gather_result",
    "parse_record_result",
    "parse_dial_result",
    "parse_recording_status_callback",
    "parse_transcription_callback",
    "parse_conference_status_callback",
    "parse_queue_request",
]
