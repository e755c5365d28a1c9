//! # obshell-sim
//!
//! A simulator of the OceanBase obshell agent's HTTP API, faithful enough that the official SDKs,
//! the agent's dashboard and our console cannot tell it from a real agent for the endpoints it
//! implements: the same paths, hybrid encryption (RSA header + AES body, sessions, SSO), JSON
//! envelope bytes, errors, and task DAGs that move through the same states over time.
//!
//! Start one in-process (tests bind `127.0.0.1:0`):
//!
//! ```no_run
//! # async fn demo() {
//! let (addr, handle) = obshell_sim::serve(obshell_sim::Config::default()).await.unwrap();
//! println!("agent at http://{addr}");
//! handle.shutdown().await;
//! # }
//! ```
//!
//! The public surface is [`serve`], [`Config`], [`SimHandle`] and what they hand out
//! ([`AppState`], [`Runtime`]), plus [`parse_offset`] and [`parse_tenants`] for the command line.
//! The modules are private, each with one job; imports between them form no cycle
//! (`scripts/module-graph.py --check crates/obshell-sim`):
//!
//! - `config`: what can be simulated.
//! - `pipeline`: the agent's middleware order for one request.
//! - `request`: what a handler sees of a request, and the gin/`net/http` helpers that read one.
//! - `auth`, `sessions`: header verification, sessions and SSO tokens.
//! - `routes`: the routing table, and the handlers in its children.
//! - `redirect`: gin's trailing-slash redirect.
//! - `envelope`: the response bytes and what a handler returns.
//! - `engine`: DAGs, scheduler, executor, DAG/node operations.
//! - `cluster`: the fake OceanBase state.
//! - `state`: what requests and the scheduler share, and the scheduler loop.
//! - `clock`: the skewable agent clock and its rendering.
//! - `faults`: injected faults and their responses.
//! - `journal`: the request journal.
//! - `control`: the test control API under `/__sim/`.
//! - `static_files`: the `--static` console.
//! - `extra_codes`: agent error codes the shared catalogue lacks.

// The public surface is what this file re-exports; everything else is `pub(crate)` at most, and
// the lint keeps it so.
#![warn(unreachable_pub)]

mod auth;
mod clock;
mod cluster;
mod config;
mod control;
mod engine;
mod envelope;
mod extra_codes;
mod faults;
mod journal;
mod pipeline;
mod redirect;
mod request;
mod routes;
mod sessions;
mod state;
mod static_files;

pub use clock::parse_offset;
pub use config::{parse_tenants, Config};
pub use state::{AppState, Runtime};

use std::net::SocketAddr;
use std::sync::Arc;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// A running simulator.
pub struct SimHandle {
    pub state: Arc<AppState>,
    shutdown: Option<oneshot::Sender<()>>,
    server: JoinHandle<()>,
    scheduler: JoinHandle<()>,
}

impl SimHandle {
    /// Stops accepting connections and stops the scheduler.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        self.scheduler.abort();
        let _ = self.server.await;
    }

    /// Waits until the server stops (Ctrl-C handling is the binary's business).
    pub async fn wait(self) {
        let _ = self.server.await;
    }
}

/// Builds the state (RSA key, cluster, engine), binds `config.listen`, and starts serving and
/// ticking. Returns the bound address (useful with port 0).
pub async fn serve(config: Config) -> std::io::Result<(SocketAddr, SimHandle)> {
    let listener = tokio::net::TcpListener::bind(config.listen).await?;
    let addr = listener.local_addr()?;
    // RSA key generation is CPU-heavy (notably unoptimized); keep it off the async workers.
    let state = tokio::task::spawn_blocking(move || AppState::new(config))
        .await
        .map_err(std::io::Error::other)?
        .map_err(std::io::Error::other)?;
    let state = Arc::new(state);
    let app = axum::Router::new().fallback(pipeline::handle).with_state(state.clone());
    let (tx, rx) = oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        let svc = app.into_make_service_with_connect_info::<SocketAddr>();
        // TCP_NODELAY on every connection, as Go's net/http (the agent) and nginx have it: without
        // it a response written in pieces (headers, then a file's body) waits for the browser's
        // delayed ACK, up to 40 ms per request on loopback.
        let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
            let _ = tcp.set_nodelay(true);
        });
        let _ = axum::serve(listener, svc)
            .with_graceful_shutdown(async move {
                let _ = rx.await;
            })
            .await;
    });
    let scheduler = tokio::spawn(state::run_scheduler(state.clone()));
    Ok((
        addr,
        SimHandle {
            state,
            shutdown: Some(tx),
            server,
            scheduler,
        },
    ))
}
