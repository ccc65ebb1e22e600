//! Incremental rebuilds for `watch` and `serve`: the same pipeline as
//! [`crate::build`], made fast by memoising each stage, not by tracking
//! dependencies by hand.
//!
//! ```text
//!  load      each file's parse, kept while the file is unchanged   (files.rs)
//!  resolve   re-run in full; each Markdown body's HTML is kept while its
//!            text and every link-target answer it got are unchanged (bodies.rs)
//!  render    each page kept while (template closure, context) hash the same (pages.rs)
//!  output    an in-memory map path → bytes; a rebuild swaps in a new map
//! ```
//!
//! Every memo is keyed by the full inputs of a pure function, so the output
//! after any sequence of edits is the output of a fresh build of the same
//! files (a test drives random edits to check it byte for byte). A failed
//! rebuild returns its diagnostics and leaves the last good output as it
//! was. The memos drop entries of files and pages that no longer exist, so
//! memory stays flat over any number of edits.

mod bodies;
mod files;
mod pages;
pub mod write;

use crate::diagnostics::Diagnostics;
use crate::render::{self, Theme};
use crate::{Error, Options, config, content, resolve};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The whole output of a site: path relative to the output folder → bytes.
pub type Output = HashMap<String, Arc<[u8]>>;

/// What one successful rebuild did.
#[derive(Debug, Clone)]
pub struct Rebuilt {
    /// The complete output.
    pub output: Arc<Output>,
    /// The site's URL root (`/` or `/desk/`): where the output is served.
    pub url_root: String,
    /// Pages rendered by this rebuild (the others were unchanged).
    pub rendered: usize,
    /// Pages in the site.
    pub pages: usize,
    /// Output files added or changed.
    pub changed: Vec<String>,
    /// Output files that no longer exist.
    pub removed: Vec<String>,
    /// Warnings found on the way.
    pub warnings: Diagnostics,
    /// How long each stage took.
    pub timings: Vec<(&'static str, std::time::Duration)>,
}

/// A site being watched: its memos and its last good output.
pub struct Session {
    root: PathBuf,
    options: Options,
    /// Fingerprint of the settings; any change clears every memo.
    settings: Option<u128>,
    parsed: files::FileMemo<Arc<content::Parsed>>,
    statics: files::FileMemo<Arc<[u8]>>,
    bodies: bodies::Bodies,
    /// Output file → (fingerprint, bytes) of the last good render.
    pages: HashMap<String, (u128, Arc<[u8]>)>,
    output: Arc<Output>,
}

impl Session {
    /// A session with empty memos: its first rebuild is a full build.
    pub fn new(root: &Path, options: Options) -> Session {
        Session {
            root: root.to_path_buf(),
            options,
            settings: None,
            parsed: Default::default(),
            statics: Default::default(),
            bodies: Default::default(),
            pages: HashMap::new(),
            output: Arc::new(Output::new()),
        }
    }

    /// The last good output (empty before the first good rebuild).
    pub fn output(&self) -> Arc<Output> {
        self.output.clone()
    }

    /// Rebuilds the site from the files as they are now. On content errors
    /// returns them and keeps the last good output.
    pub fn rebuild(&mut self) -> crate::Result<Rebuilt> {
        let root = self.root.clone();
        let mut timings = Vec::new();
        let mut clock = std::time::Instant::now();
        let mut lap = |name: &'static str| {
            timings.push((name, clock.elapsed()));
            clock = std::time::Instant::now();
        };
        let settings = std::fs::read(root.join("site.yaml")).unwrap_or_default();
        let settings = xxhash_rust::xxh3::xxh3_128(
            &[
                settings.as_slice(),
                format!("{:?}", self.options).as_bytes(),
            ]
            .concat(),
        );
        if self.settings != Some(settings) {
            self.parsed.clear();
            self.statics.clear();
            self.bodies.clear();
            self.pages.clear();
            self.settings = Some(settings);
        }

        let mut config = config::load(&root)?.map_err(Error::Content)?;
        if let Some(base_url) = &self.options.base_url {
            config.set_base_url(base_url);
        }
        let url_root = config.root.clone();
        let (parsed, _fresh) = files::load(&self.parsed, &root, &config)?;
        lap("load");
        let loaded = content::assemble(parsed.iter().map(|p| p.as_ref()));
        lap("assemble");
        let mut diagnostics = loaded.diagnostics;
        self.bodies.begin();
        let bodies = &self.bodies;
        let resolved = resolve::resolve_with(
            loaded.value,
            config,
            self.options.drafts,
            &|input, targets| bodies.render(input, targets),
        );
        self.bodies.finish();
        lap("resolve");
        diagnostics.extend(resolved.diagnostics);
        let theme = match Theme::load(&root) {
            Ok(theme) => Some(theme),
            Err(Error::Content(d)) => {
                diagnostics.extend(d);
                None
            }
            Err(e) => return Err(e),
        };
        let theme = match theme {
            Some(theme) if !diagnostics.has_errors() => theme,
            _ => return Err(Error::Content(diagnostics)),
        };
        let site = resolved.value;
        lap("theme");

        // Render the pages whose fingerprint changed.
        let filter = pages::PageFilter::new(&theme, &self.pages);
        let fresh: Mutex<HashMap<String, Arc<[u8]>>> = Mutex::new(HashMap::new());
        let sink = |file: &str, bytes: Vec<u8>| {
            lock(&fresh).insert(file.to_string(), Arc::from(bytes));
            Ok(())
        };
        let pages = render::render_filtered(&site, &theme, &sink, &filter)?;
        lap("render");
        let seen = filter.seen.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut fresh = fresh.into_inner().unwrap_or_else(|e| e.into_inner());
        let statics = files::statics(&self.statics, &root)?;

        // Assemble the new output: pages, then theme assets, then static/.
        let mut rendered = 0;
        let mut new_pages = HashMap::with_capacity(seen.len());
        let mut output = Output::with_capacity(seen.len() + 16);
        for (file, fp) in seen {
            let bytes = match fresh.remove(&file) {
                Some(bytes) => {
                    rendered += 1;
                    bytes
                }
                None => match self.pages.get(&file) {
                    Some((_, bytes)) => bytes.clone(),
                    None => continue,
                },
            };
            output.insert(file.clone(), bytes.clone());
            if let Some(fp) = fp {
                new_pages.insert(file, (fp, bytes));
            }
        }
        // What the sink got besides pages: the theme's assets.
        for (file, bytes) in fresh {
            output.insert(file, bytes);
        }
        for (file, bytes) in statics {
            output.insert(file, bytes);
        }
        let (changed, removed) = diff(&self.output, &output);
        self.pages = new_pages;
        self.output = Arc::new(output);
        lap("output");
        Ok(Rebuilt {
            output: self.output.clone(),
            url_root,
            rendered,
            pages,
            changed,
            removed,
            warnings: diagnostics,
            timings,
        })
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Files added or changed, and files removed, from `old` to `new`, sorted.
fn diff(old: &Output, new: &Output) -> (Vec<String>, Vec<String>) {
    let mut changed: Vec<String> = new
        .iter()
        .filter(|(k, v)| old.get(*k).is_none_or(|o| !Arc::ptr_eq(o, v) && o != *v))
        .map(|(k, _)| k.clone())
        .collect();
    let mut removed: Vec<String> = old
        .keys()
        .filter(|k| !new.contains_key(*k))
        .cloned()
        .collect();
    changed.sort_unstable();
    removed.sort_unstable();
    (changed, removed)
}
