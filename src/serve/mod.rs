//! SERVE: the last good output, from memory, over HTTP, with live reload.
//!
//! The watch loop publishes every rebuild into [`Shared`]: a good one
//! replaces the output map (an `Arc`, swapped whole, so a request sees
//! one build or the next, never a mix); a failed one keeps it and sets the
//! errors, which are then shown as an overlay on every served page. Either
//! way the build number goes up and every open page, listening on
//! `/__verity/livereload` (Server-Sent Events), reloads. Nothing is read
//! from or written to disk here: the user's `public/` is never touched.

pub mod http;
pub mod overlay;

use crate::diagnostics::Diagnostics;
use crate::incremental::Output;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::sync::{Arc, RwLock};

/// What a request is answered from.
#[derive(Clone, Default)]
pub struct Snapshot {
    /// The last good output; `None` before the first good build.
    pub output: Option<Arc<Output>>,
    /// The site's URL root.
    pub url_root: String,
    /// The overlay of the last rebuild's errors, if it failed.
    pub errors: Option<Arc<str>>,
    /// Counts rebuilds, good or not.
    pub build: u64,
}

/// State shared by the watch loop and the server.
pub struct Shared {
    snapshot: RwLock<Snapshot>,
    builds: tokio::sync::watch::Sender<u64>,
}

impl Default for Shared {
    fn default() -> Self {
        Shared {
            snapshot: RwLock::new(Snapshot {
                url_root: "/".into(),
                ..Snapshot::default()
            }),
            builds: tokio::sync::watch::Sender::new(0),
        }
    }
}

impl Shared {
    /// The current snapshot (cheap: a few `Arc` clones).
    pub fn snapshot(&self) -> Snapshot {
        self.snapshot
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Publishes a good rebuild and tells every open page.
    pub fn publish(&self, output: Arc<Output>, url_root: &str) {
        self.update(|s| {
            s.output = Some(output);
            s.url_root = url_root.to_string();
            s.errors = None;
        });
    }

    /// Publishes a failed rebuild: the last good output stays.
    pub fn publish_errors(&self, diagnostics: &Diagnostics) {
        let overlay = overlay::overlay(diagnostics);
        self.update(|s| s.errors = Some(overlay.into()));
    }

    /// Publishes a failure that is not about content (e.g. I/O).
    pub fn publish_failure(&self, message: &str) {
        let overlay = overlay::overlay_text(message);
        self.update(|s| s.errors = Some(overlay.into()));
    }

    fn update(&self, change: impl FnOnce(&mut Snapshot)) {
        let build = {
            let mut s = self.snapshot.write().unwrap_or_else(|e| e.into_inner());
            change(&mut s);
            s.build += 1;
            s.build
        };
        self.builds.send_replace(build);
    }
}

/// Binds `addr:port`, or the next free port after it (up to 100 further)
/// when it is taken; port 0 asks the system for any free port.
pub fn bind(addr: IpAddr, port: u16) -> anyhow::Result<TcpListener> {
    let last = if port == 0 {
        0
    } else {
        port.saturating_add(100)
    };
    let mut first_error = None;
    for p in port..=last {
        match TcpListener::bind(SocketAddr::new(addr, p)) {
            Ok(listener) => return Ok(listener),
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
                first_error.get_or_insert(e);
            }
            Err(e) => return Err(anyhow::anyhow!("cannot listen on {addr}:{p}: {e}")),
        }
    }
    Err(anyhow::anyhow!(
        "cannot listen on {addr}:{port} or the next 100 ports: {}",
        first_error.map_or_else(|| "in use".to_string(), |e| e.to_string())
    ))
}

/// Serves `shared` on `listener` until `stop` is notified.
pub fn run(
    listener: TcpListener,
    shared: Arc<Shared>,
    stop: Arc<tokio::sync::Notify>,
) -> anyhow::Result<()> {
    use axum::Router;
    use axum::routing::get;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        listener.set_nonblocking(true)?;
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let app = Router::new()
            .route("/__verity/livereload", get(http::livereload))
            .fallback(http::page)
            .with_state(shared);
        tokio::select! {
            result = axum::serve(listener, app) => result.map_err(anyhow::Error::from),
            () = stop.notified() => Ok(()),
        }
    })?;
    // Open event streams never end by themselves: do not wait for them.
    runtime.shutdown_background();
    Ok(())
}
