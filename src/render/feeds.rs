//! Atom feeds (RFC 4287): the site's newest briefs at `/feed.xml`, and one
//! feed per claimant and per tag. The built-in `feed.xml` template writes
//! them from [`super::views::Views::feed`]; this module makes the full text
//! of an entry, whose links are all absolute.

use crate::resolve::{BriefNode, Site};
use pulldown_cmark_escape::escape_html;

/// The full entry text as HTML, escaped once for XML: the claim, verdict
/// and summary, then the body with absolute links.
pub fn content(site: &Site, node: &BriefNode) -> String {
    let b = &node.brief;
    let (verdict, claimant) = (site.verdict_label(node), site.claimant_name(node));
    let permalink = site.permalink(&node.url);
    let mut content = String::new();
    content.push_str("<p><strong>Claim</strong> (");
    let _ = escape_html(&mut content, claimant);
    content.push_str("): ");
    let _ = escape_html(&mut content, &b.claim);
    content.push_str("</p><p><strong>Verdict:</strong> ");
    let _ = escape_html(&mut content, verdict);
    content.push_str("</p>");
    if let Some(summary) = &b.summary {
        content.push_str("<p>");
        let _ = escape_html(&mut content, summary);
        content.push_str("</p>");
    }
    content.push_str(&absolute_links(site, &node.body.html, &permalink));
    // Escaped for XML here: the template prints it as it is.
    let mut escaped = String::with_capacity(content.len() * 5 / 4);
    let _ = escape_html(&mut escaped, &content);
    escaped
}

/// Makes the links of a rendered body absolute, for readers that show it
/// outside the site: root-relative links get the base URL, fragment links
/// the page's own URL.
pub fn absolute_links(site: &Site, html: &str, permalink: &str) -> String {
    // One pass over the body (it is done for every entry of every feed):
    // each `href="` or `src="` followed by the site root gets the base URL,
    // each `href="#` the page's URL.
    let root = site.config.root.as_str();
    let origin_root = site.permalink(root);
    let mut out = String::with_capacity(html.len() + 256);
    let mut copied = 0;
    for (i, _) in html.match_indices("=\"") {
        let (before, after) = (&html[..i], &html[i + 2..]);
        let href = before.ends_with("href");
        if !href && !before.ends_with("src") {
            continue;
        }
        if after.starts_with(root) {
            out.push_str(&html[copied..i + 2]);
            out.push_str(&origin_root);
            copied = i + 2 + root.len();
        } else if href && after.starts_with('#') {
            out.push_str(&html[copied..i + 2]);
            out.push_str(permalink);
            copied = i + 2;
        }
    }
    out.push_str(&html[copied..]);
    out
}
