//! The one pipeline of every command, and what long-running commands keep
//! between its runs.
//!
//! ```text
//!  site.yaml ─┐
//!  content/ ──load──▶ Content ──resolve──▶ Site ─┐
//!  templates/ ──────────────── Theme ────────────┴─▶ Renderer ──▶ render/write (per command)
//!  static/ ─────────────────── file list ────────┘
//! ```
//!
//! A [`Session`] runs load and resolve, compiles the theme and lists the
//! static files, and keeps what they made: each content file's parse (by
//! the hash of its bytes), each rendered body (by its inputs, see
//! [`resolve::Memo`]), the theme and the static files. `build` and `check`
//! use a new session for one run; `watch` and `serve` keep theirs and tell
//! each run which paths changed, so it reads and renders only those. The
//! stages are the same functions either way: nothing here re-implements one.
//! A change to `site.yaml`, on which every parse depends, clears everything.

use crate::config::{self, SiteConfig};
use crate::content::Brief;
use crate::content::{self, Changed};
use crate::diagnostics::Diagnostics;
use crate::error::{Error, Result};
use crate::render::{Postings, Renderer, Theme};
use crate::resolve::{self, Memo, Site};
use crate::timings::Timings;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What a run is asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// Include drafts.
    pub drafts: bool,
    /// Replace `site.yaml`'s `base_url`.
    pub base_url: Option<String>,
}

/// A checked site: ready to render, with the warnings found on the way.
pub struct Checked {
    /// The site and its theme.
    pub renderer: Arc<Renderer>,
    /// The files of `static/`: output path → file.
    pub statics: Arc<BTreeMap<String, PathBuf>>,
    /// Warnings (never errors).
    pub warnings: Diagnostics,
    /// Time per stage.
    pub timings: Timings,
}

/// The pipeline of one site, with what it keeps between runs.
pub struct Session {
    root: PathBuf,
    options: Options,
    /// A fingerprint of `site.yaml` as last read.
    settings: Option<u128>,
    files: content::Files,
    memo: Memo,
    theme: Option<Arc<Theme>>,
    statics: Option<Arc<BTreeMap<String, PathBuf>>>,
    /// Whether results are kept for later runs.
    keep: bool,
    /// The site of the last run, if it was good (and results are kept).
    last: Option<Site>,
    /// The search index's postings, kept between runs (or made fresh).
    postings: Postings,
}

impl Session {
    /// A session for one run (`build`, `check`): it keeps nothing that
    /// only a later run would use.
    pub fn new(root: &Path, options: Options) -> Session {
        Session {
            root: std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf()),
            options,
            settings: None,
            files: content::Files::default(),
            memo: Memo::default(),
            theme: None,
            statics: None,
            keep: false,
            last: None,
            postings: Postings::Fresh,
        }
    }

    /// A session for many runs (`watch`, `serve`): it keeps every parse and
    /// rendered body for the next run. Its first run reads everything.
    pub fn long_running(root: &Path, options: Options) -> Session {
        Session {
            memo: Memo::kept(),
            keep: true,
            postings: Postings::Kept(Default::default()),
            ..Session::new(root, options)
        }
    }

    /// The site's folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// LOAD and RESOLVE with the files as they are now, given what changed
    /// since the last run; compiles the theme and lists `static/` when they
    /// may have changed. Every problem of the site is returned at once.
    pub fn run(&mut self, changed: &Changed) -> Result<Checked> {
        let mut timings = Timings::default();
        let root = self.root.clone();
        let (config, fresh) = timings.time("settings", || self.settings())?;
        let changed = if fresh { &Changed::All } else { changed };
        let touches = |dir: &str| match changed {
            Changed::All => true,
            Changed::Paths(paths) => paths.iter().any(|p| p.starts_with(root.join(dir))),
        };
        // Saves of briefs only (besides templates and static files) may
        // leave the link graph as it was: remember their parses.
        let edited: Option<Vec<(PathBuf, Option<Arc<Brief>>)>> = match changed {
            Changed::Paths(paths) if self.last.is_some() => paths
                .iter()
                .filter(|p| {
                    !p.starts_with(root.join("templates")) && !p.starts_with(root.join("static"))
                })
                .map(|p| {
                    let brief = p.starts_with(root.join("content/briefs"))
                        && p.extension().is_some_and(|e| e == "md");
                    brief.then(|| (p.clone(), self.files.brief(p).map(|(b, _)| b)))
                })
                .collect(),
            _ => None,
        };
        let loaded = timings.time("load", || {
            content::load(&root, &config, &mut self.files, changed)
        })?;
        if !self.keep {
            // A single run: the content alone holds the files' text, and
            // resolve lets each body's text go once it is rendered.
            self.files.clear();
        }
        let mut diagnostics = loaded.diagnostics;
        let patched = match (&edited, &self.last) {
            (Some(edited), Some(last)) => self.edits(last, edited).map(|edits| {
                timings.time("resolve: bodies", || {
                    resolve::patch(last, &edits, &self.memo.bodies)
                })
            }),
            _ => None,
        };
        let site = match patched {
            Some(site) => site,
            None => timings.time("resolve + markdown", || {
                resolve::resolve(loaded.value, config, self.options.drafts, &mut self.memo)
            }),
        };
        self.last = None;
        diagnostics.extend(site.problems());
        diagnostics.extend(crate::sources::policy::check(&site));
        diagnostics.extend(crate::policy::check(&site));
        if self.theme.is_none() || touches("templates") {
            self.theme = None;
            match timings.time("templates", || Theme::load(&root)) {
                Ok(theme) => self.theme = Some(Arc::new(theme)),
                Err(Error::Content(d)) => diagnostics.extend(d),
                Err(e) => return Err(e),
            }
        }
        if self.statics.is_none() || touches("static") {
            self.statics = Some(Arc::new(crate::output::static_files(&root)?));
        }
        let (Some(theme), Some(statics)) = (&self.theme, &self.statics) else {
            return Err(Error::Content(diagnostics));
        };
        if diagnostics.has_errors() {
            return Err(Error::Content(diagnostics));
        }
        let names = statics.keys().cloned().collect();
        if self.keep {
            self.last = Some(site.clone());
        }
        Ok(Checked {
            renderer: Arc::new(
                Renderer::new(site, theme.clone(), names, self.postings.clone())
                    .with_card_cache(&self.root),
            ),
            statics: statics.clone(),
            warnings: diagnostics,
            timings,
        })
    }

    /// The edits of `edited` briefs, when each one keeps its place in the
    /// link graph of `last` ([`resolve::same_graph`]); `None` when any does
    /// not (a new, removed, renamed, re-dated or re-tagged brief …).
    fn edits(
        &self,
        last: &Site,
        edited: &[(PathBuf, Option<Arc<Brief>>)],
    ) -> Option<Vec<resolve::Edit>> {
        let mut edits = Vec::new();
        for (path, before) in edited {
            let before = before.as_ref()?;
            let (now, text) = self.files.brief(path)?;
            if !resolve::same_graph(&now, before) {
                return None;
            }
            // A brief not in the site (a draft left out) shows nowhere. (By
            // file, not by identity: a patched node keeps its old front
            // matter when the save left it equal.)
            if let Some(i) = last.briefs.iter().position(|n| n.brief.file == before.file) {
                edits.push((i, now, text));
            }
        }
        Some(edits)
    }

    /// Reads `site.yaml`; a change forgets everything kept, since every
    /// parse and body depends on the settings (then `true`).
    fn settings(&mut self) -> Result<(SiteConfig, bool)> {
        let bytes = std::fs::read(self.root.join("site.yaml")).unwrap_or_default();
        let hash = xxhash_rust::xxh3::xxh3_128(&bytes);
        let fresh = self.settings != Some(hash);
        if fresh {
            self.files.clear();
            self.memo = if self.keep {
                Memo::kept()
            } else {
                Memo::default()
            };
            self.last = None;
            self.settings = None;
        }
        let mut config = config::load(&self.root)?.map_err(Error::Content)?;
        if let Some(base_url) = &self.options.base_url {
            config.set_base_url(base_url);
        }
        self.settings = Some(hash);
        Ok((config, fresh))
    }
}
