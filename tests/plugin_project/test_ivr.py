from app import app, heard


def test_pressing_2_reaches_support(mycpaas_sim, mycpaas_client, monkeypatch):
    monkeypatch.setenv("MYCPAAS_AUTH_TOKEN", mycpaas_sim.auth_token)
    mycpaas_sim.script_input("+15551230000", digits="2")
    call = mycpaas_client.calls.create(to="+15551230000", from_="+15559870000", url=f"{mycpaas_sim.serve(app)}/voice")
    assert mycpaas_sim.wait_for_call(call.sid).status == "completed" and heard == ["support"]
