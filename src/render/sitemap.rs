//! `/sitemap.xml` (every HTML page, with `lastmod`) and `/robots.txt`.

use super::routes::{self, Route};
use crate::dates::Date;
use crate::resolve::Site;
use crate::urls;
use pulldown_cmark_escape::escape_html;

/// The newest date among `briefs` (publication or update).
fn newest(site: &Site, briefs: &[usize]) -> Option<Date> {
    briefs
        .iter()
        .map(|&i| &site.briefs[i].brief)
        .map(|b| b.modified())
        .max()
}

/// When a page last changed, as far as its content tells.
fn lastmod(site: &Site, route: &Route) -> Option<Date> {
    match route {
        Route::Brief(i) => {
            let b = &site.briefs[*i].brief;
            Some(b.modified())
        }
        Route::Source(id) => newest(site, &site.sources[id].briefs),
        Route::Claimant(id) => newest(site, &site.claimants[id].briefs),
        Route::Tag(slug) => newest(site, &site.tags[slug].briefs),
        Route::Verdict(i) => newest(site, &site.verdicts[*i].1),
        Route::Corrections => site
            .briefs
            .iter()
            .flat_map(|n| n.brief.corrections.iter().map(|c| c.date))
            .max(),
        _ => None,
    }
}

/// The sitemap's view: each HTML page's absolute URL and last change.
pub fn entries(site: &Site) -> Vec<(String, Option<Date>)> {
    let site_newest = site.briefs.iter().map(|n| n.brief.modified()).max();
    routes::all(site)
        .iter()
        .filter(|r| r.in_sitemap())
        .map(|r| {
            let url = site.permalink(&site.url(&r.path(site)));
            (url, lastmod(site, r).or(site_newest))
        })
        .collect()
}

/// The sitemap file of `entries`.
pub fn sitemap(entries: &[(String, Option<Date>)]) -> Vec<u8> {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (url, lastmod) in entries {
        out.push_str("  <url><loc>");
        let _ = escape_html(&mut out, url);
        out.push_str("</loc>");
        if let Some(d) = lastmod {
            out.push_str("<lastmod>");
            out.push_str(&d.iso());
            out.push_str("</lastmod>");
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out.into_bytes()
}

/// `robots.txt`: everything may be crawled; the sitemap's address.
pub fn robots(site: &Site) -> Vec<u8> {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        site.permalink(&site.url(urls::SITEMAP))
    )
    .into_bytes()
}
