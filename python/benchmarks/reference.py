"""The signature reference vector both benchmark scripts time (auth token 12345): the published
example of the request signing algorithm, so the two libraries check the very same request."""

URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
PARAMS = dict(CallSid="CA1234567890ABCDE", Caller="+14158675309", Digits="1234", From="+14158675309", To="+18005551212")
SIGNATURE = "RSOYDt4T1cUTdK1PDd93/VVr8B8="
TOKEN = "12345"
