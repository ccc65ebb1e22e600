//! RENDER: [`Site`] → pages, through the theme's Tera templates, in parallel.
//!
//! Takes the resolved site and the compiled theme; hands each rendered page
//! (path relative to the output folder, bytes) to a sink, which the caller
//! chooses: files in a staging folder for `build`, memory for `serve`.
//! Template errors at render time are diagnostics naming the template line
//! and the page. This stage knows nothing of where the output goes.

pub mod claimreview;
pub mod feeds;
pub mod routes;
pub mod search;
pub mod sitemap;
pub mod theme;
pub mod views;

pub use routes::Route;
pub use theme::Theme;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::resolve::Site;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use tera::{Context, Value};
use views::{FeedLink, PageMeta, Views};

/// Where rendered pages go: `(path relative to the output, bytes)`.
pub type Sink<'a> = dyn Fn(&str, Vec<u8>) -> anyhow::Result<()> + Sync + 'a;

#[derive(Serialize)]
struct PagerEntry {
    number: Option<usize>,
    url: Option<String>,
    current: bool,
}

#[derive(Serialize)]
struct Pager {
    current: usize,
    total: usize,
    prev_url: Option<String>,
    next_url: Option<String>,
    pages: Vec<PagerEntry>,
}

#[derive(Serialize)]
struct TallyEntry {
    verdict: Value,
    count: usize,
}

/// Decides, page by page, whether to render it (incremental rebuilds skip
/// pages whose template and context are unchanged, keeping their bytes).
pub trait Filter: Sync {
    /// Sees the views shared by many pages (`site` and the [`Views`]) once,
    /// before any page; they stay alive and unchanged until rendering ends.
    fn shared(&self, _site: &Value, _views: &Views) {}

    /// Gets a page's output file, its template and its full context;
    /// `false` skips the page.
    fn keep(&self, file: &str, template: &str, context: &Context) -> bool;
}

/// Renders every page.
struct All;

impl Filter for All {
    fn keep(&self, _: &str, _: &str, _: &Context) -> bool {
        true
    }
}

/// Renders every page of `site` into `sink`; returns the number of pages.
pub fn render(site: &Site, theme: &Theme, sink: &Sink<'_>) -> crate::Result<usize> {
    render_filtered(site, theme, sink, &All)
}

/// [`render`], skipping the pages that `filter` rejects.
pub fn render_filtered(
    site: &Site,
    theme: &Theme,
    sink: &Sink<'_>,
    filter: &dyn Filter,
) -> crate::Result<usize> {
    let views = Views::new(site);
    let site_value = views::site_value(site, &views);
    filter.shared(&site_value, &views);
    let routes = routes::all(site);
    let results: Vec<Result<(), RenderError>> = routes
        .par_iter()
        .map(|route| {
            let context = context(site, &views, &site_value, route).map_err(RenderError::Io)?;
            let file = route.file(site);
            if !filter.keep(&file, route.template(), &context) {
                return Ok(());
            }
            let html = theme.tera.render(route.template(), &context).map_err(|e| {
                RenderError::Template(theme.diagnostic(&e, Some(&site.url(&route.path(site)))))
            })?;
            sink(&file, html.into_bytes()).map_err(RenderError::Io)
        })
        .collect();
    let mut diagnostics = Diagnostics::new();
    let mut seen: BTreeMap<(String, usize, usize), usize> = BTreeMap::new();
    for result in results {
        match result {
            Ok(()) => {}
            Err(RenderError::Io(e)) => return Err(crate::Error::Other(e)),
            Err(RenderError::Template(d)) => {
                // One template mistake breaks every page using it: report it once.
                let key = (d.file.clone(), d.line, d.col);
                let count = seen.entry(key).or_insert(0);
                *count += 1;
                if *count == 1 {
                    diagnostics.push(d);
                }
            }
        }
    }
    if diagnostics.has_errors() {
        return Err(crate::Error::Content(diagnostics));
    }
    for (name, text) in theme::ASSETS {
        sink(name, text.as_bytes().to_vec())?;
    }
    sink("sitemap.xml", sitemap::sitemap(site, &routes))?;
    sink("robots.txt", sitemap::robots(site))?;
    sink("claimreview.json", claimreview::data_feed(site))?;
    if let Some(headers) = crate::headers::file(&site.config) {
        sink(crate::headers::FILE, headers.into_bytes())?;
    }
    search::write(site, sink)?;
    Ok(routes.len() + 3)
}

enum RenderError {
    Template(Diagnostic),
    Io(anyhow::Error),
}

/// `page`: what the layout needs to know about the page it frames.
fn meta(site: &Site, route: &Route, title: String, description: Option<String>) -> Value {
    let url = site.url(&route.path(site));
    let mut feeds = vec![FeedLink {
        title: site.config.title.clone(),
        url: site.url(&feeds::path(&feeds::Scope::Site)),
    }];
    let (mut kind, mut published, mut modified, mut jsonld) = ("website", None, None, None);
    match route {
        Route::Brief(i) => {
            let b = &site.briefs[*i].brief;
            kind = "article";
            published = Some(b.date.rfc3339());
            modified = Some(b.updated.unwrap_or(b.date).rfc3339());
            jsonld = Some(claimreview::script_safe(&claimreview::review(site, *i)));
        }
        Route::Claimant(id) => feeds.push(FeedLink {
            title: format!(
                "{}: claims by {}",
                site.config.title, site.claimants[id].claimant.name
            ),
            url: site.url(&feeds::path(&feeds::Scope::Claimant(id.clone()))),
        }),
        Route::Tag(slug) => feeds.push(FeedLink {
            title: format!("{}: {}", site.config.title, site.tags[slug].name),
            url: site.url(&feeds::path(&feeds::Scope::Tag(slug.clone()))),
        }),
        _ => {}
    }
    Value::from_serializable(&PageMeta {
        permalink: site.permalink(&url),
        url,
        title,
        description,
        kind,
        published,
        modified,
        feeds,
        jsonld,
    })
}

/// Every key `context` may insert; a page whose context holds any other
/// key cannot be fingerprinted and is always rendered by incremental
/// rebuilds (keep this list in step with `context`).
pub const CONTEXT_KEYS: &[&str] = &[
    "site",
    "page",
    "briefs",
    "pager",
    "brief",
    "sources",
    "source",
    "claimants",
    "claimant",
    "tally",
    "tags",
    "tag",
    "verdict",
    "content",
    "feed",
    "entries",
];

/// The context of one page: `site`, `page`, and what its template receives.
fn context(
    site: &Site,
    views: &Views,
    site_value: &Value,
    route: &Route,
) -> anyhow::Result<Context> {
    let mut c = Context::new();
    c.insert_value("site", site_value.clone());
    let config = &site.config;
    let (title, description): (String, Option<String>) = match route {
        Route::Home(n) => {
            let per = config.per_page;
            let all: Vec<usize> = (0..site.briefs.len())
                .skip((n - 1) * per)
                .take(per)
                .collect();
            c.insert_value("briefs", views.brief_list(&all));
            c.insert("pager", &pager(site, *n));
            let title = if *n > 1 {
                format!("Latest fact checks, page {n}")
            } else {
                "Latest fact checks".to_string()
            };
            (title, config.description.clone())
        }
        Route::Brief(i) => {
            let b = &site.briefs[*i].brief;
            c.insert_value("brief", views::brief_value(site, views, *i)?);
            (
                b.title.clone(),
                Some(b.summary.clone().unwrap_or_else(|| b.claim.clone())),
            )
        }
        Route::Sources => {
            let mut list: Vec<(&str, &str, &Value)> = site
                .sources
                .iter()
                .map(|(id, s)| {
                    (
                        s.source.publisher.as_str(),
                        s.source.title.as_str(),
                        &views.sources[id],
                    )
                })
                .collect();
            list.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
            c.insert_value(
                "sources",
                Value::from(
                    list.into_iter()
                        .map(|(_, _, v)| v.clone())
                        .collect::<Vec<_>>(),
                ),
            );
            (
                "Sources".into(),
                Some("Every source the desk's briefs cite.".into()),
            )
        }
        Route::Source(id) => {
            let s = &site.sources[id];
            c.insert_value("source", views.sources[id].clone());
            c.insert_value("briefs", views.brief_list(&s.briefs));
            (
                s.source.title.clone(),
                Some(format!(
                    "{}: the briefs that cite this source.",
                    s.source.publisher
                )),
            )
        }
        Route::Claimants => {
            let mut list: Vec<(&str, &Value)> = site
                .claimants
                .iter()
                .map(|(id, n)| (n.claimant.name.as_str(), &views.claimants[id]))
                .collect();
            list.sort_by(|a, b| {
                a.0.to_lowercase()
                    .cmp(&b.0.to_lowercase())
                    .then(a.0.cmp(b.0))
            });
            c.insert_value(
                "claimants",
                Value::from(list.into_iter().map(|(_, v)| v.clone()).collect::<Vec<_>>()),
            );
            (
                "Claimants".into(),
                Some("People and organisations whose claims the desk has checked.".into()),
            )
        }
        Route::Claimant(id) => {
            let n = &site.claimants[id];
            c.insert_value("claimant", views.claimants[id].clone());
            c.insert_value("briefs", views.brief_list(&n.briefs));
            c.insert("tally", &tally(site, views, &n.briefs));
            (
                n.claimant.name.clone(),
                n.claimant.description.clone().or_else(|| {
                    Some(format!(
                        "Claims by {} checked by the desk.",
                        n.claimant.name
                    ))
                }),
            )
        }
        Route::Tags => {
            let mut list: Vec<(&str, &Value)> = site
                .tags
                .iter()
                .map(|(slug, t)| (t.name.as_str(), &views.tags[slug]))
                .collect();
            list.sort_by(|a, b| {
                a.0.to_lowercase()
                    .cmp(&b.0.to_lowercase())
                    .then(a.0.cmp(b.0))
            });
            c.insert_value(
                "tags",
                Value::from(list.into_iter().map(|(_, v)| v.clone()).collect::<Vec<_>>()),
            );
            ("Tags".into(), None)
        }
        Route::Tag(slug) => {
            let t = &site.tags[slug];
            c.insert_value("tag", views.tags[slug].clone());
            c.insert_value("briefs", views.brief_list(&t.briefs));
            (format!("Tagged “{}”", t.name), None)
        }
        Route::Verdicts => (
            "Verdicts".into(),
            Some("The rating scale the desk uses.".into()),
        ),
        Route::Verdict(i) => {
            let v = &config.verdicts[*i];
            c.insert_value("verdict", views.verdicts[*i].clone());
            c.insert_value("briefs", views.brief_list(&site.verdicts[*i].1));
            (format!("Rated {}", v.label), v.description.clone())
        }
        Route::Page(i) => {
            let p = &site.pages[*i];
            c.insert_value("content", Value::safe_string(&p.html));
            (p.page.title.clone(), p.page.description.clone())
        }
        Route::NotFound => ("Page not found".into(), None),
        Route::Search => (
            "Search".into(),
            Some("Search the desk's briefs by title, claim, claimant, summary or text.".into()),
        ),
        Route::Feed(scope) => {
            let (feed, entries) = feeds::values(site, scope)?;
            c.insert_value("feed", feed);
            c.insert_value("entries", entries);
            ("Feed".into(), None)
        }
    };
    c.insert_value("page", meta(site, route, title, description));
    Ok(c)
}

/// Page `current` of the home pages: links to the first, last, and two on
/// each side of the current one; `number: none` marks a gap.
fn pager(site: &Site, current: usize) -> Pager {
    let total = routes::home_pages(site);
    let url = |n: usize| site.url(&routes::home_path(n));
    let mut numbers: Vec<usize> = vec![1, total];
    numbers.extend(current.saturating_sub(2).max(1)..=(current + 2).min(total));
    numbers.sort_unstable();
    numbers.dedup();
    let mut pages = Vec::with_capacity(numbers.len() + 2);
    for (k, &n) in numbers.iter().enumerate() {
        if k > 0 && n > numbers[k - 1] + 1 {
            pages.push(PagerEntry {
                number: None,
                url: None,
                current: false,
            });
        }
        pages.push(PagerEntry {
            number: Some(n),
            url: Some(url(n)),
            current: n == current,
        });
    }
    Pager {
        current,
        total,
        prev_url: (current > 1).then(|| url(current - 1)),
        next_url: (current < total).then(|| url(current + 1)),
        pages,
    }
}

fn tally(site: &Site, views: &Views, briefs: &[usize]) -> Vec<TallyEntry> {
    let mut counts = vec![0usize; site.config.verdicts.len()];
    for &i in briefs {
        if let Some(k) = site.config.verdict_index(&site.briefs[i].brief.verdict) {
            counts[k] += 1;
        }
    }
    counts
        .into_iter()
        .enumerate()
        .filter(|(_, n)| *n > 0)
        .map(|(k, count)| TallyEntry {
            verdict: views.verdicts[k].clone(),
            count,
        })
        .collect()
}
