//! Every validation code of reference.md, produced over real HTTP; rejected creates make no call.

mod common;

use common::{Api, sim};
use mycpaas_sim::{Simulator, magic};

const TO: &str = "+15551230000";
const FROM: &str = "+15559870000";
const URL: &str = "https://example.com/voice.xml";

async fn rejected(api: &Api, form: &[(&str, &str)], code: u64, field: &str) {
    let answer = api.create(form).await;
    assert_eq!(answer.status, 400, "{form:?} -> {:?}", answer.body);
    assert_eq!(answer.code(), Some(code), "{form:?} -> {:?}", answer.body);
    assert_eq!(answer.body["status"], 400);
    let message = answer.body["message"].as_str().unwrap();
    assert!(message.contains(field), "{message:?} should name {field}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_rejects_bad_input_with_the_reference_codes() {
    let sim = sim().await;
    let api = Api::new(&sim);
    // To
    rejected(&api, &[("From", FROM), ("Url", URL)], 21201, "To").await;
    rejected(
        &api,
        &[("To", ""), ("From", FROM), ("Url", URL)],
        21201,
        "To",
    )
    .await;
    rejected(
        &api,
        &[("To", "12345"), ("From", FROM), ("Url", URL)],
        21211,
        "To",
    )
    .await;
    rejected(
        &api,
        &[("To", "+0123"), ("From", FROM), ("Url", URL)],
        21211,
        "To",
    )
    .await;
    rejected(
        &api,
        &[("To", magic::INVALID), ("From", FROM), ("Url", URL)],
        21211,
        "To",
    )
    .await;
    // From
    rejected(&api, &[("To", TO), ("Url", URL)], 21213, "From").await;
    rejected(
        &api,
        &[("To", TO), ("From", "not a number"), ("Url", URL)],
        21212,
        "From",
    )
    .await;
    rejected(
        &api,
        &[("To", TO), ("From", magic::INVALID), ("Url", URL)],
        21212,
        "From",
    )
    .await;
    // Url / Twiml / ApplicationSid
    rejected(&api, &[("To", TO), ("From", FROM)], 21205, "Url").await;
    rejected(
        &api,
        &[("To", TO), ("From", FROM), ("Url", "not a url")],
        21205,
        "Url",
    )
    .await;
    rejected(
        &api,
        &[("To", TO), ("From", FROM), ("Url", "ftp://example.com/x")],
        21205,
        "Url",
    )
    .await;
    rejected(
        &api,
        &[
            ("To", TO),
            ("From", FROM),
            ("Url", URL),
            ("Twiml", "<Response/>"),
        ],
        21205,
        "Twiml",
    )
    .await;
    let long = format!("<Response><Say>{}</Say></Response>", "a".repeat(4000));
    rejected(
        &api,
        &[("To", TO), ("From", FROM), ("Twiml", &long)],
        21205,
        "Twiml",
    )
    .await;
    rejected(
        &api,
        &[
            ("To", TO),
            ("From", FROM),
            ("StatusCallback", "nowhere"),
            ("Url", URL),
        ],
        21205,
        "StatusCallback",
    )
    .await;
    // Timeout
    for bad in ["0", "601", "-1", "soon"] {
        rejected(
            &api,
            &[("To", TO), ("From", FROM), ("Url", URL), ("Timeout", bad)],
            21208,
            "Timeout",
        )
        .await;
    }
    // Methods
    rejected(
        &api,
        &[("To", TO), ("From", FROM), ("Url", URL), ("Method", "PUT")],
        21209,
        "Method",
    )
    .await;
    rejected(
        &api,
        &[
            ("To", TO),
            ("From", FROM),
            ("Url", URL),
            ("StatusCallbackMethod", "DELETE"),
        ],
        21209,
        "StatusCallbackMethod",
    )
    .await;
    // SendDigits
    rejected(
        &api,
        &[
            ("To", TO),
            ("From", FROM),
            ("Url", URL),
            ("SendDigits", "12x"),
        ],
        13222,
        "SendDigits",
    )
    .await;
    let many = "1".repeat(33);
    rejected(
        &api,
        &[
            ("To", TO),
            ("From", FROM),
            ("Url", URL),
            ("SendDigits", &many),
        ],
        13222,
        "SendDigits",
    )
    .await;
    // StatusCallbackEvent
    rejected(
        &api,
        &[
            ("To", TO),
            ("From", FROM),
            ("Url", URL),
            ("StatusCallbackEvent", "initiated hungup"),
        ],
        21626,
        "StatusCallbackEvent",
    )
    .await;

    assert_eq!(sim.calls_created(), 0, "no rejected create made a call");
    // Valid edge values pass.
    api.create_ok(&[
        ("To", TO),
        ("From", FROM),
        ("Url", URL),
        ("Timeout", "600"),
        ("SendDigits", "1234wW#*ABCD"),
        ("Method", "GET"),
    ])
    .await;
    assert_eq!(sim.calls_created(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn update_of_an_ended_call_is_21220_and_bad_update_fields_are_named() {
    let sim = sim().await;
    let api = Api::new(&sim);
    let call = api
        .create_ok(&[
            ("To", TO),
            ("From", FROM),
            ("Twiml", "<Response><Hangup/></Response>"),
        ])
        .await;
    sim.wait_for_call_async(&call, common::SETTLE)
        .await
        .expect("call ends");
    let path = api.call_path(&call);

    let answer = api.post(&path, &[("Url", URL)]).await;
    assert_eq!((answer.status, answer.code()), (400, Some(21220)));
    let answer = api.post(&path, &[("Status", "canceled")]).await;
    assert_eq!((answer.status, answer.code()), (400, Some(21220)));

    let answer = api.post(&path, &[("Url", "relative/path")]).await;
    assert_eq!((answer.status, answer.code()), (400, Some(21205)));
    let answer = api.post(&path, &[("Url", URL), ("Method", "PATCH")]).await;
    assert_eq!((answer.status, answer.code()), (400, Some(21209)));
    let answer = api.post(&path, &[("Status", "paused")]).await;
    assert_eq!(answer.status, 400);
    assert!(answer.body["message"].as_str().unwrap().contains("Status"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_rejects_bad_paging_and_dates() {
    let sim = sim().await;
    let api = Api::new(&sim);
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
    let sim = Simulator::builder()
        .max_body_bytes(1024)
        .start()
        .await
        .unwrap();
    let api = Api::new(&sim);
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
    let sim = sim().await;
    let api = Api::new(&sim);
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
