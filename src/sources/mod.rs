//! `verity sources`: the only part of Verity that goes on the network.
//!
//! - [`check`] follows every source's `url` and `archived` address and
//!   classifies each link (`ok`, `redirected`, `blocked`, `dead`,
//!   `transient`, see [`classify`]), checks each source's `quotes` against
//!   the page ([`quotes`]), keeps answers in a cache ([`cache`]) and, with
//!   `--record`, writes `checked: {date, state}` back ([`writeback`]).
//! - [`archive`] finds (or, with `--save`, makes) a Wayback Machine copy of
//!   each source that has none and, with `--write`, adds `archived:`.
//! - [`policy`] is the `require_archive` rule that `check` and `build`
//!   enforce offline, from the committed files only.
//!
//! Everything that waits goes through [`clock::Clock`] and everything that
//! talks HTTP through [`http::Transport`], so tests drive both.

pub mod archive;
pub mod cache;
pub mod check;
pub mod classify;
pub mod clock;
pub mod fetch;
pub mod http;
pub mod policy;
pub mod quotes;
pub mod report;
pub mod writeback;

use crate::config::SiteConfig;
use crate::content::{self, Source};
use crate::diagnostics::Diagnostics;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use writeback::Block;

/// One place a source is declared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declaration {
    /// The file, relative to the site root.
    pub file: String,
    /// The line where its mapping starts.
    pub line: usize,
    /// Which mapping of the file.
    pub block: Block,
}

/// A source with every place it is declared (a file, inline in briefs:
/// all declarations agree, so an edit goes to each of them).
#[derive(Debug, Clone)]
pub struct Record {
    /// The source as loaded.
    pub source: Source,
    /// Where it is declared, the source file first.
    pub declarations: Vec<Declaration>,
    /// Whether a brief body cites it.
    pub cited: bool,
}

/// Every source of a site.
#[derive(Debug)]
pub struct Inventory {
    /// The site's folder.
    pub root: PathBuf,
    /// The settings.
    pub config: SiteConfig,
    /// By id.
    pub sources: BTreeMap<String, Record>,
}

/// Loads and resolves the site at `root` (drafts included: their sources
/// are worth checking too) and lists its sources. Content errors stop here,
/// as they stop `build`; the `policy` rules do not (they are what
/// `verity sources archive` helps to meet).
pub fn inventory(root: &Path) -> crate::Result<Inventory> {
    let config = crate::config::load(root)?.map_err(crate::Error::Content)?;
    let loaded = content::load(
        root,
        &config,
        &mut content::Files::default(),
        &content::Changed::All,
    )?;
    let mut diagnostics: Diagnostics = loaded.diagnostics;
    let mut declared: BTreeMap<String, Vec<Declaration>> = BTreeMap::new();
    for s in &loaded.value.sources {
        let (file, line) = split_declared_at(&s.declared_at);
        declared.entry(s.id.clone()).or_default().push(Declaration {
            file,
            line,
            block: Block::File,
        });
    }
    for b in &loaded.value.briefs {
        for d in &b.sources {
            if let Some(s) = &d.inline {
                let (file, line) = split_declared_at(&s.declared_at);
                declared.entry(d.id.clone()).or_default().push(Declaration {
                    file,
                    line,
                    block: Block::Inline(d.id.clone()),
                });
            }
        }
    }
    let site = crate::resolve::resolve(
        loaded.value,
        config.clone(),
        true,
        &mut crate::resolve::Memo::default(),
    );
    diagnostics.extend(site.problems());
    if diagnostics.has_errors() {
        return Err(crate::Error::Content(diagnostics));
    }
    let cited: BTreeSet<&str> = site
        .briefs
        .iter()
        .flat_map(|b| b.cited.iter().map(|c| c.id.as_str()))
        .collect();
    let sources = site
        .sources
        .iter()
        .map(|(id, node)| {
            let record = Record {
                source: (*node.source).clone(),
                declarations: declared.remove(id).unwrap_or_default(),
                cited: cited.contains(id.as_str()),
            };
            (id.clone(), record)
        })
        .collect();
    Ok(Inventory {
        root: root.to_path_buf(),
        config,
        sources,
    })
}

/// `content/x.md:12` → (`content/x.md`, 12).
pub fn split_declared_at(at: &str) -> (String, usize) {
    match at.rsplit_once(':') {
        Some((file, line)) => (file.to_string(), line.parse().unwrap_or(1)),
        None => (at.to_string(), 1),
    }
}

impl Inventory {
    /// The records named by `only` (all when empty); an unknown id is a
    /// usage error, with a suggestion.
    pub fn select(&self, only: &[String]) -> Result<Vec<&Record>, String> {
        if only.is_empty() {
            return Ok(self.sources.values().collect());
        }
        let mut out = Vec::new();
        for id in only {
            match self.sources.get(id) {
                Some(r) => {
                    if !out.iter().any(|o: &&Record| o.source.id == *id) {
                        out.push(r);
                    }
                }
                None => {
                    let hint =
                        crate::diagnostics::suggest(id, self.sources.keys().map(String::as_str))
                            .map(|h| format!(" ({h})"))
                            .unwrap_or_default();
                    return Err(format!(
                        "--source {id}: the site has no source `{id}`{hint}"
                    ));
                }
            }
        }
        out.sort_by(|a, b| a.source.id.cmp(&b.source.id));
        Ok(out)
    }

    /// The line of `key` in the first declaration of `record` (the
    /// declaration's own line when the key is not found).
    pub fn key_location(&self, record: &Record, key: &str) -> (String, usize) {
        let Some(d) = record.declarations.first() else {
            return split_declared_at(&record.source.declared_at);
        };
        let line = std::fs::read_to_string(self.root.join(&d.file))
            .ok()
            .and_then(|text| writeback::key_line(&text, &d.block, key))
            .unwrap_or(d.line);
        (d.file.clone(), line)
    }

    /// Sets `key: value` in every declaration of `record`. Returns the
    /// files changed (`file:line` of the key); a file already holding the
    /// value is left untouched.
    pub fn write_key(
        &self,
        record: &Record,
        key: &str,
        value: &str,
    ) -> Result<Vec<String>, String> {
        let mut changed = Vec::new();
        for d in &record.declarations {
            let path = self.root.join(&d.file);
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("{}: cannot read: {e}", d.file))?;
            let edited = writeback::set_key(&text, &d.block, key, value)
                .map_err(|e| format!("{}:{}: {e}", d.file, d.line))?;
            if edited != text {
                writeback::replace_file(&path, &edited)
                    .map_err(|e| format!("{}: {e:#}", d.file))?;
                let line = writeback::key_line(&edited, &d.block, key).unwrap_or(d.line);
                changed.push(format!("{}:{line}", d.file));
            }
        }
        Ok(changed)
    }
}

/// The `User-Agent` of the checker: `site.yaml`'s `user_agent`, else one
/// naming Verity, its version, and the site.
pub fn user_agent(config: &SiteConfig) -> String {
    config.user_agent.clone().unwrap_or_else(|| {
        format!(
            "Verity/{} (source link check for {}; +{})",
            env!("CARGO_PKG_VERSION"),
            config.title,
            config.base_url
        )
    })
}
