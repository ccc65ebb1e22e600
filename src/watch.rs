//! WATCH: file-system events → rebuilds.
//!
//! [`classify`] is a pure function from a changed path to what it changes
//! (editors' temporary files change nothing). [`Watcher`] turns notify's
//! events, debounced so that a burst of saves (an editor's write-then-rename,
//! a `git checkout` of many files) arrives as one batch, into [`Signal`]s on
//! a channel; [`run`] drains every batch that is waiting, runs the session
//! once with the files as they are then, telling it which paths changed,
//! and hands the outcome to a callback (`watch` writes it, `serve` serves
//! it). The watcher knows nothing of HTTP; the server knows nothing of
//! notify.

use crate::content::Changed;
use crate::session::{Checked, Session};
use notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, new_debouncer};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender};
use std::time::{Duration, Instant};

/// notify's debounce: how long a path must be quiet before its events are
/// delivered (joins an editor's write-then-rename of one file).
pub const DEBOUNCE: Duration = Duration::from_millis(10);

/// How long no batch may arrive before a rebuild starts. The debouncer
/// times each path on its own, so a long burst (a checkout of hundreds of
/// files) comes as several batches; waiting for quiet joins them into one
/// rebuild of the final state. Both delays add to every edit's latency, so
/// the wait is short after a save of a file or two ([`QUIET`]) and longer
/// once a batch shows a burst ([`QUIET_BURST`]).
pub const QUIET: Duration = Duration::from_millis(5);

/// The quiet wait once more than [`BURST`] paths have changed, or a folder.
pub const QUIET_BURST: Duration = Duration::from_millis(150);

/// How many changed paths make a burst.
pub const BURST: usize = 4;

/// After a folder appears, files written into it before the watcher saw it
/// send no events: one more (silent unless something changed) rebuild this
/// long after catches them.
pub const RECHECK: Duration = Duration::from_millis(200);

/// What a changed path affects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    /// `site.yaml`.
    Config,
    /// Under `content/`.
    Content,
    /// Under `templates/`.
    Templates,
    /// Under `static/`.
    Static,
}

/// What `path` (absolute, under `root`) changes, or `None` if nothing the
/// site is built from (the output, editors' swap and backup files …).
pub fn classify(root: &Path, path: &Path) -> Option<Change> {
    let rel = path.strip_prefix(root).ok()?;
    let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy());
    let first = parts.next()?;
    let name = path.file_name()?.to_string_lossy();
    if is_temporary(&name) {
        return None;
    }
    match first.as_ref() {
        "site.yaml" if rel.components().count() == 1 => Some(Change::Config),
        "content" => Some(Change::Content),
        "templates" => Some(Change::Templates),
        "static" => Some(Change::Static),
        _ => None,
    }
}

/// Editors' temporary files: Vim's swap files and write test, Emacs's
/// lock and auto-save files, backups, Kate's swap, JetBrains' and VS Code's
/// atomic-save files, hidden files.
fn is_temporary(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name == "4913"
        || [
            ".swp",
            ".swo",
            ".swx",
            ".kate-swp",
            ".tmp",
            ".bak",
            ".crswap",
        ]
        .iter()
        .any(|ext| name.ends_with(ext))
        || name.contains(".tmp.")
}

/// What the watch loop is told.
#[derive(Debug)]
pub enum Signal {
    /// These paths changed (already classified).
    Changed(Vec<(Change, PathBuf)>),
    /// The watcher failed (e.g. too many folders for the system's limit).
    Failed(String),
    /// Stop (Ctrl-C).
    Stop,
}

/// The file-system watcher of a site; events go to a channel while it lives.
pub struct Watcher {
    _debouncer: notify_debouncer_full::Debouncer<
        notify::RecommendedWatcher,
        notify_debouncer_full::RecommendedCache,
    >,
}

impl Watcher {
    /// Watches `site.yaml`, `content/`, `templates/` and `static/` of `root`.
    /// The root folder itself is watched without its sub-folders, so a
    /// watched folder created later (or removed and re-created) is seen, and
    /// the output folder costs nothing.
    pub fn start(root: &Path, signals: Sender<Signal>) -> anyhow::Result<Watcher> {
        let root = std::path::absolute(root)?;
        let handler_root = root.clone();
        let mut debouncer = new_debouncer(DEBOUNCE, None, move |result: DebounceEventResult| {
            let signal = match result {
                Ok(events) => {
                    // Reading files (as every rebuild does) is not a change.
                    let mut changed: Vec<(Change, PathBuf)> = events
                        .iter()
                        .filter(|e| !matches!(e.kind, notify::EventKind::Access(_)))
                        .flat_map(|e| e.paths.iter())
                        .filter_map(|p| classify(&handler_root, p).map(|c| (c, p.clone())))
                        .collect();
                    // Events were lost (the kernel's queue overflowed): every
                    // file may have changed.
                    if events.iter().any(|e| e.need_rescan()) {
                        changed.extend(
                            ["content", "templates", "static"]
                                .map(|d| (Change::Content, handler_root.join(d))),
                        );
                    }
                    changed.sort();
                    changed.dedup();
                    if changed.is_empty() {
                        return;
                    }
                    Signal::Changed(changed)
                }
                Err(errors) => Signal::Failed(
                    errors
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
            };
            let _ = signals.send(signal);
        })?;
        debouncer.watch(&root, RecursiveMode::NonRecursive)?;
        for dir in ["content", "templates", "static"] {
            let dir = root.join(dir);
            if dir.is_dir() {
                debouncer.watch(&dir, RecursiveMode::Recursive)?;
            }
        }
        Ok(Watcher {
            _debouncer: debouncer,
        })
    }
}

/// Why a rebuild ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// The first build.
    First,
    /// Files changed.
    Changes,
    /// A check after a new folder appeared (see [`RECHECK`]).
    Recheck,
}

/// One rebuild, as the callback of [`run`] sees it.
pub struct Outcome<'a> {
    /// Why it ran.
    pub reason: Reason,
    /// What changed since the last rebuild (empty for the first build).
    pub changes: &'a [(Change, PathBuf)],
    /// The rebuild's result.
    pub result: &'a crate::Result<Checked>,
    /// How long it took.
    pub took: Duration,
}

/// Builds, then rebuilds after every batch of changes until [`Signal::Stop`]
/// or the channel closes. Folders that appear at the top level of the site
/// restart the watcher so they are watched too.
pub fn run(
    root: &Path,
    session: &mut Session,
    signals: (&Sender<Signal>, &Receiver<Signal>),
    mut on_rebuild: impl FnMut(Outcome<'_>),
) -> anyhow::Result<()> {
    let (tx, rx) = signals;
    let mut watcher = Some(Watcher::start(root, tx.clone())?);
    let watched = |root: &Path| ["content", "templates", "static"].map(|d| root.join(d).is_dir());
    let mut dirs = watched(root);
    let start = Instant::now();
    let result = session.run(&Changed::All);
    on_rebuild(Outcome {
        reason: Reason::First,
        changes: &[],
        result: &result,
        took: start.elapsed(),
    });
    let mut recheck = false;
    loop {
        let first = if recheck {
            match rx.recv_timeout(RECHECK) {
                Ok(signal) => Some(signal),
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => None,
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
            }
        } else {
            match rx.recv() {
                Ok(signal) => Some(signal),
                Err(_) => break,
            }
        };
        let reason = if first.is_some() {
            Reason::Changes
        } else {
            Reason::Recheck
        };
        let mut changes = Vec::new();
        let mut stop = false;
        let mut next = first;
        while let Some(signal) = next {
            match signal {
                Signal::Changed(c) => changes.extend(c),
                Signal::Failed(message) => anyhow::bail!("watching {}: {message}", root.display()),
                Signal::Stop => {
                    stop = true;
                    break;
                }
            }
            // Many paths, or a new folder (a checkout, an unpacked archive),
            // show a burst that may go on.
            let quiet = if changes.len() > BURST || changes.iter().any(|(_, p)| p.is_dir()) {
                QUIET_BURST
            } else {
                QUIET
            };
            next = rx.recv_timeout(quiet).ok();
        }
        if stop {
            break;
        }
        recheck = changes.iter().any(|(_, p)| p.is_dir());
        changes.sort();
        changes.dedup();
        let now = watched(root);
        let restarted = now != dirs;
        if restarted {
            dirs = now;
            drop(watcher.take());
            watcher = Some(Watcher::start(root, tx.clone())?);
        }
        let start = Instant::now();
        // A recheck, or a watcher started afresh, may have missed events.
        let changed = if reason == Reason::Recheck || restarted {
            Changed::All
        } else {
            Changed::Paths(changes.iter().map(|(_, p)| p.clone()).collect())
        };
        let result = session.run(&changed);
        on_rebuild(Outcome {
            reason,
            changes: &changes,
            result: &result,
            took: start.elapsed(),
        });
    }
    drop(watcher);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_paths() {
        let root = Path::new("/site");
        let table: &[(&str, Option<Change>)] = &[
            ("/site/site.yaml", Some(Change::Config)),
            ("/site/content/briefs/2025/a.md", Some(Change::Content)),
            ("/site/content/briefs/2025", Some(Change::Content)),
            ("/site/content/sources/x.yaml", Some(Change::Content)),
            ("/site/templates/base.html", Some(Change::Templates)),
            ("/site/static/img/logo.png", Some(Change::Static)),
            ("/site/public/index.html", None),
            ("/site/other.yaml", None),
            ("/site/sub/site.yaml", None),
            ("/elsewhere/content/a.md", None),
            ("/site/content/briefs/.a.md.swp", None),
            ("/site/content/briefs/a.md.swp", None),
            ("/site/content/briefs/a.md~", None),
            ("/site/content/briefs/#a.md#", None),
            ("/site/content/briefs/.#a.md", None),
            ("/site/content/briefs/a.md.kate-swp", None),
            ("/site/content/briefs/4913", None),
            ("/site/templates/base.html.tmp.1234", None),
        ];
        for (path, want) in table {
            assert_eq!(classify(root, Path::new(path)), *want, "{path}");
        }
    }
}
