"""Constants shared by the test modules."""

#: The caller ID every test call uses.
CALLER = "+15559870000"
#: A voice URL the simulator never reaches in these tests (calls to it fail after answering).
VOICE_URL = "https://example.com/voice.xml"
