//! [`Site`]: the resolved, immutable model that the render stage reads.
//! Every cross-reference is an index or an id that is known to exist, and
//! every brief body is already rendered: rendering a page reads no file.

use super::targets::Targets;
use crate::config::SiteConfig;
use crate::content::{Brief, Claimant, Page, Source};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::Cited;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The whole site, resolved. Briefs are newest first. Its parts are shared
/// (`Arc`), so a copy that changes a few briefs costs little.
#[derive(Debug, Clone)]
pub struct Site {
    /// The settings.
    pub config: Arc<SiteConfig>,
    /// Published briefs (and drafts, when asked for), newest first.
    pub briefs: Vec<Arc<BriefNode>>,
    /// Every source, from files and inline declarations, by id.
    pub sources: Arc<BTreeMap<String, SourceNode>>,
    /// Every claimant, with or without a profile, by id.
    pub claimants: Arc<BTreeMap<String, ClaimantNode>>,
    /// Tags by slug.
    pub tags: Arc<BTreeMap<String, TagNode>>,
    /// Brief indices per verdict key, in scale order.
    pub verdicts: Arc<Vec<(String, Vec<usize>)>>,
    /// Free pages, by path.
    pub pages: Arc<Vec<PageNode>>,
    /// Everything a body can link to.
    pub targets: Arc<Targets>,
    /// Problems in how the files link together (each body's own are in
    /// its node).
    pub problems: Arc<Diagnostics>,
}

/// A rendered Markdown body: made once per build (and once per edit of it
/// in a long-running session), then read by every output that shows it.
#[derive(Debug, Default)]
pub struct Body {
    /// The HTML.
    pub html: String,
    /// A fingerprint of the HTML (the text follows from it).
    pub hash: u128,
}

impl Body {
    /// The body of rendered `html`.
    pub fn new(mut html: String) -> Body {
        // Held for as long as the site: no spare capacity.
        html.shrink_to_fit();
        Body {
            hash: xxhash_rust::xxh3::xxh3_128(html.as_bytes()),
            html,
        }
    }

    /// Its text, folded for search (tags, citation marks and scripts left
    /// out). Only the search index asks, once per brief when it is made (and
    /// once more for a brief saved in `watch`), so it is made from the HTML
    /// then rather than held by every body: `check` never makes it, and a
    /// long-running session does not keep it.
    pub fn search_text(&self) -> String {
        let text = crate::markdown::text::html_text(&self.html);
        crate::markdown::text::fold(&text)
    }
}

/// A brief with everything it links to.
#[derive(Debug, Clone)]
pub struct BriefNode {
    /// What the file says.
    pub brief: Arc<Brief>,
    /// URL path (with the base path), e.g. `/briefs/slug/`.
    pub url: String,
    /// The claimant's id.
    pub claimant: String,
    /// Tag slugs, in the order written, without duplicates.
    pub tags: Vec<String>,
    /// The rendered body.
    pub body: Arc<Body>,
    /// Cited sources in reference-number order.
    pub cited: Vec<Cited>,
    /// Declared sources that the body never cites.
    pub uncited: Vec<String>,
    /// Related briefs (indices), explicit ones first.
    pub related: Vec<usize>,
    /// Problems of its body: bad citations and links, uncited sources.
    pub problems: Vec<Diagnostic>,
}

/// A source and the briefs relying on it.
#[derive(Debug, Clone)]
pub struct SourceNode {
    /// The source.
    pub source: Arc<Source>,
    /// URL path of its page.
    pub url: String,
    /// Briefs declaring it, newest first (indices).
    pub briefs: Vec<usize>,
}

/// A claimant, with a profile or not.
#[derive(Debug, Clone)]
pub struct ClaimantNode {
    /// The profile, or a bare one made from the name.
    pub claimant: Arc<Claimant>,
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
    pub page: Arc<Page>,
    /// URL path.
    pub url: String,
    /// The rendered body.
    pub body: Arc<Body>,
    /// Problems of its body.
    pub problems: Vec<Diagnostic>,
}

impl Site {
    /// Every problem found resolving the site.
    pub fn problems(&self) -> Diagnostics {
        let mut all = (*self.problems).clone();
        for n in &self.briefs {
            all.extend(n.problems.iter().cloned());
        }
        for p in self.pages.iter() {
            all.extend(p.problems.iter().cloned());
        }
        all
    }

    /// The URL path of `path` under the site (`briefs/x/` → `/desk/briefs/x/`).
    pub fn url(&self, path: &str) -> String {
        self.config.url(path)
    }

    /// The absolute URL of a URL path made by [`Site::url`].
    pub fn permalink(&self, url: &str) -> String {
        self.config.permalink(url)
    }

    /// The claimant's name of a brief, as readers see it.
    pub fn claimant_name<'a>(&'a self, node: &'a BriefNode) -> &'a str {
        self.claimants
            .get(&node.claimant)
            .map_or(node.brief.claimant.as_str(), |c| c.claimant.name.as_str())
    }

    /// The verdict's label of a brief, as readers see it.
    pub fn verdict_label<'a>(&'a self, node: &'a BriefNode) -> &'a str {
        let key = &node.brief.verdict;
        self.config
            .verdict(key)
            .map_or(key.as_str(), |v| v.label.as_str())
    }
}
