//! Verity: a static-site generator for fact-check briefs.
//!
//! One pipeline, four stages, each a plain function of the one before:
//!
//! ```text
//!  root/ ──load──▶ Content ──resolve──▶ Site ──render──▶ pages ──write──▶ public/
//!         content::load    resolve::resolve    Renderer    output::write_atomically
//!         └─ diagnostics gathered across load + resolve; render and write run only with none ─┘
//! ```
//!
//! [`session::Session`] runs load and resolve for every command; [`build`]
//! renders every route and writes them atomically, `check` stops before
//! rendering, `watch` renders and writes the routes whose fingerprint
//! changed, and `serve` renders the ones requested.

pub mod cli;
pub mod commands;
pub mod config;
pub mod content;
pub mod corpus;
pub mod dates;
pub mod diagnostics;
pub mod error;
pub mod fields;
pub mod fs;
pub mod headers;
pub mod markdown;
pub mod mirror;
pub mod output;
pub mod policy;
pub mod render;
pub mod resolve;
pub mod scaffold;
pub mod serve;
pub mod session;
pub mod slug;
pub mod sources;
pub mod timings;
pub mod urls;
pub mod watch;
pub mod yaml;

pub use error::{Error, Result};
pub use session::{Checked, Options};

use content::Changed;
use diagnostics::Diagnostics;
use std::path::{Path, PathBuf};

/// Load and resolve: every check of the site, no writing.
pub fn check(root: &Path, options: &Options) -> Result<Checked> {
    session::Session::new(root, options.clone()).run(&Changed::All)
}

/// What a successful build wrote.
pub struct Built {
    /// Outputs rendered (pages, feeds, and the files beside them).
    pub pages: usize,
    /// Static files copied.
    pub static_files: usize,
    /// Warnings found on the way.
    pub warnings: Diagnostics,
    /// Time per stage.
    pub timings: timings::Timings,
}

/// The whole pipeline: check, render every route, then write `out`
/// atomically (unchanged files are hard links to the previous output's).
pub fn build(root: &Path, out: &Path, options: &Options) -> Result<Built> {
    output::check_output_dir(root, out)?;
    let Checked {
        renderer,
        statics,
        warnings,
        mut timings,
    } = check(root, options)?;
    let previous = Some(out).filter(|o| o.is_dir());
    let routes = renderer.routes();
    timings.time("render + write", || {
        output::write_atomically(out, |dir: &Path| {
            let sink = |path: &str, bytes: &[u8]| output::write_file(dir, previous, path, bytes);
            let link = |path: &str, from: &Path| output::link_file(dir, path, from);
            renderer.render_all(&routes, &sink, &link)?;
            output::copy_static(&statics, dir)?;
            Ok(())
        })
    })?;
    Ok(Built {
        pages: routes.len(),
        static_files: statics.len(),
        warnings,
        timings,
    })
}

/// The default output folder of a site.
pub fn default_output(root: &Path) -> PathBuf {
    root.join("public")
}
