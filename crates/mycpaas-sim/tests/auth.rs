//! Every route requires HTTP Basic auth; one account's calls are invisible to another.

mod common;

use common::{Api, FROM, HANGUP, PREFIX, TO, form_request, read, sim_and_api};
use mycpaas_sim::Simulator;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_answers_401_with_code_20003_without_valid_credentials() {
    let (sim, api) = sim_and_api().await;
    let call = api.create_call(&[("Twiml", HANGUP)]).await;
    let account = &api.sid;
    // Every Calls route under both prefixes, then the simulator's own and an unknown route.
    let mut routes: Vec<(&str, String)> = Vec::new();
    for prefix in [PREFIX, "/2010-04-01"] {
        let calls = format!("{prefix}/Accounts/{account}/Calls");
        routes.push(("POST", format!("{calls}.json")));
        routes.push(("GET", format!("{calls}.json")));
        for method in ["GET", "POST", "DELETE"] {
            routes.push((method, format!("{calls}/{call}.json")));
        }
    }
    routes.extend([
        ("GET", format!("/_sim/calls/{call}/timeline")),
        ("POST", "/_sim/calls-in".to_owned()),
        ("POST", "/_sim/inputs".to_owned()),
        ("POST", "/_sim/transcriptions".to_owned()),
        ("POST", "/_sim/faults".to_owned()),
        ("GET", "/_sim/faults".to_owned()),
        ("DELETE", "/_sim/faults".to_owned()),
        ("GET", "/no/such/route".to_owned()),
    ]);
    let form = [("To", TO), ("From", FROM), ("Twiml", HANGUP)];
    for (method, path) in &routes {
        let url = format!("{}{path}", api.base);
        for credentials in [
            None,
            Some((account.as_str(), "wrong-token")),
            Some(("ACnobody", api.token.as_str())),
        ] {
            let request = match *method {
                "POST" => form_request(&api.http, &url, &form),
                "DELETE" => api.http.delete(&url),
                _ => api.http.get(&url),
            };
            let request = match credentials {
                Some((user, password)) => request.basic_auth(user, Some(password)),
                None => request,
            };
            let answer = read(request.send().await.unwrap()).await;
            assert_eq!(answer.status, 401, "{method} {path} with {credentials:?}");
            assert_eq!(answer.code(), Some(20003), "{method} {path}");
            assert_eq!(answer.body["message"], "Authenticate");
            assert_eq!(answer.body["status"], 401);
            assert!(answer.body["more_info"].is_string());
        }
    }
    // Only the one authenticated create made a call.
    assert_eq!(sim.calls_created(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_accounts_calls_are_not_found() {
    let sim = Simulator::builder()
        .account("ACaaaa", "token-a")
        .account("ACbbbb", "token-b")
        .start()
        .await
        .unwrap();
    assert_eq!(sim.accounts().len(), 2);
    let mut a = Api::new(&sim);
    a.sid = "ACaaaa".into();
    a.token = "token-a".into();
    let mut b = a.clone();
    b.sid = "ACbbbb".into();
    b.token = "token-b".into();

    let call = a.create_call(&[("Twiml", HANGUP)]).await;
    assert_eq!(a.get(&a.call_path(&call)).await.status, 200);

    // B asks for A's call under its own account path ...
    let answer = b.get(&b.call_path(&call)).await;
    assert_eq!((answer.status, answer.code()), (404, Some(20404)));
    let answer = b
        .post(&b.call_path(&call), &[("Status", "completed")])
        .await;
    assert_eq!((answer.status, answer.code()), (404, Some(20404)));
    let answer = b.delete(&b.call_path(&call)).await;
    assert_eq!((answer.status, answer.code()), (404, Some(20404)));
    let answer = b.get(&format!("/_sim/calls/{call}/timeline")).await;
    assert_eq!((answer.status, answer.code()), (404, Some(20404)));
    // ... or under A's account path.
    let answer = b.get(&a.call_path(&call)).await;
    assert_eq!((answer.status, answer.code()), (404, Some(20404)));
    let answer = b.get(&a.calls_path()).await;
    assert_eq!((answer.status, answer.code()), (404, Some(20404)));
    // B's list does not show A's call.
    let page = b.get(&b.calls_path()).await;
    assert_eq!(page.status, 200);
    assert_eq!(page.body["calls"].as_array().unwrap().len(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_call_is_404_with_code_20404() {
    let (_sim, api) = sim_and_api().await;
    let answer = api.get(&api.call_path("CA0000")).await;
    assert_eq!((answer.status, answer.code()), (404, Some(20404)));
    let answer = api.get("/elsewhere").await;
    assert_eq!((answer.status, answer.code()), (404, Some(20404)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn methods_a_route_does_not_have_need_auth_then_get_405() {
    let (sim, api) = sim_and_api().await;
    let url = format!("{}{}", api.base, api.calls_path());
    let answer = read(api.http.put(&url).send().await.unwrap()).await;
    assert_eq!((answer.status, answer.code()), (401, Some(20003)));
    let answer = api.send(api.http.patch(&url)).await;
    assert_eq!((answer.status, answer.code()), (405, Some(20004)));
    assert_eq!(sim.calls_created(), 0);
}
