//! Serving the web app under test next to the simulator: an axum `Router` on a loopback port,
//! stopped with the simulator.

use std::io;
use std::net::{Ipv4Addr, SocketAddr};

use axum::Router;

use crate::handle::SimHandle;

impl SimHandle {
    /// Serves `router`, the web app under test, on an ephemeral port of 127.0.0.1 until this
    /// simulator shuts down, and returns its base URL (`http://127.0.0.1:PORT`) for a call's
    /// `Url` and callbacks. Handlers see the peer's address (`ConnectInfo<SocketAddr>`).
    ///
    /// For a simulator started with [`SimulatorBuilder::start_in_background`](crate::SimulatorBuilder::start_in_background);
    /// one started on the caller's runtime serves with [`SimHandle::serve_async`].
    ///
    /// ```
    /// use axum::{Router, routing::post};
    /// use mycpaas_sim::Simulator;
    ///
    /// let sim = Simulator::builder().start_in_background()?;
    /// let app = Router::new().route("/voice", post(|| async { "<Response><Hangup/></Response>" }));
    /// let base_url = sim.serve(app)?;
    /// assert!(base_url.starts_with("http://127.0.0.1:"));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn serve(&self, router: Router) -> io::Result<String> {
        let serving = self.clone().serve_async(router);
        self.run_in_background(serving)?
    }

    /// [`SimHandle::serve`], on the current tokio runtime.
    pub async fn serve_async(self, router: Router) -> io::Result<String> {
        let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        let base_url = format!("http://{}", listener.local_addr()?);
        let mut shutdown = self.shutdown_signal();
        tokio::spawn(async move {
            let app = router.into_make_service_with_connect_info::<SocketAddr>();
            let stopped = async move {
                let _ = shutdown.wait_for(|stop| *stop).await;
            };
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(stopped)
                .await;
        });
        Ok(base_url)
    }
}
