"""Check a webhook's signature and read its parameters (what a web handler does)."""

from __future__ import annotations

from mycpaas import webhooks


def handle(url: str, form: dict[str, str], signature: str, auth_token: str) -> str:
    if not webhooks.validate_signature(url, form, signature, auth_token):
        return "forbidden"
    callback = webhooks.parse_status_callback(form)
    return f"{callback.call_sid} is {callback.call_status} (event #{callback.sequence_number})"


def main() -> None:
    token = "12345"
    url = "https://example.com/status"
    form = {"CallSid": "CA1", "CallStatus": "completed", "SequenceNumber": "3", "CallDuration": "15"}
    signature = webhooks.compute_signature(url, form, token)
    print(handle(url, form, signature, token))
    print(handle(url, form, "forged", token))


if __name__ == "__main__":
    main()
