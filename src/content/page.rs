//! A free page (about, methodology …): `content/pages/**/*.md`.

use crate::diagnostics::Diagnostic;
use crate::fields::Fields;

/// The front-matter keys of a page.
pub const KEYS: &[&str] = &["title", "slug", "description", "draft"];

/// Top-level URL segments that Verity itself uses; a page may not take one.
pub const RESERVED: &[&str] = &[
    "briefs",
    "sources",
    "claimants",
    "tags",
    "verdicts",
    "page",
    "search",
    "corrections",
    "feed.xml",
    "sitemap.xml",
    "robots.txt",
    "404.html",
    "claimreview.json",
    "verity.css",
];

/// One free page.
#[derive(Debug, Clone)]
pub struct Page {
    /// Path relative to the site root.
    pub file: String,
    /// URL segment: `/<slug>/`.
    pub slug: String,
    /// Heading and `<title>`.
    pub title: String,
    /// One-line description.
    pub description: Option<String>,
    /// Whether it is a draft.
    pub draft: bool,
    /// Markdown body.
    pub body: std::sync::Arc<str>,
    /// File line where the body starts.
    pub body_line: usize,
}

/// Validates a page's front matter; `stem` is the file stem.
pub fn from_fields(
    mut f: Fields<'_>,
    stem: &str,
    body: &str,
    body_line: usize,
) -> (Option<Page>, Vec<Diagnostic>) {
    let file = f.doc().file;
    let title = f.text("title", true);
    let description = f.text("description", false);
    let draft = f.flag("draft");
    let slug = f.slug(stem);
    if RESERVED.contains(&slug.as_str()) {
        let d = f
            .error_at(
                "slug",
                format!("the page slug `{slug}` is taken by Verity's own pages"),
            )
            .with_help("set another `slug:` in the front matter");
        f.push(d);
    }
    let page = title.map(|title| Page {
        file: file.to_string(),
        slug,
        title,
        description,
        draft,
        body: body.into(),
        body_line,
    });
    (page, f.diagnostics)
}
