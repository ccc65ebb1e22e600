//! [`Site`]: the resolved, immutable model that the render stage reads.
//! Every cross-reference is an index or an id that is known to exist.

use crate::config::SiteConfig;
use crate::content::{Brief, Claimant, Page, Source};
use crate::markdown::Cited;
use std::collections::BTreeMap;

/// The whole site, resolved. Briefs are newest first.
#[derive(Debug)]
pub struct Site {
    /// The settings.
    pub config: SiteConfig,
    /// Published briefs (and drafts, when asked for), newest first.
    pub briefs: Vec<BriefNode>,
    /// Every source, from files and inline declarations, by id.
    pub sources: BTreeMap<String, SourceNode>,
    /// Every claimant, with or without a profile, by id.
    pub claimants: BTreeMap<String, ClaimantNode>,
    /// Tags by slug.
    pub tags: BTreeMap<String, TagNode>,
    /// Brief indices per verdict key, in scale order.
    pub verdicts: Vec<(String, Vec<usize>)>,
    /// Free pages, by path.
    pub pages: Vec<PageNode>,
    /// Every link target, for rendering bodies.
    pub targets: super::targets::Targets,
}

/// A brief with everything it links to.
#[derive(Debug, Clone)]
pub struct BriefNode {
    /// What the file says.
    pub brief: Brief,
    /// URL path (with the base path), e.g. `/briefs/slug/`.
    pub url: String,
    /// The claimant's id.
    pub claimant: String,
    /// Tag slugs, in the order written, without duplicates.
    pub tags: Vec<String>,
    /// The body's HTML when the resolver kept it (the preview server's
    /// memo does); `None` after a plain build, which renders it on demand.
    pub html: Option<String>,
    /// Cited sources in reference-number order.
    pub cited: Vec<Cited>,
    /// Declared sources that the body never cites.
    pub uncited: Vec<String>,
    /// Related briefs (indices), explicit ones first.
    pub related: Vec<usize>,
}

/// A source and the briefs relying on it.
#[derive(Debug, Clone)]
pub struct SourceNode {
    /// The source.
    pub source: Source,
    /// URL path of its page.
    pub url: String,
    /// Briefs declaring it, newest first (indices).
    pub briefs: Vec<usize>,
}

/// A claimant, with a profile or not.
#[derive(Debug, Clone)]
pub struct ClaimantNode {
    /// The profile, or a bare one made from the name.
    pub claimant: Claimant,
    /// URL path of its page.
    pub url: String,
    /// Their briefs, newest first (indices).
    pub briefs: Vec<usize>,
}

/// A tag.
#[derive(Debug, Clone)]
pub struct TagNode {
    /// The name as first written.
    pub name: String,
    /// URL path of its page.
    pub url: String,
    /// Briefs with the tag, newest first (indices).
    pub briefs: Vec<usize>,
}

/// A free page, rendered.
#[derive(Debug, Clone)]
pub struct PageNode {
    /// What the file says.
    pub page: Page,
    /// URL path.
    pub url: String,
    /// The body as HTML.
    pub html: String,
}

impl Site {
    /// The URL path of `path` under the site (`briefs/x/` → `/desk/briefs/x/`).
    pub fn url(&self, path: &str) -> String {
        url_for(&self.config, path)
    }

    /// The body of brief `i` as HTML. Made on demand: `resolve` checked every
    /// body without keeping its HTML, so the site never holds all of it.
    pub fn brief_html(&self, i: usize) -> anyhow::Result<String> {
        if let Some(html) = &self.briefs[i].html {
            return Ok(html.clone());
        }
        let b = &self.briefs[i].brief;
        let body = b.body.read()?;
        let declared: Vec<&str> = b.sources.iter().map(|d| d.id.as_str()).collect();
        let input = crate::markdown::Input {
            body: &body,
            file: &b.file,
            first_line: b.body_line,
            declared: Some(&declared),
            safe: self.config.safe,
        };
        Ok(crate::markdown::render(input, &self.targets).html)
    }

    /// The absolute URL of a URL path made by [`Site::url`].
    pub fn permalink(&self, url: &str) -> String {
        permalink_for(&self.config, url)
    }
}

/// The URL path of `path` under the site.
pub fn url_for(config: &SiteConfig, path: &str) -> String {
    format!("{}{}", config.root, path)
}

/// The absolute URL of a URL path.
pub fn permalink_for(config: &SiteConfig, url: &str) -> String {
    let rest = url
        .strip_prefix(&config.root)
        .unwrap_or(url.trim_start_matches('/'));
    format!("{}/{}", config.base_url, rest)
}
