//! The URL table of SPEC §6: every page of a site, the file it is written
//! to, and the template that renders it.

use super::feeds::{self, Scope};
use crate::resolve::Site;

/// One page of the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// `/` (page 1) and `/page/N/`.
    Home(usize),
    /// `/briefs/<slug>/`, by brief index.
    Brief(usize),
    /// `/sources/`.
    Sources,
    /// `/sources/<id>/`.
    Source(String),
    /// `/claimants/`.
    Claimants,
    /// `/claimants/<id>/`.
    Claimant(String),
    /// `/tags/`.
    Tags,
    /// `/tags/<slug>/`.
    Tag(String),
    /// `/verdicts/`.
    Verdicts,
    /// `/verdicts/<key>/`, by index in the scale.
    Verdict(usize),
    /// `/<slug>/`, by page index.
    Page(usize),
    /// `/404.html`.
    NotFound,
    /// An Atom feed.
    Feed(Scope),
    /// `/search/`: the search page (its index is written by `search`).
    Search,
}

/// Every route of the site, in a fixed order.
pub fn all(site: &Site) -> Vec<Route> {
    let mut routes = Vec::with_capacity(site.briefs.len() * 2);
    routes.extend((1..=home_pages(site)).map(Route::Home));
    routes.extend((0..site.briefs.len()).map(Route::Brief));
    routes.push(Route::Sources);
    routes.extend(site.sources.keys().cloned().map(Route::Source));
    routes.push(Route::Claimants);
    routes.extend(site.claimants.keys().cloned().map(Route::Claimant));
    routes.push(Route::Tags);
    routes.extend(site.tags.keys().cloned().map(Route::Tag));
    routes.push(Route::Verdicts);
    routes.extend((0..site.config.verdicts.len()).map(Route::Verdict));
    routes.extend((0..site.pages.len()).map(Route::Page));
    routes.push(Route::NotFound);
    routes.push(Route::Search);
    routes.push(Route::Feed(Scope::Site));
    routes.extend(
        site.claimants
            .keys()
            .cloned()
            .map(|id| Route::Feed(Scope::Claimant(id))),
    );
    routes.extend(
        site.tags
            .keys()
            .cloned()
            .map(|slug| Route::Feed(Scope::Tag(slug))),
    );
    routes
}

/// Number of home pages (at least one, even for a site with no briefs).
pub fn home_pages(site: &Site) -> usize {
    site.briefs.len().div_ceil(site.config.per_page).max(1)
}

/// The path of home page `n` under the site (`""` or `page/N/`).
pub fn home_path(n: usize) -> String {
    if n <= 1 {
        String::new()
    } else {
        format!("page/{n}/")
    }
}

impl Route {
    /// The path under the site (what follows the base path in a URL).
    pub fn path(&self, site: &Site) -> String {
        match self {
            Route::Home(n) => home_path(*n),
            Route::Brief(i) => format!("briefs/{}/", site.briefs[*i].brief.slug),
            Route::Sources => "sources/".into(),
            Route::Source(id) => format!("sources/{id}/"),
            Route::Claimants => "claimants/".into(),
            Route::Claimant(id) => format!("claimants/{id}/"),
            Route::Tags => "tags/".into(),
            Route::Tag(slug) => format!("tags/{slug}/"),
            Route::Verdicts => "verdicts/".into(),
            Route::Verdict(i) => format!("verdicts/{}/", site.config.verdicts[*i].key),
            Route::Page(i) => format!("{}/", site.pages[*i].page.slug),
            Route::NotFound => "404.html".into(),
            Route::Feed(scope) => feeds::path(scope),
            Route::Search => super::search::DIR.into(),
        }
    }

    /// The file the page is written to, relative to the output folder.
    pub fn file(&self, site: &Site) -> String {
        let path = self.path(site);
        if path.is_empty() || path.ends_with('/') {
            format!("{path}index.html")
        } else {
            path
        }
    }

    /// The template that renders it.
    pub fn template(&self) -> &'static str {
        match self {
            Route::Home(_) => "index.html",
            Route::Brief(_) => "brief.html",
            Route::Sources => "sources.html",
            Route::Source(_) => "source.html",
            Route::Claimants => "claimants.html",
            Route::Claimant(_) => "claimant.html",
            Route::Tags => "tags.html",
            Route::Tag(_) => "tag.html",
            Route::Verdicts => "verdicts.html",
            Route::Verdict(_) => "verdict.html",
            Route::Page(_) => "page.html",
            Route::NotFound => "404.html",
            Route::Feed(_) => "feed.xml",
            Route::Search => "search.html",
        }
    }
}
