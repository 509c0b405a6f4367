//! Every validation code of reference.md, produced over real HTTP; rejected creates make no call.

mod common;

use common::{FROM, HANGUP, TO, sim_and_api, start};
use mycpaas_sim::{Simulator, magic};

const URL: &str = "https://example.com/voice.xml";

/// A create form: To, From and Url valid, then `drop` removed and `set` put in (replacing a
/// parameter of the same name, else added).
fn form<'a>(drop: &[&str], set: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form: Vec<(&str, &str)> = [("To", TO), ("From", FROM), ("Url", URL)]
        .into_iter()
        .filter(|(name, _)| !drop.contains(name) && !set.iter().any(|(n, _)| n == name))
        .collect();
    form.extend_from_slice(set);
    form
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_rejects_bad_input_with_the_reference_codes() {
    let (sim, api) = sim_and_api().await;
    let long = format!("<Response><Say>{}</Say></Response>", "a".repeat(4000));
    let many = "1".repeat(33);
    // (the form, the code, the parameter the message names)
    let mut cases = vec![
        (form(&["To"], &[]), 21201, "To"),
        (form(&[], &[("To", "")]), 21201, "To"),
        (form(&[], &[("To", "12345")]), 21211, "To"),
        (form(&[], &[("To", "+0123")]), 21211, "To"),
        (form(&[], &[("To", magic::INVALID)]), 21211, "To"),
        (form(&["From"], &[]), 21213, "From"),
        (form(&[], &[("From", "not a number")]), 21212, "From"),
        (form(&[], &[("From", magic::INVALID)]), 21212, "From"),
        (form(&["Url"], &[]), 21205, "Url"),
        (form(&[], &[("Url", "not a url")]), 21205, "Url"),
        (form(&[], &[("Url", "ftp://example.com/x")]), 21205, "Url"),
        (form(&[], &[("Twiml", "<Response/>")]), 21205, "Twiml"),
        (form(&["Url"], &[("Twiml", &long)]), 21205, "Twiml"),
        (
            form(&[], &[("StatusCallback", "nowhere")]),
            21205,
            "StatusCallback",
        ),
        (form(&[], &[("Method", "PUT")]), 21209, "Method"),
        (
            form(&[], &[("StatusCallbackMethod", "DELETE")]),
            21209,
            "StatusCallbackMethod",
        ),
        (form(&[], &[("SendDigits", "12x")]), 13222, "SendDigits"),
        (form(&[], &[("SendDigits", &many)]), 13222, "SendDigits"),
        (
            form(&[], &[("StatusCallbackEvent", "initiated hungup")]),
            21626,
            "StatusCallbackEvent",
        ),
    ];
    for bad in ["0", "601", "-1", "soon"] {
        cases.push((form(&[], &[("Timeout", bad)]), 21208, "Timeout"));
    }
    for (form, code, field) in cases {
        let answer = api.create(&form).await;
        assert_eq!(answer.status, 400, "{form:?} -> {:?}", answer.body);
        assert_eq!(answer.code(), Some(code), "{form:?} -> {:?}", answer.body);
        assert_eq!(answer.body["status"], 400);
        let message = answer.body["message"].as_str().unwrap();
        assert!(message.contains(field), "{message:?} should name {field}");
    }

    assert_eq!(sim.calls_created(), 0, "no rejected create made a call");
    // Valid edge values pass.
    let edges = [
        ("Timeout", "600"),
        ("SendDigits", "1234wW#*ABCD"),
        ("Method", "GET"),
    ];
    api.create_ok(&form(&[], &edges)).await;
    assert_eq!(sim.calls_created(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn update_of_an_ended_call_is_21220_and_bad_update_fields_are_named() {
    let (sim, api) = sim_and_api().await;
    let call = api.create_call(&[("Twiml", HANGUP)]).await;
    sim.wait_for_call_async(&call, common::SETTLE)
        .await
        .expect("call ends");
    let path = api.call_path(&call);

    // (the update, its code: a bad field is refused with its own code, a valid update of an
    // ended call with 21220)
    let cases: [(&[(&str, &str)], u64); 4] = [
        (&[("Url", URL)], 21220),
        (&[("Status", "canceled")], 21220),
        (&[("Url", "relative/path")], 21205),
        (&[("Url", URL), ("Method", "PATCH")], 21209),
    ];
    for (update, code) in cases {
        let answer = api.post(&path, update).await;
        assert_eq!(
            (answer.status, answer.code()),
            (400, Some(code)),
            "{update:?}"
        );
    }
    let answer = api.post(&path, &[("Status", "paused")]).await;
    assert_eq!(answer.status, 400);
    assert!(answer.body["message"].as_str().unwrap().contains("Status"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_rejects_bad_paging_and_dates() {
    let (_sim, api) = sim_and_api().await;
    for query in [
        "PageSize=0",
        "PageSize=1001",
        "Page=-1",
        "Status=ringingish",
        "StartTime%3E=yesterday",
    ] {
        let answer = api.get(&format!("{}?{query}", api.calls_path())).await;
        assert_eq!(answer.status, 400, "{query}");
        assert_eq!(answer.code(), Some(20001), "{query}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn request_bodies_are_capped() {
    let (sim, api) = start(Simulator::builder().max_body_bytes(1024)).await;
    let padding = "x".repeat(4096);
    let answer = api
        .create(&[
            ("To", TO),
            ("From", FROM),
            ("Url", URL),
            ("Padding", &padding),
        ])
        .await;
    assert_eq!(answer.status, 413);
    assert_eq!(answer.code(), Some(20413));
    assert_eq!(sim.calls_created(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parameters_that_are_not_utf8_are_refused_not_repaired() {
    let (sim, api) = sim_and_api().await;
    let url = format!("{}{}", api.base, api.calls_path());
    let body = "To=%2B15551230000&From=%2B15559870000&Twiml=%3CResponse%3E%3CSay%3E%C3%28%3C%2FSay%3E%3C%2FResponse%3E";
    let request = api
        .http
        .post(&url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body);
    let answer = api.send(request).await;
    assert_eq!((answer.status, answer.code()), (400, Some(20001)));
    assert!(answer.body["message"].as_str().unwrap().contains("Twiml"));
    let answer = api.get(&format!("{}?To=%FF", api.calls_path())).await;
    assert_eq!((answer.status, answer.code()), (400, Some(20001)));
    assert_eq!(sim.calls_created(), 0);
}
