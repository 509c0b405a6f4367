//! Forwards a call to two numbers rung in parallel, offline: the simulator scripts the callees
//! (the first is busy, the second answers after 3 s and talks 7 s), the `<Dial>` places a child
//! call per number, and the dial's action hears who answered and for how long.
//!
//! Run it with `cargo run -p mycpaas-blocking --example forwarding`.

use std::error::Error;
use std::time::Duration;

use mycpaas_blocking::webhook::DialResult;
use mycpaas_blocking::{CallStatus, Client, CreateCall, ListCalls, ScriptCallee, SimCalleeAnswer};
use mycpaas_sim::Simulator;
use mycpaas_sim::webapp::WebApp;

const OFFICE: &str = "+15551230001";
const MOBILE: &str = "+15551230002";

fn main() -> Result<(), Box<dyn Error>> {
    let sim = Simulator::builder().start_in_background()?;
    // How each number meets the ring (as `POST /_sim/callees` scripts it).
    sim.script_callee(&ScriptCallee::new(OFFICE).answer(SimCalleeAnswer::Busy))?;
    sim.script_callee(&ScriptCallee::new(MOBILE).ring_for(3).hang_up_after(7))?;

    let app = WebApp::builder()
        .document(
            "/voice",
            format!(
                r#"<Response><Dial timeout="10" action="/dialed"><Number statusCallback="/leg">{OFFICE}</Number><Number statusCallback="/leg">{MOBILE}</Number></Dial></Response>"#
            ),
        )
        .document("/dialed", "<Response><Hangup/></Response>")
        .document("/leg", "<Response/>")
        .start_in_background()?;
    let client = Client::builder(sim.account_sid(), sim.auth_token())
        .base_url(&sim.base_url())
        .build()?;
    let call = client
        .calls()
        .create(CreateCall::new("+15559990000", "+15559870000").url(app.url("/voice")))?;
    sim.wait_for_call(&call.sid, Duration::from_secs(30))
        .ok_or("the call did not end")?;

    // The child calls: one per number, with the dialing call as their parent.
    for leg in client
        .calls()
        .list(ListCalls::new().parent_call_sid(&call.sid))?
        .calls
    {
        sim.wait_for_call(&leg.sid, Duration::from_secs(30));
        let leg = client.calls().fetch(&leg.sid)?;
        println!(
            "{} {}: {}, {} s",
            leg.sid,
            leg.to.as_deref().unwrap_or_default(),
            leg.status.as_ref().map_or("", CallStatus::as_str),
            leg.duration.unwrap_or(0)
        );
    }
    let dialed = DialResult::from_pairs(app.requests_to("/dialed")[0].params.clone())?;
    println!(
        "DialCallStatus={} DialCallSid={} DialCallDuration={}",
        dialed
            .dial_call_status
            .as_ref()
            .map_or("", CallStatus::as_str),
        dialed.dial_call_sid.as_deref().unwrap_or_default(),
        dialed.dial_call_duration.unwrap_or(0)
    );
    assert_eq!(dialed.dial_call_duration, Some(7));
    Ok(())
}
