//! A voice app with `mycpaas-axum`: a menu, its answer, and the status callbacks, each webhook's
//! signature checked before its handler runs.
//!
//! ```text
//! MYCPAAS_AUTH_TOKEN=... cargo run -p mycpaas-axum --example ivr      # serves on 127.0.0.1:3000
//! mycpaas webhook send http://127.0.0.1:3000/voice                    # try it without a call
//! ```
//!
//! Behind a proxy that terminates TLS, add `.signed_url(SignedUrl::behind_proxies([...])?)` to the
//! configuration so that signatures are checked against the public URL.

use std::net::SocketAddr;

use axum::Router;
use axum::routing::post;
use mycpaas_axum::{Laml, Webhook, WebhookConfig};
use mycpaas_core::webhook::{GatherResult, StatusCallback, VoiceRequest};
use mycpaas_laml::{Gather, Response};

async fn voice(Webhook(_call): Webhook<VoiceRequest>) -> Laml {
    let menu = Gather::new()
        .num_digits(1)
        .action("/menu")
        .say("Press 1 for sales, 2 for support.");
    Laml(Response::new().gather(menu).say("Goodbye.").hangup())
}

async fn menu(Webhook(gather): Webhook<GatherResult>) -> Laml {
    let team = match gather.digits.as_deref() {
        Some("1") => "sales",
        Some("2") => "support",
        _ => "nobody",
    };
    Laml(
        Response::new()
            .say(format!("Connecting you to {team}."))
            .hangup(),
    )
}

async fn status(Webhook(callback): Webhook<StatusCallback>) -> &'static str {
    println!(
        "{} is {}",
        callback.call.call_sid.unwrap_or_default(),
        callback
            .call
            .call_status
            .as_ref()
            .map_or("?", |s| s.as_str())
    );
    "ok"
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let token = std::env::var("MYCPAAS_AUTH_TOKEN").map_err(|_| "set MYCPAAS_AUTH_TOKEN")?;
    let app = Router::new()
        .route("/voice", post(voice))
        .route("/menu", post(menu))
        .route("/status", post(status))
        .with_state(WebhookConfig::new(token));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
    println!("serving on http://{}", listener.local_addr()?);
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .await?;
    Ok(())
}
