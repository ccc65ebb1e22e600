//! Rendered bodies, kept between runs: the costly part of RESOLVE, done
//! once per body and again only when something it depends on changed.
//!
//! A body's HTML is a pure function of its text, where it sits (file, first
//! line), the sources it may cite, the raw-HTML setting, and the answers to
//! the link-target lookups it made while rendering. [`Bodies`] records
//! those lookups and, on the next run, replays them against the new site's
//! targets: if the body, its declared sources and every answer are the
//! same, the recorded result is reused; otherwise the body is rendered
//! again. No dependency is written by hand: whatever `markdown::render`
//! asks is what is checked. A build starts with an empty one.

use super::site::Body;
use super::targets::Targets;
use crate::diagnostics::Diagnostic;
use crate::markdown::crosslinks::Target;
use crate::markdown::{self, Cited, Input, LinkTargets, Resolved};
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, RwLock};

/// One question a body asked of the link targets, with the answer it got.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Lookup {
    Target {
        kind: &'static str,
        name: String,
        answer: Result<Resolved, Option<String>>,
    },
    BriefFile {
        path: String,
        answer: Result<Resolved, Option<String>>,
    },
    SourceExists {
        id: String,
        answer: bool,
    },
}

impl Lookup {
    /// Whether `targets` still gives the recorded answer.
    fn holds(&self, targets: &dyn LinkTargets) -> bool {
        match self {
            Lookup::Target { kind, name, answer } => {
                let target = match *kind {
                    "brief" => Target::Brief(name),
                    "source" => Target::Source(name),
                    "claimant" => Target::Claimant(name),
                    "tag" => Target::Tag(name),
                    _ => Target::Verdict(name),
                };
                targets.target(target) == *answer
            }
            Lookup::BriefFile { path, answer } => targets.brief_file(path) == *answer,
            Lookup::SourceExists { id, answer } => targets.source_exists(id) == *answer,
        }
    }
}

/// Link targets that write down every question and answer.
struct Recorder<'t> {
    inner: &'t dyn LinkTargets,
    log: Mutex<Vec<Lookup>>,
}

impl Recorder<'_> {
    fn push(&self, lookup: Lookup) {
        self.log
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(lookup);
    }
}

impl LinkTargets for Recorder<'_> {
    fn target(&self, target: Target<'_>) -> Result<Resolved, Option<String>> {
        let answer = self.inner.target(target);
        self.push(Lookup::Target {
            kind: target.kind(),
            name: target.name().to_string(),
            answer: answer.clone(),
        });
        answer
    }

    fn brief_file(&self, path: &str) -> Result<Resolved, Option<String>> {
        let answer = self.inner.brief_file(path);
        self.push(Lookup::BriefFile {
            path: path.to_string(),
            answer: answer.clone(),
        });
        answer
    }

    fn source_exists(&self, id: &str) -> bool {
        let answer = self.inner.source_exists(id);
        self.push(Lookup::SourceExists {
            id: id.to_string(),
            answer,
        });
        answer
    }
}

/// What rendering one body gave.
#[derive(Debug, Default)]
pub(super) struct RenderedBody {
    /// The body.
    pub body: Arc<Body>,
    /// The cited sources in number order.
    pub cited: Vec<Cited>,
    /// Unknown targets, bad citations …
    pub diagnostics: Vec<Diagnostic>,
}

struct Entry {
    /// The Markdown text (shared with the parse of its file).
    body: Arc<str>,
    /// The fingerprint of the link targets that `lookups` were last found
    /// to hold against, in two halves.
    targets: [AtomicU64; 2],
    first_line: usize,
    raw_html: crate::config::RawHtml,
    declared: Option<Vec<String>>,
    lookups: Vec<Lookup>,
    rendered: Arc<RenderedBody>,
    /// The rebuild that last used this entry (older ones are dropped).
    used: AtomicU64,
}

impl Entry {
    fn matches(&self, input: &Input<'_>, body: &Arc<str>, targets: &Targets) -> bool {
        let same_declared = match (&self.declared, input.declared) {
            (None, None) => true,
            (Some(a), Some(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y),
            _ => false,
        };
        self.first_line == input.first_line
            && self.raw_html == *input.raw_html
            && same_declared
            && (Arc::ptr_eq(&self.body, body) || self.body == *body)
            && self.targets_hold(targets)
    }

    /// Whether every lookup still gets its answer: at once when the
    /// targets are the same as when that was last checked.
    fn targets_hold(&self, targets: &Targets) -> bool {
        let [low, high] = &self.targets;
        let seen = u128::from(low.load(Ordering::Relaxed))
            | (u128::from(high.load(Ordering::Relaxed)) << 64);
        if seen == targets.fingerprint {
            return true;
        }
        let hold = self.lookups.iter().all(|l| l.holds(targets));
        if hold {
            low.store(targets.fingerprint as u64, Ordering::Relaxed);
            high.store((targets.fingerprint >> 64) as u64, Ordering::Relaxed);
        }
        hold
    }
}

/// The rendered bodies of a site: one entry per file (a brief or a free
/// page). The default keeps nothing (a single run renders each body once
/// anyway); [`Bodies::kept`] keeps every body for the next run.
#[derive(Default)]
pub struct Bodies {
    entries: RwLock<HashMap<String, Entry>>,
    generation: u64,
    keep: bool,
}

impl Bodies {
    /// Bodies kept between runs, for long-running commands.
    pub fn kept() -> Bodies {
        Bodies {
            keep: true,
            ..Bodies::default()
        }
    }

    /// Whether results are kept for the next run.
    pub fn keeps(&self) -> bool {
        self.keep
    }

    /// Starts a run.
    pub(super) fn begin(&mut self) {
        self.generation += 1;
    }

    /// Drops the entries no body used in this run (deleted files), so
    /// memory stays flat over any number of edits.
    pub(super) fn finish(&mut self) {
        let generation = self.generation;
        self.entries
            .get_mut()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|_, e| *e.used.get_mut() == generation);
    }

    /// Forgets everything.
    pub fn clear(&mut self) {
        self.entries
            .get_mut()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    /// The body of `file` rendered again if a link target it asked about
    /// is not what it was (`None` when every answer holds, or when nothing
    /// is kept for `file`).
    pub(super) fn refresh(&self, file: &str, targets: &Targets) -> Option<Arc<RenderedBody>> {
        let (text, first_line, declared, raw_html) = {
            let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
            let entry = entries.get(file)?;
            if entry.targets_hold(targets) {
                return None;
            }
            (
                entry.body.clone(),
                entry.first_line,
                entry.declared.clone(),
                entry.raw_html.clone(),
            )
        };
        let declared: Option<Vec<&str>> = declared
            .as_ref()
            .map(|d| d.iter().map(String::as_str).collect());
        let input = Input {
            body: &text,
            file,
            first_line,
            declared: declared.as_deref(),
            raw_html: &raw_html,
        };
        Some(self.render(input, &text, targets))
    }

    /// `markdown::render`, or the recorded result of the same question.
    pub(super) fn render(
        &self,
        input: Input<'_>,
        body: &Arc<str>,
        targets: &Targets,
    ) -> Arc<RenderedBody> {
        {
            let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
            if let Some(entry) = entries.get(input.file)
                && entry.matches(&input, body, targets)
            {
                entry.used.store(self.generation, Ordering::Relaxed);
                return entry.rendered.clone();
            }
        }
        if !self.keep {
            let out = markdown::render(input, targets);
            return Arc::new(RenderedBody {
                body: Arc::new(Body::new(out.html)),
                cited: out.cited,
                diagnostics: out.diagnostics,
            });
        }
        let recorder = Recorder {
            inner: targets,
            log: Mutex::new(Vec::new()),
        };
        let out = markdown::render(input, &recorder);
        let rendered = Arc::new(RenderedBody {
            body: Arc::new(Body::new(out.html)),
            cited: out.cited,
            diagnostics: out.diagnostics,
        });
        let entry = Entry {
            body: body.clone(),
            targets: [
                AtomicU64::new(targets.fingerprint as u64),
                AtomicU64::new((targets.fingerprint >> 64) as u64),
            ],
            first_line: input.first_line,
            raw_html: input.raw_html.clone(),
            declared: input
                .declared
                .map(|d| d.iter().map(|s| s.to_string()).collect()),
            lookups: recorder.log.into_inner().unwrap_or_else(|e| e.into_inner()),
            rendered: rendered.clone(),
            used: AtomicU64::new(self.generation),
        };
        self.entries
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(input.file.to_string(), entry);
        rendered
    }
}
