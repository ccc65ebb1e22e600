//! `verity watch`, and the one-line report of each rebuild that `serve`
//! shares.

use super::{Failure, existing_root};
use crate::cli::BuildArgs;
use crate::diagnostics::Diagnostics;
use crate::mirror::Mirror;
use crate::session::Session;
use crate::watch::{self, Outcome, Signal};
use std::path::Path;
use std::process::ExitCode;
use std::sync::mpsc;

pub(super) fn run(root: &Path, args: BuildArgs) -> Result<ExitCode, Failure> {
    existing_root(root)?;
    let out = args.output.unwrap_or_else(|| crate::default_output(root));
    crate::output::check_output_dir(root, &out)?;
    let options = crate::Options {
        drafts: args.drafts,
        base_url: args.base_url,
    };
    let (tx, rx) = mpsc::channel();
    stop_on_ctrl_c(tx.clone(), || {})?;
    let mut session = Session::long_running(root, options);
    let mut reporter = Reporter::default();
    let mut mirror = Mirror::new(&out);
    let mut written = false;
    watch::run(root, &mut session, (&tx, &rx), |outcome| {
        let mut done = None;
        if let Ok(checked) = outcome.result {
            match mirror.update(checked) {
                Ok(w) => {
                    written = true;
                    done = Some(w);
                }
                Err(crate::Error::Content(d)) => {
                    eprint!("{}", d.human());
                    eprintln!("keeping the last good site");
                }
                Err(e) => eprintln!("error: cannot write {}: {e:?}", out.display()),
            }
        }
        // Reported once written, so a line means the files are there.
        reporter.report(root, &outcome, done.map(|w| (w.rendered, w.routes)));
        if !written {
            eprintln!("nothing written yet: {} is unchanged", out.display());
        }
    })?;
    eprintln!("stopped watching");
    Ok(ExitCode::SUCCESS)
}

/// Sends [`Signal::Stop`] (and runs `also`) on Ctrl-C or SIGTERM.
pub(super) fn stop_on_ctrl_c(
    tx: mpsc::Sender<Signal>,
    also: impl Fn() + Send + 'static,
) -> Result<(), Failure> {
    ctrlc::set_handler(move || {
        let _ = tx.send(Signal::Stop);
        also();
    })
    .map_err(|e| {
        Failure::Run(crate::Error::Other(anyhow::anyhow!(
            "cannot catch Ctrl-C: {e}"
        )))
    })
}

/// Prints one line per rebuild, the diagnostics of a failed one exactly as
/// `verity check` does, and warnings when they change.
#[derive(Default)]
pub(super) struct Reporter {
    warnings: Option<String>,
}

impl Reporter {
    /// Reports one run; `rendered` is (outputs rendered, outputs in the
    /// site) when the run's output was written (`serve` renders on request
    /// and passes `None`).
    pub(super) fn report(
        &mut self,
        root: &Path,
        outcome: &Outcome<'_>,
        rendered: Option<(usize, usize)>,
    ) {
        let what = match outcome.reason {
            watch::Reason::Recheck => "a check after a new folder".to_string(),
            _ => changed(root, outcome.changes),
        };
        let ms = outcome.took.as_millis();
        match outcome.result {
            Ok(checked) if outcome.reason == watch::Reason::Recheck => {
                if rendered.is_some_and(|(n, _)| n > 0) {
                    self.warnings(&checked.warnings);
                    eprintln!("files that arrived with a new folder: rebuilt in {ms} ms");
                }
            }
            Ok(checked) => {
                self.warnings(&checked.warnings);
                if outcome.reason == watch::Reason::First {
                    // Counted once: `serve` lists its routes only here.
                    let total =
                        rendered.map_or_else(|| checked.renderer.routes().len(), |(_, t)| t);
                    eprintln!(
                        "built {total} pages in {ms} ms; watching for changes (Ctrl-C to stop)"
                    );
                } else if let Some((n, total)) = rendered {
                    eprintln!("{what}: re-rendered {n} of {total} pages in {ms} ms");
                } else {
                    eprintln!("{what}: checked in {ms} ms; pages render on request");
                }
            }
            Err(crate::Error::Content(d)) => {
                self.warnings = None;
                eprint!("{}", d.human());
                let n = d.error_count();
                let errors = format!("{n} {}", if n == 1 { "error" } else { "errors" });
                if outcome.reason == watch::Reason::First {
                    eprintln!("{what}: {errors}; watching for changes (Ctrl-C to stop)");
                } else {
                    eprintln!("{what}: {errors}; keeping the last good site");
                }
            }
            Err(crate::Error::Other(e)) => {
                eprintln!("{what}: error: {e:#}; keeping the last good site");
            }
        }
    }

    fn warnings(&mut self, warnings: &Diagnostics) {
        let text = warnings.human();
        if self.warnings.as_deref() != Some(text.as_str()) {
            eprint!("{text}");
            self.warnings = Some(text);
        }
    }
}

/// `content/briefs/a.md changed` or `content/briefs/a.md and 3 more changed`.
fn changed(root: &Path, changes: &[(watch::Change, std::path::PathBuf)]) -> String {
    let root = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
    match changes {
        [] => "first build".to_string(),
        [(_, one)] => format!("{} changed", crate::fs::relative(&root, one)),
        [(_, first), rest @ ..] => format!(
            "{} and {} more changed",
            crate::fs::relative(&root, first),
            rest.len()
        ),
    }
}
