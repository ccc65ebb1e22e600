//! The URL table: the one place where the path of every output is formed.
//!
//! A path is what follows the site's root in a URL (`briefs/x/` under
//! `/desk/` is `/desk/briefs/x/`); [`file()`] turns it into the file it is
//! written to. Resolve uses these functions to make link targets before the
//! site exists; the render stage's routes use them for every page and file.
//! Nothing else in Verity spells a route.

/// `/` (page 1) and `/page/N/`.
pub fn home(n: usize) -> String {
    if n <= 1 {
        String::new()
    } else {
        format!("page/{n}/")
    }
}

/// A brief's page.
pub fn brief(slug: &str) -> String {
    format!("briefs/{slug}/")
}

/// A brief's share card (a 1200×630 PNG).
pub fn card(slug: &str) -> String {
    format!("{}card.png", brief(slug))
}

/// A brief's embeddable verdict: a small standalone page for `<iframe>`s.
pub fn embed(slug: &str) -> String {
    format!("{}embed/", brief(slug))
}

/// A brief's oEmbed response (oEmbed 1.0, type `rich`).
pub fn oembed(slug: &str) -> String {
    format!("{}oembed.json", brief(slug))
}

/// Every published brief as JSON (the open data export).
pub const EXPORT_JSON: &str = "api/briefs.json";

/// The same briefs as CSV, one row each.
pub const EXPORT_CSV: &str = "api/briefs.csv";

/// The JSON Schema of [`EXPORT_JSON`].
pub const EXPORT_SCHEMA: &str = "api/schema.json";

/// The list of sources.
pub const SOURCES: &str = "sources/";

/// A source's page.
pub fn source(id: &str) -> String {
    format!("sources/{id}/")
}

/// The list of claimants.
pub const CLAIMANTS: &str = "claimants/";

/// A claimant's page.
pub fn claimant(id: &str) -> String {
    format!("claimants/{id}/")
}

/// The list of tags.
pub const TAGS: &str = "tags/";

/// A tag's page.
pub fn tag(slug: &str) -> String {
    format!("tags/{slug}/")
}

/// The verdict scale.
pub const VERDICTS: &str = "verdicts/";

/// A verdict's page.
pub fn verdict(key: &str) -> String {
    format!("verdicts/{key}/")
}

/// A free page.
pub fn page(slug: &str) -> String {
    format!("{slug}/")
}

/// The page for unknown URLs (static hosts serve it by this name).
pub const NOT_FOUND: &str = "404.html";

/// The search page; its index files live below it.
pub const SEARCH: &str = "search/";

/// One file of the search index, by its name inside the search folder.
pub fn search_file(name: &str) -> String {
    format!("{SEARCH}{name}")
}

/// Which briefs an Atom feed holds.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    /// Every published brief.
    Site,
    /// One claimant's.
    Claimant(String),
    /// One tag's.
    Tag(String),
}

impl Scope {
    /// The page a feed belongs to.
    pub fn page(&self) -> String {
        match self {
            Scope::Site => home(1),
            Scope::Claimant(id) => claimant(id),
            Scope::Tag(slug) => tag(slug),
        }
    }
}

/// An Atom feed.
pub fn feed(scope: &Scope) -> String {
    format!("{}feed.xml", scope.page())
}

/// Every correction of the site, newest first.
pub const CORRECTIONS: &str = "corrections/";

/// The Atom feed of corrections.
pub const CORRECTIONS_FEED: &str = "corrections/feed.xml";

/// One correction on its brief's page: `n` counts from 1 in the brief's log.
pub fn correction(slug: &str, n: usize) -> String {
    format!("{}#correction-{n}", brief(slug))
}

/// The sitemap.
pub const SITEMAP: &str = "sitemap.xml";

/// Instructions for crawlers.
pub const ROBOTS: &str = "robots.txt";

/// Every brief's ClaimReview as one schema.org DataFeed.
pub const CLAIMREVIEW_FEED: &str = "claimreview.json";

/// The file a path is written to: a folder's `index.html`, else the path.
pub fn file(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_files() {
        assert_eq!(file(&home(1)), "index.html");
        assert_eq!(file(&home(3)), "page/3/index.html");
        assert_eq!(file(&brief("a-b")), "briefs/a-b/index.html");
        assert_eq!(feed(&Scope::Site), "feed.xml");
        assert_eq!(feed(&Scope::Tag("x".into())), "tags/x/feed.xml");
        assert_eq!(file(NOT_FOUND), "404.html");
        assert_eq!(search_file("t/0.json"), "search/t/0.json");
        assert_eq!(file(&card("a")), "briefs/a/card.png");
        assert_eq!(file(&embed("a")), "briefs/a/embed/index.html");
        assert_eq!(file(&oembed("a")), "briefs/a/oembed.json");
    }
}
