//! `/sitemap.xml` (every HTML page, with `lastmod`) and `/robots.txt`.

use super::routes::Route;
use crate::dates::Date;
use crate::resolve::Site;
use pulldown_cmark_escape::escape_html;

/// The newest date among `briefs` (publication or update).
fn newest(site: &Site, briefs: &[usize]) -> Option<Date> {
    briefs
        .iter()
        .map(|&i| &site.briefs[i].brief)
        .map(|b| b.updated.unwrap_or(b.date))
        .max()
}

/// When a page last changed, as far as its content tells.
fn lastmod(site: &Site, route: &Route, site_newest: Option<Date>) -> Option<Date> {
    match route {
        Route::Brief(i) => {
            let b = &site.briefs[*i].brief;
            Some(b.updated.unwrap_or(b.date))
        }
        Route::Source(id) => newest(site, &site.sources[id].briefs),
        Route::Claimant(id) => newest(site, &site.claimants[id].briefs),
        Route::Tag(slug) => newest(site, &site.tags[slug].briefs),
        Route::Verdict(i) => newest(site, &site.verdicts[*i].1),
        _ => site_newest,
    }
}

/// The sitemap of `routes` (HTML pages only; not the 404 page).
pub fn sitemap(site: &Site, routes: &[Route]) -> Vec<u8> {
    let site_newest = site
        .briefs
        .iter()
        .map(|n| n.brief.updated.unwrap_or(n.brief.date))
        .max();
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for route in routes {
        if !route.file(site).ends_with("index.html") {
            continue;
        }
        let url = site.permalink(&site.url(&route.path(site)));
        out.push_str("  <url><loc>");
        let _ = escape_html(&mut out, &url);
        out.push_str("</loc>");
        if let Some(d) = lastmod(site, route, site_newest).or(site_newest) {
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
        site.permalink(&site.url("sitemap.xml"))
    )
    .into_bytes()
}
