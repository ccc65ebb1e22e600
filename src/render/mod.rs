//! RENDER: a resolved [`Site`] → any of its outputs, through the theme.
//!
//! A [`Renderer`] holds the site and the compiled theme; it renders one
//! route at a time ([`Renderer::render`]), so `build` renders every route
//! in parallel, `serve` only the ones requested, and `watch` only those
//! whose [`Renderer::fingerprint`] changed. A route's output is a pure
//! function of its view (a typed struct borrowing from the site) and its
//! template; the fingerprint is a hash of exactly those. Template errors
//! are diagnostics naming the template line and the page. This stage reads
//! no file and knows nothing of where the output goes.

pub mod card;
pub mod claimreview;
pub mod export;
pub mod feeds;
pub mod json;
pub mod oembed;
pub mod routes;
pub mod search;
pub mod sitemap;
pub mod theme;
pub mod views;

pub use routes::Route;
pub use theme::Theme;

use crate::diagnostics::Diagnostic;
use crate::resolve::Site;
use crate::urls::Scope;
use std::collections::{BTreeSet, HashMap};
use std::hash::{Hash, Hasher};
use std::sync::{Arc, OnceLock};
use views::{Fields, PageView, Views};

/// Why a route could not be rendered.
#[derive(Debug)]
pub enum RenderError {
    /// A template failed on this page: at the template's line.
    Template(Diagnostic),
    /// The sink refused the output (a write failed).
    Io(anyhow::Error),
}

/// Where a renderer's search index comes from.
#[derive(Clone)]
pub enum Postings {
    /// Made from scratch (one run).
    Fresh,
    /// Made from the index of the last run, and kept for the next.
    Kept(Arc<std::sync::Mutex<search::Index>>),
}

/// The briefs a route's fingerprint was made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reads {
    /// Every brief, body included (the search index).
    All,
    /// The front matter of every brief, and what resolve made of it (the
    /// sitemap, `/claimreview.json`), but no body.
    FrontMatter,
    /// These, by index, ascending.
    Briefs(Box<[u32]>),
}

/// Where rendered files go: `(path relative to the output, bytes)`.
pub type Sink<'a> = dyn Fn(&str, &[u8]) -> anyhow::Result<()> + Sync + 'a;

/// Where rendered files that exist already as a file go (a cached share
/// card): `(path relative to the output, the file)`. `build` links them in
/// instead of copying their bytes.
pub type LinkSink<'a> = dyn Fn(&str, &std::path::Path) -> anyhow::Result<()> + Sync + 'a;

/// A resolved site with its theme, ready to render any route.
pub struct Renderer {
    /// The site.
    pub site: Site,
    /// The compiled theme.
    pub theme: Arc<Theme>,
    /// The files of the search index, made when first asked for.
    search: OnceLock<search::Files>,
    /// What they are made from, kept between runs by long-running commands.
    postings: Postings,
    /// Output file → route, made when first asked for.
    index: OnceLock<HashMap<String, Route>>,
    /// Files of the site's `static/` folder, which replace theme assets of
    /// the same name.
    statics: BTreeSet<String>,
    /// Per brief, its summary's fingerprint and template value, made when first needed.
    summaries: Vec<views::SummaryMemo>,
    /// Where share cards are cached (`None`: rendered every time).
    cards: Option<card::Cache>,
}

impl Renderer {
    /// A renderer of `site` through `theme`, for a site whose `static/`
    /// folder holds `statics`, making its search index with `postings`.
    pub fn new(
        site: Site,
        theme: Arc<Theme>,
        statics: BTreeSet<String>,
        postings: Postings,
    ) -> Renderer {
        let summaries = (0..site.briefs.len()).map(|_| Default::default()).collect();
        Renderer {
            summaries,
            postings,
            site,
            theme,
            search: OnceLock::new(),
            index: OnceLock::new(),
            statics,
            cards: None,
        }
    }

    /// Every route of the site (theme assets that `static/` replaces left out).
    pub fn routes(&self) -> Vec<Route> {
        let mut all = routes::all(&self.site);
        all.retain(|r| match r {
            Route::Asset(name) => !self.statics.contains(*name),
            Route::Headers => !self.statics.contains(crate::headers::FILE),
            _ => true,
        });
        all
    }

    /// The route that writes `file` (a path relative to the output), if
    /// any: a file of the search index is the search index's.
    pub fn route_of(&self, file: &str) -> Option<Route> {
        let index = self.index.get_or_init(|| {
            self.routes()
                .into_iter()
                .filter_map(|r| Some((r.file(&self.site)?, r)))
                .collect()
        });
        match index.get(file) {
            Some(route) => Some(route.clone()),
            None if file.starts_with(crate::urls::SEARCH)
                && self.search_files().iter().any(|(f, _)| f == file) =>
            {
                Some(Route::SearchIndex)
            }
            None => None,
        }
    }

    /// Renders `route` into `sink` (one file, or the search index's files).
    pub fn render(&self, route: &Route, sink: &Sink<'_>) -> Result<(), RenderError> {
        let site = &self.site;
        let io = RenderError::Io;
        let file = || route.file(site).unwrap_or_default();
        if route.template().is_some() {
            let html = self.page(route)?;
            return sink(&file(), html.as_bytes()).map_err(io);
        }
        match route {
            Route::Sitemap => sink(&file(), &sitemap::sitemap(&sitemap::entries(site))),
            Route::Robots => sink(&file(), &sitemap::robots(site)),
            Route::ClaimReviews => sink(&file(), &claimreview::data_feed(site).bytes()),
            Route::Headers => {
                let text = crate::headers::file(&site.config).unwrap_or_default();
                sink(&file(), text.as_bytes())
            }
            Route::Card(i) => match self.card(*i)? {
                card::CardFile::Cached(path) => {
                    crate::fs::read(&path).and_then(|b| sink(&file(), &b))
                }
                card::CardFile::Bytes(bytes) => sink(&file(), &bytes),
            },
            Route::OEmbed(i) => {
                let views = Views::new(site, &self.summaries);
                sink(&file(), &oembed::response(site, &views, *i).bytes())
            }
            Route::ExportJson => sink(&file(), &export::export(site).json()),
            Route::ExportCsv => sink(&file(), &export::export(site).csv()),
            Route::ExportSchema => sink(&file(), &export::schema(site)),
            Route::SearchIndex => self
                .search_files()
                .iter()
                .try_for_each(|(path, bytes)| sink(path, bytes)),
            Route::Asset(name) => {
                let text = theme::ASSETS
                    .iter()
                    .find(|(n, _)| n == name)
                    .map_or("", |(_, t)| t);
                sink(&file(), text.as_bytes())
            }
            _ => Ok(()),
        }
        .map_err(io)
    }

    /// Renders `routes` into `sink` on every core; cached share cards go to
    /// `link` as files. A template mistake breaks every page that uses it:
    /// it is reported once, at its line.
    pub fn render_all(
        &self,
        routes: &[Route],
        sink: &Sink<'_>,
        link: &LinkSink<'_>,
    ) -> crate::error::Result<()> {
        use rayon::prelude::*;
        let failures: Vec<RenderError> = routes
            .par_iter()
            .filter_map(|r| match r {
                Route::Card(i) => {
                    let file = r.file(&self.site).unwrap_or_default();
                    match self.card(*i) {
                        Ok(card::CardFile::Cached(path)) => {
                            link(&file, &path).err().map(RenderError::Io)
                        }
                        Ok(card::CardFile::Bytes(bytes)) => {
                            sink(&file, &bytes).err().map(RenderError::Io)
                        }
                        Err(e) => Some(e),
                    }
                }
                _ => self.render(r, sink).err(),
            })
            .collect();
        report(failures)
    }

    /// The files of the search index.
    pub fn search_files(&self) -> &[(String, Arc<[u8]>)] {
        self.search.get_or_init(|| match &self.postings {
            Postings::Fresh => search::files(&self.site),
            Postings::Kept(index) => {
                let mut index = index.lock().unwrap_or_else(|e| e.into_inner());
                index.files(&self.site, true)
            }
        })
    }

    /// A fingerprint of what `route` renders: equal fingerprints mean equal
    /// output, so an unchanged one need not be rendered again.
    pub fn fingerprint(&self, route: &Route) -> u128 {
        self.fingerprint_noting(route).0
    }

    /// The fingerprint of `route` and the briefs it was made from. Beside
    /// those briefs, a fingerprint depends only on the parts of the site
    /// that [`Renderer::same_frame`] compares.
    pub fn fingerprint_noting(&self, route: &Route) -> (u128, Reads) {
        let site = &self.site;
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        route.file(site).hash(&mut h);
        let noted = std::cell::RefCell::new(Vec::new());
        let reads = match route {
            Route::Sitemap => {
                sitemap::entries(site).hash(&mut h);
                Reads::FrontMatter
            }
            Route::ClaimReviews => {
                claimreview::data_feed(site).hash(&mut h);
                Reads::FrontMatter
            }
            Route::SearchIndex => {
                search::fingerprint(site, &mut h);
                Reads::All
            }
            Route::Robots => {
                site.config.base_url.hash(&mut h);
                Reads::Briefs(Box::new([]))
            }
            Route::Asset(name) => {
                name.hash(&mut h);
                Reads::Briefs(Box::new([]))
            }
            Route::Headers => {
                crate::headers::file(&site.config).hash(&mut h);
                Reads::Briefs(Box::new([]))
            }
            Route::Card(i) => {
                h.write_u128(self.card_key(*i));
                Reads::Briefs(Box::new([*i as u32]))
            }
            Route::OEmbed(i) => {
                oembed::response(site, &Views::new(site, &self.summaries), *i).hash(&mut h);
                Reads::Briefs(Box::new([*i as u32]))
            }
            // A brief's sources in the export follow its citations, which
            // its body makes.
            Route::ExportJson | Route::ExportCsv => {
                export::export(site).hash(&mut h);
                Reads::All
            }
            Route::ExportSchema => {
                (&site.config.title, &site.config.base_url, &site.config.root).hash(&mut h);
                Reads::Briefs(Box::new([]))
            }
            _ => {
                h.write_u128(self.theme.fingerprint);
                self.view_noting(route, Some(&noted)).hash(&mut h);
                let mut list = noted.into_inner();
                list.sort_unstable();
                list.dedup();
                Reads::Briefs(list.into_boxed_slice())
            }
        };
        (h.digest128(), reads)
    }

    /// Whether `self` and `other` share every part of their sites but the
    /// briefs, and the theme: then a route's fingerprint can change only
    /// if a brief it read did.
    pub fn same_frame(&self, other: &Renderer) -> bool {
        let (a, b) = (&self.site, &other.site);
        Arc::ptr_eq(&a.config, &b.config)
            && Arc::ptr_eq(&a.sources, &b.sources)
            && Arc::ptr_eq(&a.claimants, &b.claimants)
            && Arc::ptr_eq(&a.tags, &b.tags)
            && Arc::ptr_eq(&a.verdicts, &b.verdicts)
            && Arc::ptr_eq(&a.pages, &b.pages)
            && Arc::ptr_eq(&a.targets, &b.targets)
            && a.briefs.len() == b.briefs.len()
            && self.theme.fingerprint == other.theme.fingerprint
            && self.statics == other.statics
    }

    /// A page rendered through its template.
    fn page(&self, route: &Route) -> Result<String, RenderError> {
        let site = &self.site;
        let template = route.template().unwrap_or_default();
        let view = self.view(route);
        let failed = |e: &tera::Error| {
            let page = site.url(&route.path(site));
            RenderError::Template(self.theme.diagnostic(e, Some(&page)))
        };
        let context = tera::Context::from_serialize(&view).map_err(|e| failed(&e))?;
        self.theme
            .tera
            .render(template, &context)
            .map_err(|e| failed(&e))
    }

    /// What the template of `route` receives.
    pub fn view(&self, route: &Route) -> PageView<'_> {
        self.view_noting(route, None)
    }

    /// [`Renderer::view`], noting in `reads` the briefs it reads.
    fn view_noting<'a>(
        &'a self,
        route: &Route,
        reads: Option<&'a std::cell::RefCell<Vec<u32>>>,
    ) -> PageView<'a> {
        let site = &self.site;
        let mut v = Views::new(site, &self.summaries);
        if let Some(reads) = reads {
            v = v.noting(reads);
        }
        let path = route.path(site);
        let meta = |title: &str, description: Option<&str>| {
            v.meta(&path, title.to_string(), description.map(str::to_string))
        };
        let (page, fields) = match route {
            Route::Home(n) => {
                let per = site.config.per_page;
                let title = if *n > 1 {
                    format!("Latest fact checks, page {n}")
                } else {
                    "Latest fact checks".to_string()
                };
                let mut page = meta(&title, site.config.description.as_deref());
                if *n == 1 {
                    page.organization =
                        Some(claimreview::OrganizationLd(claimreview::organization(site)));
                }
                (
                    page,
                    Fields::Home {
                        briefs: v.summaries((0..site.briefs.len()).skip((n - 1) * per).take(per)),
                        pager: v.pager(*n, routes::home_pages(site)),
                    },
                )
            }
            Route::Brief(i) => (
                v.brief_meta(*i),
                Fields::Brief {
                    brief: Box::new(v.brief(*i)),
                },
            ),
            Route::Sources => {
                let mut list: Vec<_> = site.sources.values().collect();
                list.sort_by(|a, b| {
                    (&a.source.publisher, &a.source.title)
                        .cmp(&(&b.source.publisher, &b.source.title))
                });
                (
                    meta("Sources", Some("Every source the desk's briefs cite.")),
                    Fields::Sources {
                        sources: list.into_iter().map(|s| v.source(s)).collect(),
                    },
                )
            }
            Route::Source(id) => {
                let s = &site.sources[id];
                let description =
                    format!("{}: the briefs that cite this source.", s.source.publisher);
                (
                    meta(&s.source.title, Some(&description)),
                    Fields::Source {
                        source: v.source(s),
                        briefs: v.summaries(s.briefs.iter().copied()),
                    },
                )
            }
            Route::Claimants => {
                let mut list: Vec<_> = site.claimants.values().collect();
                list.sort_by(|a, b| by_name(&a.claimant.name, &b.claimant.name));
                (
                    meta(
                        "Claimants",
                        Some("People and organisations whose claims the desk has checked."),
                    ),
                    Fields::Claimants {
                        claimants: list.into_iter().map(|c| v.claimant(c)).collect(),
                    },
                )
            }
            Route::Claimant(id) => {
                let n = &site.claimants[id];
                let description = n.claimant.description.clone().unwrap_or_else(|| {
                    format!("Claims by {} checked by the desk.", n.claimant.name)
                });
                let mut page = meta(&n.claimant.name, Some(&description));
                page.feeds.push(v.feed_link(&Scope::Claimant(id.clone())));
                (
                    page,
                    Fields::Claimant {
                        claimant: v.claimant(n),
                        briefs: v.summaries(n.briefs.iter().copied()),
                        tally: v.tally(&n.briefs),
                    },
                )
            }
            Route::Tags => {
                let mut list: Vec<_> = site.tags.iter().collect();
                list.sort_by(|a, b| by_name(&a.1.name, &b.1.name));
                (
                    meta("Tags", None),
                    Fields::Tags {
                        tags: list.into_iter().map(|(s, t)| v.tag(s, t)).collect(),
                    },
                )
            }
            Route::Tag(slug) => match site.tags.get_key_value(slug) {
                Some((slug, t)) => {
                    let mut page = meta(&format!("Tagged “{}”", t.name), None);
                    page.feeds.push(v.feed_link(&Scope::Tag(slug.clone())));
                    (
                        page,
                        Fields::Tag {
                            tag: v.tag(slug, t),
                            briefs: v.summaries(t.briefs.iter().copied()),
                        },
                    )
                }
                None => (meta("", None), Fields::None {}),
            },
            Route::Verdicts => (
                meta("Verdicts", Some("The rating scale the desk uses.")),
                Fields::None {},
            ),
            Route::Verdict(k) => {
                let verdict = &site.config.verdicts[*k];
                (
                    meta(
                        &format!("Rated {}", verdict.label),
                        verdict.description.as_deref(),
                    ),
                    Fields::Verdict {
                        verdict: v.verdict(*k),
                        briefs: v.summaries(site.verdicts[*k].1.iter().copied()),
                    },
                )
            }
            Route::Page(i) => {
                let p = &site.pages[*i];
                (
                    meta(&p.page.title, p.page.description.as_deref()),
                    Fields::Page {
                        content: views::Html(&p.body),
                    },
                )
            }
            Route::NotFound => (meta("Page not found", None), Fields::None {}),
            Route::Embed(i) => {
                let b = &site.briefs[*i].brief;
                (
                    meta(&format!("Fact check: {}", b.title), Some(&b.claim)),
                    v.embed_fields(*i),
                )
            }
            Route::Corrections => {
                let mut page = meta(
                    "Corrections",
                    Some(
                        "Every correction, clarification, update, verdict change and retraction of the desk's briefs, newest first.",
                    ),
                );
                page.feeds.push(v.corrections_feed_link());
                (
                    page,
                    Fields::Corrections {
                        feed: None,
                        corrections: v.corrections(false),
                    },
                )
            }
            Route::CorrectionsFeed => {
                let corrections = v.corrections(true);
                let feed = v.corrections_feed(&corrections);
                (
                    meta("Corrections feed", None),
                    Fields::Corrections {
                        feed: Some(feed),
                        corrections,
                    },
                )
            }
            Route::Search => (
                meta(
                    "Search",
                    Some("Search the desk's briefs by title, claim, claimant, summary or text."),
                ),
                Fields::None {},
            ),
            Route::Feed(scope) => {
                let (feed, entries) = v.feed(scope);
                (meta("Feed", None), Fields::Feed { feed, entries })
            }
            Route::Sitemap
            | Route::Robots
            | Route::ClaimReviews
            | Route::SearchIndex
            | Route::Asset(_)
            | Route::Headers
            | Route::Card(_)
            | Route::OEmbed(_)
            | Route::ExportJson
            | Route::ExportCsv
            | Route::ExportSchema => (meta("", None), Fields::None {}),
        };
        PageView {
            site: v.site(),
            page,
            fields,
        }
    }
}

/// Names in reading order: ignoring case, then as written.
fn by_name(a: &str, b: &str) -> std::cmp::Ordering {
    a.to_lowercase().cmp(&b.to_lowercase()).then(a.cmp(b))
}

/// Render failures as one result: I/O first; a template mistake breaks
/// every page that uses it, so it is reported once, at its line.
pub fn report(failures: Vec<RenderError>) -> crate::error::Result<()> {
    let mut diagnostics = crate::diagnostics::Diagnostics::new();
    let mut seen = std::collections::BTreeSet::new();
    for failure in failures {
        match failure {
            RenderError::Io(e) => return Err(crate::error::Error::Other(e)),
            RenderError::Template(d) => {
                if seen.insert((d.file.clone(), d.line, d.col)) {
                    diagnostics.push(d);
                }
            }
        }
    }
    if diagnostics.is_empty() {
        Ok(())
    } else {
        Err(crate::error::Error::Content(diagnostics))
    }
}
