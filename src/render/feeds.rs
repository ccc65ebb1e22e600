//! Atom feeds (RFC 4287): the site's newest briefs at `/feed.xml`, and one
//! feed per claimant and per tag. The built-in `feed.xml` template writes
//! them; this module gives it entries whose links are all absolute.

use crate::resolve::{BriefNode, Site};
use pulldown_cmark_escape::escape_html;
use serde::Serialize;
use tera::Value;

/// Which briefs a feed holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every published brief.
    Site,
    /// One claimant's.
    Claimant(String),
    /// One tag's.
    Tag(String),
}

#[derive(Serialize)]
struct FeedView {
    full: bool,
    title: String,
    self_url: String,
    alternate: String,
    updated: String,
}

#[derive(Serialize)]
struct EntryView<'a> {
    title: &'a str,
    permalink: String,
    published: String,
    updated: String,
    authors: Vec<&'a str>,
    verdict: &'a str,
    verdict_key: &'a str,
    tags: &'a [String],
    claimant: &'a str,
    claim: &'a str,
    summary: Option<&'a str>,
}

/// The path of a feed under the site.
pub fn path(scope: &Scope) -> String {
    match scope {
        Scope::Site => "feed.xml".to_string(),
        Scope::Claimant(id) => format!("claimants/{id}/feed.xml"),
        Scope::Tag(slug) => format!("tags/{slug}/feed.xml"),
    }
}

/// A brief's entry; with `full`, its whole body as `content`.
fn entry_value(site: &Site, i: usize, full: bool) -> anyhow::Result<Value> {
    let value = entry(site, &site.briefs[i]);
    if !full {
        return Ok(value);
    }
    let mut map = value.into_map().unwrap_or_default();
    map.insert("content".into(), Value::safe_string(&content(site, i)?));
    Ok(Value::from(map))
}

/// `feed` and `entries` for the feed template.
pub fn values(site: &Site, scope: &Scope) -> anyhow::Result<(Value, Value)> {
    let (briefs, title, page): (&[usize], String, String) = match scope {
        Scope::Site => (&[], site.config.title.clone(), String::new()),
        Scope::Claimant(id) => {
            let c = &site.claimants[id];
            (
                &c.briefs,
                format!("{}: claims by {}", site.config.title, c.claimant.name),
                format!("claimants/{id}/"),
            )
        }
        Scope::Tag(slug) => {
            let t = &site.tags[slug];
            (
                &t.briefs,
                format!("{}: {}", site.config.title, t.name),
                format!("tags/{slug}/"),
            )
        }
    };
    let limit = site.config.feed_limit;
    // The site's feed carries each brief's full text; a claimant's or a
    // tag's feed (hundreds of them on a large site) carries the claim,
    // verdict and summary, and links to the full text.
    let full = *scope == Scope::Site;
    let chosen: Vec<usize> = match scope {
        Scope::Site => (0..site.briefs.len().min(limit)).collect(),
        _ => briefs.iter().copied().take(limit).collect(),
    };
    let entries: Vec<Value> = chosen
        .iter()
        .map(|&i| entry_value(site, i, full))
        .collect::<anyhow::Result<_>>()?;
    let updated = chosen
        .iter()
        .map(|&i| {
            let b = &site.briefs[i].brief;
            b.updated.unwrap_or(b.date)
        })
        .max()
        .map(|d| d.rfc3339())
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string());
    let feed = FeedView {
        full,
        title,
        self_url: site.permalink(&site.url(&path(scope))),
        alternate: site.permalink(&site.url(&page)),
        updated,
    };
    Ok((Value::from_serializable(&feed), Value::from(entries)))
}

/// The verdict's label and the claimant's name of a brief, as readers see them.
fn names<'a>(site: &'a Site, node: &'a BriefNode) -> (&'a str, &'a str) {
    let b = &node.brief;
    let verdict = site
        .config
        .verdict(&b.verdict)
        .map_or(b.verdict.as_str(), |v| v.label.as_str());
    let claimant = site
        .claimants
        .get(&node.claimant)
        .map_or(b.claimant.as_str(), |c| c.claimant.name.as_str());
    (verdict, claimant)
}

fn entry(site: &Site, node: &BriefNode) -> Value {
    let b = &node.brief;
    let (verdict, claimant) = names(site, node);
    let permalink = site.permalink(&node.url);
    Value::from_serializable(&EntryView {
        title: &b.title,
        published: b.date.rfc3339(),
        updated: b.updated.unwrap_or(b.date).rfc3339(),
        authors: b
            .authors
            .iter()
            .map(|a| {
                site.config
                    .authors
                    .get(a)
                    .map_or(a.as_str(), |x| x.name.as_str())
            })
            .collect(),
        verdict,
        verdict_key: &b.verdict,
        tags: &node.tags,
        claimant,
        claim: &b.claim,
        summary: b.summary.as_deref(),
        permalink,
    })
}

/// The full entry text as HTML, escaped once for XML: the claim, verdict
/// and summary, then the body with absolute links.
fn content(site: &Site, i: usize) -> anyhow::Result<String> {
    let node = &site.briefs[i];
    let b = &node.brief;
    let (verdict, claimant) = names(site, node);
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
    content.push_str(&absolute_links(site, &site.brief_html(i)?, &permalink));
    // Escaped for XML here: the template prints it as it is.
    let mut escaped = String::with_capacity(content.len() * 5 / 4);
    let _ = escape_html(&mut escaped, &content);
    Ok(escaped)
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
