"""Build the reference IVR document, check it, and read it back."""

from __future__ import annotations

from mycpaas import laml


def ivr() -> laml.Response:
    resp = laml.Response()
    resp.say("Thanks for calling mycpaas.", voice="alice", language="en-US")
    with resp.gather(num_digits=1, action="/menu", method="POST", timeout=5, input=["dtmf", "speech"]) as menu:
        menu.say("Press 1 for sales. Press 2 for support.")
        menu.pause(length=1)
        menu.play("https://example.com/hold.mp3", loop=1)
    resp.say("We did not receive your choice. Goodbye.")
    resp.hangup()
    return resp


def main() -> None:
    doc = ivr()
    print(doc.to_xml(pretty=True))
    for finding in doc.validate():
        print(f"{finding.severity}: {finding.path}: {finding.message}")
    again = laml.parse(str(doc))
    assert again == doc
    menu = again.verbs[1]
    if isinstance(menu, laml.Gather):
        print("menu action:", menu.action, "digits:", menu.num_digits)


if __name__ == "__main__":
    main()
