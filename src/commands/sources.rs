//! `verity sources check` and `verity sources archive`: the commands that
//! go on the network.

use super::{Failure, existing_root, report};
use crate::cli::{Format, SourcesArchiveArgs, SourcesArgs, SourcesCheckArgs, SourcesWhat};
use crate::sources::{self, archive, check, clock, fetch, http, report as out};
use std::process::ExitCode;
use std::sync::Arc;

pub(super) fn run(root: &std::path::Path, args: SourcesArgs) -> Result<ExitCode, Failure> {
    existing_root(root)?;
    match args.what {
        SourcesWhat::Check(a) => run_check(root, a),
        SourcesWhat::Archive(a) => run_archive(root, a),
    }
}

/// Loads the site; content errors are reported as `build` reports them.
fn inventory(root: &std::path::Path) -> Result<Result<sources::Inventory, ExitCode>, Failure> {
    match sources::inventory(root) {
        Ok(inv) => Ok(Ok(inv)),
        Err(crate::Error::Content(d)) => {
            report(&d);
            eprintln!("fix these first: the sources are checked only on a site that builds");
            Ok(Err(ExitCode::from(1)))
        }
        Err(e) => Err(e.into()),
    }
}

fn net(inv: &sources::Inventory) -> fetch::Net {
    let limits = fetch::Limits::default();
    let transport = http::UreqTransport::new(
        &sources::user_agent(&inv.config),
        limits.connect_timeout,
        http::Proxies::FromEnvironment,
    );
    fetch::Net::new(Arc::new(transport), Arc::new(clock::SystemClock), limits)
}

fn run_check(root: &std::path::Path, args: SourcesCheckArgs) -> Result<ExitCode, Failure> {
    let inv = match inventory(root)? {
        Ok(inv) => inv,
        Err(code) => return Ok(code),
    };
    let records = inv.select(&args.sources).map_err(Failure::Usage)?;
    let options = check::Options {
        use_cache: !args.no_cache,
        record: args.record,
        strict: args.strict,
    };
    let net = net(&inv);
    let r = check::run(&inv, &records, &net, &options, &Bar::new("checking links"));
    match args.format {
        Format::Json => super::stdout(&format!("{}\n", out::check_json(&r))),
        Format::Human => super::stdout(&out::check_human(&r)),
    }?;
    for f in &r.failures {
        eprintln!("error: {f}");
    }
    Ok(if r.failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn run_archive(root: &std::path::Path, args: SourcesArchiveArgs) -> Result<ExitCode, Failure> {
    let wayback = archive::Wayback::from_env();
    if args.save && wayback.keys.is_none() {
        return Err(Failure::Usage(archive::NO_KEYS.to_string()));
    }
    let inv = match inventory(root)? {
        Ok(inv) => inv,
        Err(code) => return Ok(code),
    };
    let records = inv.select(&args.sources).map_err(Failure::Usage)?;
    let net = net(&inv);
    let r = archive::run(
        &inv,
        &records,
        &net,
        &wayback,
        args.save,
        args.write,
        &Bar::new("looking for archived copies"),
    );
    match args.format {
        Format::Json => super::stdout(&format!("{}\n", out::archive_json(&r))),
        Format::Human => super::stdout(&out::archive_human(&r, args.write)),
    }?;
    Ok(if r.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// A progress bar on standard error, drawn only when it is a terminal.
struct Bar {
    bar: indicatif::ProgressBar,
    what: &'static str,
}

impl Bar {
    fn new(what: &'static str) -> Bar {
        let bar =
            indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
        Bar { bar, what }
    }
}

impl check::Progress for Bar {
    fn start(&self, total: usize) {
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} ({elapsed})")
        {
            self.bar.set_style(style.progress_chars("=> "));
        }
        self.bar.set_message(self.what);
        self.bar.set_length(total as u64);
    }
    fn tick(&self) {
        self.bar.inc(1);
    }
    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
