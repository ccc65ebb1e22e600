//! SERVE: the last good site, rendered on request, over HTTP, with live
//! reload.
//!
//! The watch loop publishes every run into [`Shared`]: a good one replaces
//! the [`Served`] site (an `Arc`, swapped whole, so a request sees one run
//! or the next, never a mix); a failed one keeps it and sets the errors,
//! which are then shown as an overlay on every served page. Either way the
//! build number goes up and every open page, listening on
//! `/__verity/livereload` (Server-Sent Events), reloads. A page is rendered
//! when it is first requested, by the same renderer `build` uses, and kept
//! until the next run. Nothing is written to disk here: the user's
//! `public/` is never touched.

pub mod hosts;
pub mod http;
pub mod overlay;

use crate::diagnostics::Diagnostics;
use crate::render::{RenderError, Renderer};
use std::collections::{BTreeMap, HashMap};
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};

/// How many rendered files a [`Served`] site keeps before it starts afresh.
const CACHE: usize = 512;

/// A good run's site, as the server answers from it.
pub struct Served {
    renderer: Arc<Renderer>,
    statics: Arc<BTreeMap<String, PathBuf>>,
    /// Output file → its bytes, once rendered.
    cache: Mutex<HashMap<String, Arc<[u8]>>>,
}

/// Why a file could not be served.
pub enum Missing {
    /// No such file in the site.
    NotFound,
    /// Rendering it failed: the overlay to show.
    Failed(String),
}

impl Served {
    /// The site of a good run.
    pub fn new(renderer: Arc<Renderer>, statics: Arc<BTreeMap<String, PathBuf>>) -> Served {
        Served {
            renderer,
            statics,
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// The site's URL root (`/` or `/desk/`).
    pub fn url_root(&self) -> &str {
        &self.renderer.site.config.root
    }

    /// Whether the site has a file at `key` (relative to the output).
    pub fn exists(&self, key: &str) -> bool {
        self.statics.contains_key(key) || self.renderer.route_of(key).is_some()
    }

    /// The bytes of the file at `key`: a static file (which replaces a
    /// theme asset of the same name, as in a build), else rendered.
    pub fn file(&self, key: &str) -> Result<Arc<[u8]>, Missing> {
        if let Some(bytes) = self
            .cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(key)
        {
            return Ok(bytes.clone());
        }
        let bytes: Arc<[u8]> = if let Some(path) = self.statics.get(key) {
            // Listed without following links; refuse one put there since.
            let linked = std::fs::symlink_metadata(path).map(|m| !m.is_file());
            match (linked, std::fs::read(path)) {
                (Ok(false), Ok(bytes)) => bytes.into(),
                _ => return Err(Missing::NotFound),
            }
        } else {
            let route = self.renderer.route_of(key).ok_or(Missing::NotFound)?;
            let found: Mutex<Option<Vec<u8>>> = Mutex::new(None);
            let sink = |path: &str, bytes: &[u8]| {
                if path == key {
                    *found.lock().unwrap_or_else(|e| e.into_inner()) = Some(bytes.to_vec());
                }
                Ok(())
            };
            match self.renderer.render(&route, &sink) {
                Ok(()) => {}
                Err(RenderError::Template(d)) => {
                    let mut all = Diagnostics::new();
                    all.push(d);
                    return Err(Missing::Failed(overlay::overlay(&all)));
                }
                Err(RenderError::Io(e)) => {
                    return Err(Missing::Failed(overlay::overlay_text(&format!("{e:#}"))));
                }
            }
            let found = found.into_inner().unwrap_or_else(|e| e.into_inner());
            found.ok_or(Missing::NotFound)?.into()
        };
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if cache.len() >= CACHE {
            cache.clear();
        }
        cache.insert(key.to_string(), bytes.clone());
        Ok(bytes)
    }
}

/// What a request is answered from.
#[derive(Clone, Default)]
pub struct Snapshot {
    /// The last good site; `None` before the first good run.
    pub site: Option<Arc<Served>>,
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
            snapshot: RwLock::new(Snapshot::default()),
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

    /// Publishes a good run and tells every open page.
    pub fn publish(&self, site: Served) {
        let site = Arc::new(site);
        self.update(|s| {
            s.site = Some(site);
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

/// Serves `shared` on `listener` until `stop` is notified, answering only
/// the `allowed` hosts.
pub fn run(
    listener: TcpListener,
    shared: Arc<Shared>,
    stop: Arc<tokio::sync::Notify>,
    allowed: hosts::AllowedHosts,
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
            .with_state(shared)
            .layer(axum::middleware::from_fn_with_state(
                Arc::new(allowed),
                hosts::guard,
            ));
        tokio::select! {
            result = axum::serve(listener, app) => result.map_err(anyhow::Error::from),
            () = stop.notified() => Ok(()),
        }
    })?;
    // Open event streams never end by themselves: do not wait for them.
    runtime.shutdown_background();
    Ok(())
}
