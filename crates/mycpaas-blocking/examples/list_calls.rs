//! Lists calls: one page, then every call page by page with a filter.
//!
//! With `MYCPAAS_ACCOUNT_SID` and `MYCPAAS_AUTH_TOKEN` set (and `MYCPAAS_BASE_URL` for a
//! server other than production) it lists that account's calls; otherwise it starts a local
//! simulator and places a few calls to list first.
//!
//! Run it with `cargo run -p mycpaas-blocking --example list_calls`.

use std::error::Error;
use std::time::Duration;

use mycpaas_blocking::{Call, CallStatus, Client, CreateCall, ListCalls};
use mycpaas_sim::{SimHandle, Simulator, magic};

fn main() -> Result<(), Box<dyn Error>> {
    let (client, _sim) = if std::env::var_os("MYCPAAS_ACCOUNT_SID").is_some() {
        (Client::from_env()?, None)
    } else {
        let sim = Simulator::builder().start_in_background()?;
        let client = Client::builder(sim.account_sid(), sim.auth_token())
            .base_url(&sim.base_url())
            .build()?;
        place_sample_calls(&client, &sim)?;
        (client, Some(sim))
    };

    let page = client.calls().list(ListCalls::new().page_size(5))?;
    println!(
        "first page: {} calls (page {}, next page: {})",
        page.calls.len(),
        page.page.unwrap_or(0),
        page.next_page_uri.as_deref().unwrap_or("none")
    );
    for call in &page.calls {
        print_call(call);
    }

    println!("every completed call, fetched 4 per page:");
    let mut count = 0;
    for call in client.calls().iter(
        ListCalls::new().status(CallStatus::Completed).page_size(4),
        None,
    ) {
        print_call(&call?);
        count += 1;
    }
    println!("{count} completed calls");
    Ok(())
}

fn place_sample_calls(client: &Client, sim: &SimHandle) -> Result<(), Box<dyn Error>> {
    let hangup = "<Response><Say>Hi</Say><Hangup/></Response>";
    let mut sids = Vec::new();
    for to in [
        "+491234567890",
        "+491234567891",
        magic::BUSY,
        "+491234567892",
        magic::NO_ANSWER,
        "+491234567893",
        "+491234567894",
        "+491234567895",
        "+491234567896",
        "+491234567897",
    ] {
        let call = client.calls().create(
            CreateCall::new(to, "+491098765432")
                .twiml(hangup)
                .timeout(5),
        )?;
        sids.push(call.sid);
    }
    for sid in &sids {
        sim.wait_for_call(sid, Duration::from_secs(30));
    }
    Ok(())
}

fn print_call(call: &Call) {
    println!(
        "  {}  {:<14} -> {:<14} {:<10} {}",
        call.sid,
        call.from.as_deref().unwrap_or("?"),
        call.to.as_deref().unwrap_or("?"),
        call.status.as_ref().map_or("?", CallStatus::as_str),
        call.duration.map_or_else(String::new, |d| format!("{d} s")),
    );
}
