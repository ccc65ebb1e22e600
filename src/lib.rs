//! Verity: a static-site generator for fact-check briefs.
//!
//! One pipeline, four stages, each a plain function of the one before:
//!
//! ```text
//!  root/ ──load──▶ Content ──resolve──▶ Site ──render──▶ pages ──write──▶ public/
//!         content::load    resolve::resolve    render::render    output::write_atomically
//!         └─ diagnostics gathered across load + resolve; render and write run only with none ─┘
//! ```
//!
//! [`build`] reads that way top to bottom. `check` stops after resolve;
//! `build` renders into a staging folder and swaps it in only when complete.

pub mod cli;
pub mod commands;
pub mod config;
pub mod content;
pub mod corpus;
pub mod dates;
pub mod diagnostics;
pub mod fields;
pub mod fs;
pub mod headers;
pub mod incremental;
pub mod markdown;
pub mod output;
pub mod render;
pub mod resolve;
pub mod scaffold;
pub mod serve;
pub mod slug;
pub mod timings;
pub mod watch;
pub mod yaml;

use diagnostics::Diagnostics;
use std::path::{Path, PathBuf};

/// Why a command failed.
#[derive(Debug)]
pub enum Error {
    /// Problems in the site's files (exit status 1), reported all at once.
    Content(Diagnostics),
    /// Anything else: I/O, a path that cannot be used (exit status 1).
    Other(anyhow::Error),
}

impl From<anyhow::Error> for Error {
    fn from(e: anyhow::Error) -> Self {
        Error::Other(e)
    }
}

/// The result of a pipeline stage.
pub type Result<T> = std::result::Result<T, Error>;

/// What `build` and `check` are asked to do.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Include drafts.
    pub drafts: bool,
    /// Replace `site.yaml`'s `base_url`.
    pub base_url: Option<String>,
}

/// A checked site: the model plus the warnings found on the way.
pub struct Checked {
    /// The resolved site.
    pub site: resolve::Site,
    /// The compiled theme.
    pub theme: render::Theme,
    /// Warnings (never errors).
    pub warnings: Diagnostics,
    /// Time per stage so far.
    pub timings: timings::Timings,
}

/// Load and resolve: every check of SPEC, no writing.
pub fn check(root: &Path, options: &Options) -> Result<Checked> {
    let mut timings = timings::Timings::default();
    let mut config = config::load(root)?.map_err(Error::Content)?;
    if let Some(base_url) = &options.base_url {
        config.set_base_url(base_url);
    }
    let loaded = timings.time("load", || content::load(root, &config))?;
    let mut diagnostics = loaded.diagnostics;
    let resolved = timings.time("resolve + markdown", || {
        resolve::resolve(loaded.value, config, options.drafts)
    });
    diagnostics.extend(resolved.diagnostics);
    let theme = match timings.time("templates: compile", || render::Theme::load(root)) {
        Ok(theme) => Some(theme),
        Err(Error::Content(d)) => {
            diagnostics.extend(d);
            None
        }
        Err(e) => return Err(e),
    };
    match theme {
        Some(theme) if !diagnostics.has_errors() => Ok(Checked {
            site: resolved.value,
            theme,
            warnings: diagnostics,
            timings,
        }),
        _ => Err(Error::Content(diagnostics)),
    }
}

/// What a successful build wrote.
pub struct Built {
    /// Pages rendered.
    pub pages: usize,
    /// Static files copied.
    pub static_files: usize,
    /// Warnings found on the way.
    pub warnings: Diagnostics,
    /// Time per stage.
    pub timings: timings::Timings,
}

/// The whole pipeline: check, render, then write `out` atomically.
pub fn build(root: &Path, out: &Path, options: &Options) -> Result<Built> {
    output::check_output_dir(root, out)?;
    let Checked {
        site,
        theme,
        warnings,
        mut timings,
    } = check(root, options)?;
    let write_nanos = std::sync::atomic::AtomicU64::new(0);
    let previous = Some(out).filter(|o| o.is_dir());
    let start = std::time::Instant::now();
    let (pages, static_files, swap) = output::write_atomically(out, |dir: &Path| {
        let sink = |path: &str, bytes: Vec<u8>| {
            let t = std::time::Instant::now();
            let result = output::write_file(dir, previous, path, &bytes);
            write_nanos.fetch_add(
                t.elapsed().as_nanos() as u64,
                std::sync::atomic::Ordering::Relaxed,
            );
            result
        };
        let pages = render::render(&site, &theme, &sink)?;
        let rendered = start.elapsed();
        let static_files = output::copy_static(root, dir)?;
        Ok((pages, static_files, rendered))
    })?;
    let written = start.elapsed();
    // Render and write overlap on both cores: split the wall time by the
    // share of thread time spent writing.
    let write_cpu = std::time::Duration::from_nanos(write_nanos.into_inner());
    timings.record(
        "render: templates",
        swap.saturating_sub(write_cpu / rayon::current_num_threads() as u32),
    );
    timings.record(
        "write: files",
        write_cpu / rayon::current_num_threads() as u32,
    );
    timings.record("write: static + swap", written.saturating_sub(swap));
    drop(site);
    Ok(Built {
        pages,
        static_files,
        warnings,
        timings,
    })
}

/// The default output folder of a site.
pub fn default_output(root: &Path) -> PathBuf {
    root.join("public")
}
