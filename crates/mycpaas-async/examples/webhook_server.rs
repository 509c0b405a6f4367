//! A voice app as an axum server: it checks the `X-Mycpaas-Signature` of every webhook and
//! answers with LaML built by mycpaas-laml.
//!
//! `cargo run -p mycpaas-async --example webhook_server` starts the server and a local
//! simulator, places one call that presses 1 in the menu, prints the webhooks as they arrive,
//! shows that an unsigned request is refused, and exits.
//!
//! `cargo run -p mycpaas-async --example webhook_server -- --serve` only serves, on port 3000,
//! validating with `MYCPAAS_AUTH_TOKEN`; point a call's `Url` at `http://HOST:3000/voice`.

use std::error::Error;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{Form, FromRequest, Request, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use mycpaas_async::webhook::SignatureValidator;
use mycpaas_async::{AuthToken, CallEvent, Client, CreateCall};
use mycpaas_laml::{Gather, Say};
use mycpaas_sim::{GatherInput, Simulator};
use tokio::sync::mpsc;

const TO: &str = "+491234567890";
const FROM: &str = "+491098765432";

/// What the handlers share: the validator and where to report what arrived.
#[derive(Clone)]
struct AppState {
    validator: Arc<SignatureValidator>,
    seen: mpsc::UnboundedSender<String>,
}

type Params = Vec<(String, String)>;

fn param<'a>(params: &'a Params, name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

/// Whether the request carries a valid signature for the URL it was sent to.
fn is_signed(state: &AppState, headers: &HeaderMap, uri: &Uri, params: &Params) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let Some(signature) = headers
        .get("x-mycpaas-signature")
        .and_then(|s| s.to_str().ok())
    else {
        return false;
    };
    // Behind a TLS-terminating proxy this would be https and the public host.
    let url = format!("http://{host}{uri}");
    state.validator.validate(&url, params, signature)
}

/// The form parameters of a webhook whose signature is valid: a handler that takes them never
/// sees any other request, which is refused with 403.
struct Signed(Params);

impl FromRequest<AppState> for Signed {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (headers, uri) = (request.headers().clone(), request.uri().clone());
        let Form(params) = Form::<Params>::from_request(request, state)
            .await
            .map_err(IntoResponse::into_response)?;
        if is_signed(state, &headers, &uri, &params) {
            Ok(Signed(params))
        } else {
            Err(StatusCode::FORBIDDEN.into_response())
        }
    }
}

fn laml(document: &mycpaas_laml::Response) -> Response {
    (
        [(header::CONTENT_TYPE, "application/xml")],
        document.to_xml(),
    )
        .into_response()
}

async fn voice(State(state): State<AppState>, Signed(params): Signed) -> Response {
    let _ = state.seen.send(format!(
        "voice   call {} from {}",
        param(&params, "CallSid").unwrap_or("?"),
        param(&params, "From").unwrap_or("?")
    ));
    let menu = mycpaas_laml::Response::new()
        .gather(
            Gather::new()
                .num_digits(1)
                .action("/menu")
                .say(Say::new("Press 1 for sales, 2 for support.")),
        )
        .say(Say::new("We did not hear anything. Goodbye."))
        .hangup();
    laml(&menu)
}

async fn menu(State(state): State<AppState>, Signed(params): Signed) -> Response {
    let digits = param(&params, "Digits").unwrap_or("");
    let _ = state
        .seen
        .send(format!("menu    caller pressed {digits:?}"));
    let answer = match digits {
        "1" => "Connecting you to sales.",
        "2" => "Connecting you to support.",
        _ => "That is not an option.",
    };
    laml(&mycpaas_laml::Response::new().say(Say::new(answer)).hangup())
}

async fn status(State(state): State<AppState>, Signed(params): Signed) -> StatusCode {
    let _ = state.seen.send(format!(
        "status  {}",
        param(&params, "CallStatus").unwrap_or("?")
    ));
    StatusCode::NO_CONTENT
}

fn router(state: AppState) -> Router {
    Router::new()
        .route("/voice", post(voice))
        .route("/menu", post(menu))
        .route("/status", post(status))
        .with_state(state)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    if std::env::args().any(|arg| arg == "--serve") {
        return serve_forever().await;
    }

    let sim = Simulator::builder().start().await?;
    let (seen, mut arrivals) = mpsc::unbounded_channel();
    let state = AppState {
        validator: Arc::new(SignatureValidator::new(AuthToken::new(sim.auth_token()))),
        seen,
    };
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
    let base = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move {
        let _ = axum::serve(listener, router(state)).await;
    });
    println!("webhook server on {base}, simulator on {}", sim.base_url());

    // A request without a signature is refused.
    let unsigned = mycpaas_async::tls::reqwest_client_builder()?
        .build()?
        .post(format!("{base}/voice"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body("CallSid=CA0")
        .send()
        .await?;
    println!("unsigned request -> {}", unsigned.status());

    // The simulated callee presses 1 when the menu asks.
    sim.script_input(TO, GatherInput::digits("1"))?;
    let client = Client::builder(sim.account_sid(), sim.auth_token())
        .base_url(&sim.base_url())
        .build()?;
    let call = client
        .calls()
        .create(
            CreateCall::new(TO, FROM)
                .url(format!("{base}/voice"))
                .status_callback(format!("{base}/status"))
                .status_callback_events([CallEvent::Initiated, CallEvent::Completed]),
        )
        .await?;
    println!("created {}", call.sid);

    loop {
        let arrival = tokio::time::timeout(Duration::from_secs(30), arrivals.recv())
            .await?
            .ok_or("the server stopped")?;
        println!("{arrival}");
        if arrival == "status  completed" {
            break;
        }
    }
    sim.shutdown();
    Ok(())
}

async fn serve_forever() -> Result<(), Box<dyn Error>> {
    let token = std::env::var("MYCPAAS_AUTH_TOKEN")
        .map_err(|_| "set MYCPAAS_AUTH_TOKEN to validate signatures")?;
    let (seen, mut arrivals) = mpsc::unbounded_channel::<String>();
    tokio::spawn(async move {
        while let Some(arrival) = arrivals.recv().await {
            println!("{arrival}");
        }
    });
    let state = AppState {
        validator: Arc::new(SignatureValidator::new(AuthToken::new(token))),
        seen,
    };
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([0, 0, 0, 0], 3000))).await?;
    println!("serving /voice, /menu and /status on http://0.0.0.0:3000 (Ctrl-C stops)");
    axum::serve(listener, router(state))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
