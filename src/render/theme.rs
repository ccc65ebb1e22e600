//! The theme: the built-in templates embedded in the binary, overridden
//! file by file by the site's own `templates/` folder, compiled once into a
//! [`tera::Tera`]; plus the theme's assets (the stylesheet).

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::fs;
use std::collections::BTreeMap;
use std::path::Path;

/// Every built-in template, by name (its path under `templates/`).
pub const BUILTIN: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("brief.html", include_str!("../../templates/brief.html")),
    ("sources.html", include_str!("../../templates/sources.html")),
    ("source.html", include_str!("../../templates/source.html")),
    (
        "claimants.html",
        include_str!("../../templates/claimants.html"),
    ),
    (
        "claimant.html",
        include_str!("../../templates/claimant.html"),
    ),
    ("tags.html", include_str!("../../templates/tags.html")),
    ("tag.html", include_str!("../../templates/tag.html")),
    (
        "verdicts.html",
        include_str!("../../templates/verdicts.html"),
    ),
    ("verdict.html", include_str!("../../templates/verdict.html")),
    ("page.html", include_str!("../../templates/page.html")),
    ("404.html", include_str!("../../templates/404.html")),
    (
        "corrections.html",
        include_str!("../../templates/corrections.html"),
    ),
    (
        "corrections.xml",
        include_str!("../../templates/corrections.xml"),
    ),
    ("search.html", include_str!("../../templates/search.html")),
    ("feed.xml", include_str!("../../templates/feed.xml")),
    ("embed.html", include_str!("../../templates/embed.html")),
    ("card.svg", include_str!("../../templates/card.svg")),
    (
        "partials/brief-list.html",
        include_str!("../../templates/partials/brief-list.html"),
    ),
    (
        "partials/verdict-badge.html",
        include_str!("../../templates/partials/verdict-badge.html"),
    ),
    (
        "partials/source-cite.html",
        include_str!("../../templates/partials/source-cite.html"),
    ),
];

/// Built-in assets written into every site's output unless its `static/`
/// folder has a file of the same name.
pub const ASSETS: &[(&str, &str)] = &[
    ("verity.css", include_str!("../../static/verity.css")),
    (
        "search/search.js",
        include_str!("../../static/search/search.js"),
    ),
];

/// The compiled templates and where each came from.
pub struct Theme {
    /// The compiled templates.
    pub tera: tera::Tera,
    /// Template name → the file to name in messages.
    origins: BTreeMap<String, String>,
    /// A fingerprint of every template's name and text: a page depends on
    /// its template and on whatever that extends, includes or imports, so a
    /// change to any template counts as a change to every page's template.
    pub fingerprint: u128,
    /// A fingerprint of the `.svg` templates alone: what share cards are
    /// made from (part of each card's cache key).
    pub svg_fingerprint: u128,
}

impl Theme {
    /// Compiles the built-in templates with the overrides from
    /// `root/templates/`. Template syntax errors are diagnostics.
    pub fn load(root: &Path) -> crate::error::Result<Theme> {
        let mut sources: BTreeMap<String, (String, String)> = BUILTIN
            .iter()
            .map(|(name, text)| {
                (
                    name.to_string(),
                    (text.to_string(), format!("templates/{name} (built-in)")),
                )
            })
            .collect();
        let dir = root.join("templates");
        if dir.is_dir() {
            for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
                let entry =
                    entry.map_err(|e| anyhow::anyhow!("cannot list {}: {e}", dir.display()))?;
                let name = fs::relative(&dir, entry.path());
                let is_template = ["html", "xml", "txt", "json", "svg"]
                    .iter()
                    .any(|ext| name.ends_with(&format!(".{ext}")));
                if entry.file_type().is_file() && is_template && !name.starts_with('.') {
                    let text = fs::read_text(entry.path())?;
                    sources.insert(name.clone(), (text, format!("templates/{name}")));
                }
            }
        }
        let mut tera = tera::Tera::new();
        // SVG is XML: its text is escaped like HTML's.
        tera.autoescape_on([".html", ".htm", ".xml", ".svg"]);
        let origins: BTreeMap<String, String> = sources
            .iter()
            .map(|(n, (_, o))| (n.clone(), o.clone()))
            .collect();
        let result = tera.add_raw_templates(
            sources
                .iter()
                .map(|(name, (text, _))| (name.as_str(), text.as_str())),
        );
        let mut hash = xxhash_rust::xxh3::Xxh3::new();
        let mut svg = xxhash_rust::xxh3::Xxh3::new();
        for (name, (text, _)) in &sources {
            for s in [name, text] {
                hash.update(&(s.len() as u64).to_le_bytes());
                hash.update(s.as_bytes());
                if name.ends_with(".svg") {
                    svg.update(&(s.len() as u64).to_le_bytes());
                    svg.update(s.as_bytes());
                }
            }
        }
        let theme = Theme {
            tera,
            origins,
            fingerprint: hash.digest128(),
            svg_fingerprint: svg.digest128(),
        };
        match result {
            Ok(()) => Ok(theme),
            Err(e) => {
                let mut d = Diagnostics::new();
                d.push(theme.diagnostic(&e, None));
                Err(crate::error::Error::Content(d))
            }
        }
    }

    /// The file to name in messages about template `name`.
    pub fn origin(&self, name: &str) -> String {
        self.origins
            .get(name)
            .cloned()
            .unwrap_or_else(|| format!("templates/{name}"))
    }

    /// A diagnostic for a Tera error, at the template's line and column;
    /// `page` names the page being rendered, if any.
    pub fn diagnostic(&self, error: &tera::Error, page: Option<&str>) -> Diagnostic {
        let prefix = page
            .map(|p| format!("while rendering {p}: "))
            .unwrap_or_default();
        let origin = |name: &str| self.origin(name);
        match error.kind() {
            tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
                let span = r.span();
                Diagnostic::error(
                    &origin(r.filename()),
                    span.start_line,
                    span.start_col + 1,
                    format!("{prefix}{}", r.message()),
                )
            }
            tera::ErrorKind::CircularExtend {
                tpl,
                inheritance_chain,
            } => Diagnostic::error(
                &origin(tpl),
                1,
                1,
                format!(
                    "{prefix}templates extend each other in a circle: {}",
                    inheritance_chain.join(" → ")
                ),
            ),
            tera::ErrorKind::CircularInclude { tpl, include_chain } => Diagnostic::error(
                &origin(tpl),
                1,
                1,
                format!(
                    "{prefix}templates include each other in a circle: {}",
                    include_chain.join(" → ")
                ),
            ),
            tera::ErrorKind::MissingParent { current, parent } => Diagnostic::error(
                &origin(current),
                1,
                1,
                format!("{prefix}extends `{parent}`, which does not exist"),
            ),
            _ => Diagnostic::error("templates", 1, 1, format!("{prefix}{error}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every file of the built-in theme is embedded, and nothing else.
    #[test]
    fn every_template_file_is_embedded() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut on_disk: Vec<String> = walkdir::WalkDir::new(&dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| {
                e.file_type().is_file()
                    && e.path()
                        .extension()
                        .is_some_and(|x| x == "html" || x == "xml" || x == "svg")
            })
            .map(|e| fs::relative(&dir, e.path()))
            .collect();
        on_disk.sort();
        let mut embedded: Vec<String> = BUILTIN.iter().map(|(n, _)| n.to_string()).collect();
        embedded.sort();
        assert_eq!(on_disk, embedded);
    }
}
