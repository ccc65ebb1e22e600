//! LOAD: the files of a site → typed [`Content`].
//!
//! Takes the site root and its settings; returns every brief, source,
//! claimant and page that could be read, plus a diagnostic for every problem
//! in them (all files are read, in parallel, whatever fails). Each file is
//! validated on its own here; links between files are `resolve`'s job. This
//! stage knows nothing of HTML, Markdown rendering or templates.

pub mod brief;
pub mod claimant;
pub mod correction;
pub mod front_matter;
pub mod page;
pub mod source;

pub use brief::{Brief, Declared};
pub use claimant::Claimant;
pub use correction::Correction;
pub use page::Page;
pub use source::Source;

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::fields::{Doc, Fields};
use crate::{fs, slug, yaml};
use front_matter::SplitError;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Everything the site's files say, each file validated on its own.
#[derive(Debug, Clone, Default)]
pub struct Content {
    /// Briefs, in path order.
    pub briefs: Vec<Arc<Brief>>,
    /// The Markdown body of each brief, in the same order (kept apart, so
    /// the resolved site holds the briefs' fields without their text).
    pub bodies: Vec<Arc<str>>,
    /// Sources from `content/sources/`, in id order.
    pub sources: Vec<Arc<Source>>,
    /// Claimant profiles, in id order.
    pub claimants: Vec<Arc<Claimant>>,
    /// Free pages, in path order.
    pub pages: Vec<Arc<Page>>,
}

/// A value plus the problems found while making it.
#[derive(Debug)]
pub struct Loaded<T> {
    /// What could be made.
    pub value: T,
    /// What went wrong (possibly nothing).
    pub diagnostics: Diagnostics,
}

/// What one file turned into.
#[derive(Debug, Clone)]
enum Item {
    Brief(Arc<Brief>, Arc<str>),
    Source(Arc<Source>),
    Claimant(Arc<Claimant>),
    Page(Arc<Page>),
}

/// The kind of a content file, from the folder it is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// `content/briefs/**/*.md`.
    Brief,
    /// `content/sources/*.yaml`.
    Source,
    /// `content/claimants/*.yaml`.
    Claimant,
    /// `content/pages/**/*.md`.
    Page,
}

/// One file, parsed and validated on its own: a value that depends only on
/// the file's bytes, its path and the settings, so [`Files`] keeps it
/// while those are unchanged.
#[derive(Debug, Clone)]
pub struct Parsed {
    item: Option<Item>,
    problems: Vec<Diagnostic>,
}

/// The parsed files of a site, kept between runs by long-running commands:
/// (kind, path) → the hash of the file's bytes and what they parsed into.
/// A fresh one is empty, and loading through it reads every file.
#[derive(Default)]
pub struct Files {
    entries: BTreeMap<FileKey, (u128, Arc<Parsed>)>,
}

/// A content file: its kind and path.
type FileKey = (Kind, PathBuf);

impl Files {
    /// The brief parsed from `path` (absolute) and its body text, if the
    /// file holds a valid brief.
    pub fn brief(&self, path: &Path) -> Option<(Arc<Brief>, Arc<str>)> {
        match &self.entries.get(&(Kind::Brief, path.to_path_buf()))?.1.item {
            Some(Item::Brief(b, text)) => Some((b.clone(), text.clone())),
            _ => None,
        }
    }

    /// Forgets every file (after a change of settings, which every parse
    /// depends on).
    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

/// Which files may have changed since the last load through a [`Files`].
#[derive(Debug, Clone)]
pub enum Changed {
    /// Any of them: every file is read again (a parse is reused when the
    /// bytes are the same).
    All,
    /// Only these paths (files or folders, absolute, as the watcher reports
    /// them); every other file is taken as unchanged without being read.
    Paths(Vec<PathBuf>),
}

/// LOAD: reads the content files under `root/content` through `files`,
/// parsing only what changed; returns every file's content and problems.
pub fn load(
    root: &Path,
    config: &SiteConfig,
    files: &mut Files,
    changed: &Changed,
) -> anyhow::Result<Loaded<Content>> {
    let single = match changed {
        Changed::Paths(paths) => paths
            .iter()
            .map(|p| file_kind(root, p).map(|k| (k, p.clone())))
            .collect::<Option<Vec<_>>>()
            .filter(|list| list.iter().all(|(_, p)| !p.is_dir())),
        Changed::All => None,
    };
    let stale: Vec<(Kind, PathBuf)> = match single {
        // Edits of known kinds of files: no need to list the folders.
        Some(list) => {
            let exists = |p: &Path| std::fs::symlink_metadata(p).is_ok();
            for key in &list {
                if !exists(&key.1) {
                    files.entries.remove(key);
                }
            }
            list.into_iter().filter(|(_, p)| exists(p)).collect()
        }
        None => {
            let listed = list_files(root)?;
            let keep: std::collections::HashSet<&(Kind, PathBuf)> = listed.iter().collect();
            files.entries.retain(|k, _| keep.contains(k));
            listed
                .iter()
                .filter(|key| match changed {
                    Changed::All => true,
                    Changed::Paths(paths) => {
                        !files.entries.contains_key(*key)
                            || paths.iter().any(|p| key.1.starts_with(p))
                    }
                })
                .cloned()
                .collect()
        }
    };
    let previous = &files.entries;
    let fresh: Vec<(FileKey, (u128, Arc<Parsed>))> = stale
        .into_par_iter()
        .map(|(kind, path)| {
            let (hash, parsed) = read(root, kind, &path, config, |hash| {
                previous
                    .get(&(kind, path.clone()))
                    .filter(|(h, _)| *h == hash)
                    .map(|(_, p)| p.clone())
            });
            ((kind, path), (hash, parsed))
        })
        .collect();
    files.entries.extend(fresh);
    Ok(assemble(files.entries.values().map(|(_, p)| p.as_ref())))
}

/// The kind of the content file at `path`, if it is one by its folder and
/// extension (whether or not it exists).
fn file_kind(root: &Path, path: &Path) -> Option<Kind> {
    let rel = path.strip_prefix(root.join("content")).ok()?;
    let mut parts = rel.components();
    let dir = parts.next()?.as_os_str().to_str()?;
    let (kind, extensions) = FOLDERS
        .iter()
        .find(|(_, d, _)| *d == dir)
        .map(|(k, _, e)| (*k, *e))?;
    let name = path.file_name()?.to_str()?;
    let ext = path.extension()?.to_str()?;
    (parts.next().is_some() && listed(name) && extensions.contains(&ext)).then_some(kind)
}

/// The content folders: kind, folder under `content/`, extensions.
const FOLDERS: [(Kind, &str, &[&str]); 4] = [
    (Kind::Brief, "briefs", &["md"]),
    (Kind::Source, "sources", &["yaml", "yml"]),
    (Kind::Claimant, "claimants", &["yaml", "yml"]),
    (Kind::Page, "pages", &["md"]),
];

/// Every content file of the site with its kind, in the order `load` reads them.
fn list_files(root: &Path) -> anyhow::Result<Vec<(Kind, PathBuf)>> {
    let content = root.join("content");
    let mut files: Vec<(Kind, PathBuf)> = Vec::new();
    for (kind, dir, extensions) in FOLDERS {
        files.extend(
            list(&content.join(dir), extensions)?
                .into_iter()
                .map(|p| (kind, p)),
        );
    }
    Ok(files)
}

/// Gathers parsed files (in [`Files`] order) into the site's content.
fn assemble<'a>(parsed: impl IntoIterator<Item = &'a Parsed>) -> Loaded<Content> {
    let mut value = Content::default();
    let mut diagnostics = Diagnostics::new();
    for p in parsed {
        diagnostics.extend(p.problems.iter().cloned());
        match &p.item {
            Some(Item::Brief(b, body)) => {
                value.briefs.push(b.clone());
                value.bodies.push(body.clone());
            }
            Some(Item::Source(s)) => value.sources.push(s.clone()),
            Some(Item::Claimant(c)) => value.claimants.push(c.clone()),
            Some(Item::Page(p)) => value.pages.push(p.clone()),
            None => {}
        }
    }
    Loaded { value, diagnostics }
}

/// Whether a file name is one Verity reads: not hidden, not an editor's
/// temporary or backup file.
fn listed(name: &str) -> bool {
    !(name.starts_with('.') || name.starts_with('#') || name.ends_with('~'))
}

/// The files under `dir` with one of `extensions`, sorted, skipping hidden
/// files and editors' temporary files.
fn list(dir: &Path, extensions: &[&str]) -> anyhow::Result<Vec<PathBuf>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| anyhow::anyhow!("cannot list {}: {e}", dir.display()))?;
        let name = entry.file_name().to_string_lossy();
        if entry.path_is_symlink() && !name.starts_with('.') {
            // Reported by `load_file`: links are never followed.
            out.push(entry.into_path());
            continue;
        }
        if !entry.file_type().is_file() || !listed(&name) {
            continue;
        }
        let ext = entry
            .path()
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("");
        if extensions.contains(&ext) {
            out.push(entry.into_path());
        }
    }
    Ok(out)
}

/// Reads and parses one file; returns the hash of its bytes and the parse,
/// which is `reuse(hash)` when that gives one (the same bytes parsed
/// before). A symbolic link is never followed, and a file that cannot be
/// read is a diagnostic like any other problem.
fn read(
    root: &Path,
    kind: Kind,
    path: &Path,
    config: &SiteConfig,
    reuse: impl FnOnce(u128) -> Option<Arc<Parsed>>,
) -> (u128, Arc<Parsed>) {
    let problem = |message: String, help: &str| {
        let d = Diagnostic::error(&fs::relative(root, path), 1, 1, message).with_help(help);
        (
            0,
            Arc::new(Parsed {
                item: None,
                problems: vec![d],
            }),
        )
    };
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return problem(
            "this is a symbolic link; Verity does not follow links in content/".to_string(),
            "copy the file (or folder) into content/ instead of linking to it",
        );
    }
    match fs::read(path) {
        Ok(bytes) => {
            let hash = xxhash_rust::xxh3::xxh3_128(&bytes);
            let parsed =
                reuse(hash).unwrap_or_else(|| Arc::new(parse(root, kind, path, bytes, config)));
            (hash, parsed)
        }
        Err(e) => problem(
            format!("cannot read the file: {}", e.root_cause()),
            "check the file's permissions",
        ),
    }
}

/// Parses and validates one file of `kind` at `path` whose bytes are `bytes`.
fn parse(root: &Path, kind: Kind, path: &Path, bytes: Vec<u8>, config: &SiteConfig) -> Parsed {
    let file = fs::relative(root, path);
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("")
        .to_string();
    let text = match fs::decode_text(bytes) {
        Ok(text) => text,
        Err((line, col)) => {
            let d = Diagnostic::error(&file, line, col, "the file is not valid UTF-8")
                .with_help("save the file as UTF-8 in your editor");
            return Parsed {
                item: None,
                problems: vec![d],
            };
        }
    };
    let (item, problems) = match kind {
        Kind::Brief | Kind::Page => load_markdown(kind, &file, &stem, &text, config),
        Kind::Source | Kind::Claimant => load_yaml(kind, &file, &stem, &text),
    };
    Parsed { item, problems }
}

fn load_markdown(
    kind: Kind,
    file: &str,
    stem: &str,
    text: &str,
    config: &SiteConfig,
) -> (Option<Item>, Vec<Diagnostic>) {
    let split = match front_matter::split(text) {
        Ok(split) => split,
        Err(SplitError::Missing) => {
            let d = Diagnostic::error(file, 1, 1, "the file does not start with front matter")
                .with_help(
                    "start the file with a line `---`, the YAML keys, then another `---` line",
                );
            return (None, vec![d]);
        }
        Err(SplitError::Unclosed) => {
            let d = Diagnostic::error(file, 1, 1, "the front matter is never closed")
                .with_help("add a line `---` after the last key, before the Markdown body");
            return (None, vec![d]);
        }
    };
    let doc = Doc {
        file,
        first_line: split.front_line,
    };
    let value = match yaml::parse(split.front) {
        Ok(v) => v,
        Err(e) => {
            let d = Diagnostic::error(
                file,
                split.front_line + e.line - 1,
                e.col,
                format!("invalid YAML in the front matter: {}", e.message),
            );
            return (None, vec![d]);
        }
    };
    match kind {
        Kind::Brief => {
            let f = Fields::read(doc, value, brief::KEYS, "front matter");
            let (b, d) = brief::from_fields(f, stem, config, split.body_line);
            (b.map(|b| Item::Brief(Arc::new(b), split.body.into())), d)
        }
        _ => {
            let f = Fields::read(doc, value, page::KEYS, "front matter");
            let (p, d) = page::from_fields(f, stem, split.body, split.body_line);
            (p.map(|p| Item::Page(Arc::new(p))), d)
        }
    }
}

fn load_yaml(kind: Kind, file: &str, stem: &str, text: &str) -> (Option<Item>, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    if !slug::is_valid(stem) {
        problems.push(
            Diagnostic::error(file, 1, 1, format!("the id `{stem}` (the file name) must be lowercase letters, digits and single dashes"))
                .with_help(format!("rename the file to `{}.yaml`", slug::slugify(stem))),
        );
    }
    let doc = Doc {
        file,
        first_line: 1,
    };
    let value = match yaml::parse(text) {
        Ok(v) => v,
        Err(e) => {
            problems.push(Diagnostic::error(
                file,
                e.line,
                e.col,
                format!("invalid YAML: {}", e.message),
            ));
            return (None, problems);
        }
    };
    let item = match kind {
        Kind::Source => {
            let mut f = Fields::read(doc, value, source::KEYS, "source");
            let s = source::from_fields(&mut f, stem, format!("{file}:1"));
            problems.append(&mut f.diagnostics);
            s.map(|s| Item::Source(Arc::new(s)))
        }
        _ => {
            let mut f = Fields::read(doc, value, claimant::KEYS, "claimant");
            let c = claimant::from_fields(&mut f, stem);
            problems.append(&mut f.diagnostics);
            c.map(|c| Item::Claimant(Arc::new(c)))
        }
    };
    let ok = !problems
        .iter()
        .any(|d| d.severity == crate::diagnostics::Severity::Error);
    (item.filter(|_| ok), problems)
}
