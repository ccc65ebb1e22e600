//! `verity serve`: watch, plus the preview server.

use super::watch::{Reporter, stop_on_ctrl_c};
use super::{Failure, existing_root};
use crate::cli::ServeArgs;
use crate::serve::{self, Served, Shared};
use crate::session::Session;
use std::net::IpAddr;
use std::path::Path;
use std::process::ExitCode;
use std::sync::{Arc, mpsc};

pub(super) fn run(root: &Path, args: ServeArgs) -> Result<ExitCode, Failure> {
    existing_root(root)?;
    let listener = serve::bind(args.bind, args.port)?;
    let port = listener.local_addr().map_err(anyhow::Error::from)?.port();
    if args.port != 0 && port != args.port {
        eprintln!("port {} is taken; using {port}", args.port);
    }
    if !args.bind.is_loopback() {
        eprintln!(
            "warning: listening on {}, so other machines can reach this preview (drafts included); use --bind 127.0.0.1 to keep it local",
            args.bind
        );
    }
    let host = match args.bind {
        IpAddr::V4(a) if a.is_unspecified() => "127.0.0.1".to_string(),
        IpAddr::V6(a) if a.is_unspecified() => "[::1]".to_string(),
        IpAddr::V6(a) => format!("[{a}]"),
        IpAddr::V4(a) => a.to_string(),
    };
    let base_url = args
        .base_url
        .unwrap_or_else(|| format!("http://{host}:{port}"));
    let options = crate::Options {
        drafts: true,
        base_url: Some(base_url.clone()),
    };
    eprintln!("serving the site (drafts included) at {base_url}/ (Ctrl-C to stop)");

    let shared = Arc::new(Shared::default());
    let stop = Arc::new(tokio::sync::Notify::new());
    let (tx, rx) = mpsc::channel();
    let notify = stop.clone();
    stop_on_ctrl_c(tx.clone(), move || notify.notify_one())?;

    let stop_watcher = tx.clone();
    let publisher = shared.clone();
    let site = root.to_path_buf();
    let stop_server = stop.clone();
    let watcher = std::thread::spawn(move || {
        let mut session = Session::long_running(&site, options);
        let mut reporter = Reporter::default();
        let result = crate::watch::run(&site, &mut session, (&tx, &rx), |outcome| {
            reporter.report(&site, &outcome, None);
            match outcome.result {
                Ok(checked) => publisher.publish(Served::new(
                    checked.renderer.clone(),
                    checked.statics.clone(),
                )),
                Err(crate::Error::Content(d)) => publisher.publish_errors(d),
                Err(crate::Error::Other(e)) => publisher.publish_failure(&format!("{e:#}")),
            }
        });
        // However the loop ends, the server ends with it.
        stop_server.notify_one();
        result
    });
    let allowed = serve::hosts::AllowedHosts::new(args.bind, args.allowed_hosts);
    let served = serve::run(listener, shared, stop, allowed);
    let _ = stop_watcher.send(crate::watch::Signal::Stop);
    served?;
    match watcher.join() {
        Ok(Ok(())) => {}
        Ok(Err(e)) => return Err(e.into()),
        Err(_) => return Err(anyhow::anyhow!("the watcher stopped unexpectedly").into()),
    }
    eprintln!("stopped serving");
    Ok(ExitCode::SUCCESS)
}
