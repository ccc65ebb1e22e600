//! Every output of a site: the pages of SPEC §6, the machine-readable files
//! beside them, and the theme's assets. A route knows its path (through
//! [`crate::urls`], the one URL table) and its template; what it shows is
//! its view (`views`), made and rendered by the module root.

use super::theme;
use crate::resolve::Site;
use crate::urls::{self, Scope};

/// One output of the site.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
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
    /// `/corrections/`: every correction, newest first.
    Corrections,
    /// `/corrections/feed.xml`: the same as an Atom feed.
    CorrectionsFeed,
    /// `/search/`: the search page.
    Search,
    /// An Atom feed.
    Feed(Scope),
    /// `/sitemap.xml`.
    Sitemap,
    /// `/robots.txt`.
    Robots,
    /// `/claimreview.json`.
    ClaimReviews,
    /// The files of the search index under `/search/` (one route: they are
    /// made together).
    SearchIndex,
    /// A theme asset (stylesheet, search script), by name.
    Asset(&'static str),
    /// `/_headers`: HTTP headers for static hosts ([`crate::headers`]).
    Headers,
    /// `/briefs/<slug>/card.png`: the share card, by brief index.
    Card(usize),
    /// `/briefs/<slug>/embed/`: the embeddable verdict, by brief index.
    Embed(usize),
    /// `/briefs/<slug>/oembed.json`: the oEmbed response, by brief index.
    OEmbed(usize),
    /// `/api/briefs.json`: every published brief as data.
    ExportJson,
    /// `/api/briefs.csv`: the same, one row per brief.
    ExportCsv,
    /// `/api/schema.json`: the JSON Schema of `/api/briefs.json`.
    ExportSchema,
}

/// Every route of the site, in a fixed order.
pub fn all(site: &Site) -> Vec<Route> {
    let mut routes = Vec::with_capacity(site.briefs.len() * 2);
    routes.extend((1..=home_pages(site)).map(Route::Home));
    routes.extend((0..site.briefs.len()).map(Route::Brief));
    if site.config.cards {
        routes.extend((0..site.briefs.len()).map(Route::Card));
    }
    routes.extend((0..site.briefs.len()).map(Route::Embed));
    routes.extend((0..site.briefs.len()).map(Route::OEmbed));
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
    routes.push(Route::Corrections);
    routes.push(Route::CorrectionsFeed);
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
    routes.push(Route::Sitemap);
    routes.push(Route::Robots);
    routes.push(Route::ClaimReviews);
    routes.push(Route::SearchIndex);
    routes.extend([Route::ExportJson, Route::ExportCsv, Route::ExportSchema]);
    routes.extend(theme::ASSETS.iter().map(|(name, _)| Route::Asset(name)));
    if site.config.headers {
        routes.push(Route::Headers);
    }
    routes
}

/// Number of home pages (at least one, even for a site with no briefs).
pub fn home_pages(site: &Site) -> usize {
    site.briefs.len().div_ceil(site.config.per_page).max(1)
}

impl Route {
    /// The path under the site (what follows the base path in a URL); the
    /// search index's folder for [`Route::SearchIndex`].
    pub fn path(&self, site: &Site) -> String {
        match self {
            Route::Home(n) => urls::home(*n),
            Route::Brief(i) => urls::brief(&site.briefs[*i].brief.slug),
            Route::Sources => urls::SOURCES.into(),
            Route::Source(id) => urls::source(id),
            Route::Claimants => urls::CLAIMANTS.into(),
            Route::Claimant(id) => urls::claimant(id),
            Route::Tags => urls::TAGS.into(),
            Route::Tag(slug) => urls::tag(slug),
            Route::Verdicts => urls::VERDICTS.into(),
            Route::Verdict(i) => urls::verdict(&site.config.verdicts[*i].key),
            Route::Page(i) => urls::page(&site.pages[*i].page.slug),
            Route::NotFound => urls::NOT_FOUND.into(),
            Route::Corrections => urls::CORRECTIONS.into(),
            Route::CorrectionsFeed => urls::CORRECTIONS_FEED.into(),
            Route::Search | Route::SearchIndex => urls::SEARCH.into(),
            Route::Feed(scope) => urls::feed(scope),
            Route::Sitemap => urls::SITEMAP.into(),
            Route::Robots => urls::ROBOTS.into(),
            Route::ClaimReviews => urls::CLAIMREVIEW_FEED.into(),
            Route::Asset(name) => (*name).into(),
            Route::Headers => crate::headers::FILE.into(),
            Route::Card(i) => urls::card(&site.briefs[*i].brief.slug),
            Route::Embed(i) => urls::embed(&site.briefs[*i].brief.slug),
            Route::OEmbed(i) => urls::oembed(&site.briefs[*i].brief.slug),
            Route::ExportJson => urls::EXPORT_JSON.into(),
            Route::ExportCsv => urls::EXPORT_CSV.into(),
            Route::ExportSchema => urls::EXPORT_SCHEMA.into(),
        }
    }

    /// The file it is written to, relative to the output folder (`None` for
    /// the search index, which is many files).
    pub fn file(&self, site: &Site) -> Option<String> {
        (*self != Route::SearchIndex).then(|| urls::file(&self.path(site)))
    }

    /// The template that renders it, if a template does.
    pub fn template(&self) -> Option<&'static str> {
        Some(match self {
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
            Route::Corrections => "corrections.html",
            Route::CorrectionsFeed => "corrections.xml",
            Route::Feed(_) => "feed.xml",
            Route::Search => "search.html",
            Route::Embed(_) => "embed.html",
            // A card's template (`card.svg`) receives the card's own view,
            // not a page's: see `card`.
            Route::Card(_)
            | Route::OEmbed(_)
            | Route::ExportJson
            | Route::ExportCsv
            | Route::ExportSchema
            | Route::Sitemap
            | Route::Robots
            | Route::ClaimReviews
            | Route::SearchIndex
            | Route::Asset(_)
            | Route::Headers => return None,
        })
    }

    /// Whether it is an HTML page listed in the sitemap (an embed is a
    /// part of its brief's page, not a page of its own).
    pub fn in_sitemap(&self) -> bool {
        self.template().is_some_and(|t| t.ends_with(".html"))
            && !matches!(self, Route::NotFound | Route::Embed(_))
    }
}
