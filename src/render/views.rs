//! The template contract (documented in `templates/README.md`): one
//! serialisable view per thing a template shows. Views of things listed on
//! many pages (brief summaries, sources, claimants …) are made once per
//! build and shared as [`tera::Value`]s, which clone cheaply.

use crate::config::{SiteConfig, Verdict};
use crate::dates::Date;
use crate::resolve::{BriefNode, ClaimantNode, Site, SourceNode, TagNode};
use serde::Serialize;
use tera::Value;

/// `site` in every template.
#[derive(Serialize)]
pub struct SiteView<'a> {
    title: &'a str,
    description: Option<&'a str>,
    language: &'a str,
    base_url: &'a str,
    root: &'a str,
    publisher: PublisherView<'a>,
    verdicts: Vec<Value>,
}

#[derive(Serialize)]
struct PublisherView<'a> {
    name: &'a str,
    url: Option<&'a str>,
    logo: Option<String>,
}

/// `page` in every template.
#[derive(Serialize)]
pub struct PageMeta {
    /// Path of the page under the site, with the base path.
    pub url: String,
    /// Absolute URL.
    pub permalink: String,
    /// Title without the site's.
    pub title: String,
    /// One-line description.
    pub description: Option<String>,
    /// Open Graph type: `article` for briefs, else `website`.
    pub kind: &'static str,
    /// RFC 3339 publication time (briefs).
    pub published: Option<String>,
    /// RFC 3339 modification time (briefs).
    pub modified: Option<String>,
    /// Atom feeds about this page: `{title, url}`.
    pub feeds: Vec<FeedLink>,
    /// ClaimReview JSON-LD, safe inside a `<script>` element (briefs).
    pub jsonld: Option<String>,
}

/// A feed to announce with `<link rel="alternate">`.
#[derive(Serialize)]
pub struct FeedLink {
    /// Its title.
    pub title: String,
    /// Its URL path.
    pub url: String,
}

#[derive(Serialize)]
struct VerdictView<'a> {
    key: &'a str,
    label: &'a str,
    rating: Option<i64>,
    color: &'a str,
    description: Option<&'a str>,
    url: String,
    count: usize,
}

#[derive(Serialize)]
struct ClaimantView<'a> {
    id: &'a str,
    name: &'a str,
    url: &'a str,
    role: Option<&'a str>,
    description: Option<&'a str>,
    website: Option<&'a str>,
    same_as: &'a [String],
    count: usize,
}

#[derive(Serialize)]
struct TagView<'a> {
    name: &'a str,
    slug: &'a str,
    url: &'a str,
    count: usize,
}

#[derive(Serialize)]
struct SourceView<'a> {
    id: &'a str,
    url: &'a str,
    original_url: &'a str,
    archived_url: Option<&'a str>,
    title: &'a str,
    publisher: &'a str,
    author: Option<&'a str>,
    published: Option<String>,
    published_display: Option<String>,
    accessed: Option<String>,
    accessed_display: Option<String>,
    kind: &'a str,
    notes: Option<&'a str>,
    count: usize,
    checked: Option<CheckedView>,
}

/// The last recorded link check of a source's original.
#[derive(Serialize)]
struct CheckedView {
    date: String,
    date_display: String,
    state: &'static str,
}

#[derive(Serialize)]
struct BriefSummaryView<'a> {
    slug: &'a str,
    url: &'a str,
    title: &'a str,
    claim: &'a str,
    claimant: &'a Value,
    verdict: &'a Value,
    date: String,
    date_display: String,
    summary: Option<&'a str>,
    draft: bool,
}

/// Every shared view of a site, made once.
pub struct Views {
    /// Per brief, in the site's order.
    pub briefs: Vec<Value>,
    /// Per source id.
    pub sources: std::collections::BTreeMap<String, Value>,
    /// Per claimant id.
    pub claimants: std::collections::BTreeMap<String, Value>,
    /// Per tag slug.
    pub tags: std::collections::BTreeMap<String, Value>,
    /// In scale order.
    pub verdicts: Vec<Value>,
}

fn iso(d: &Option<Date>) -> Option<String> {
    d.map(|d| d.iso())
}

fn display(d: &Option<Date>) -> Option<String> {
    d.map(|d| d.display())
}

fn verdict_value(site: &Site, v: &Verdict, count: usize) -> Value {
    Value::from_serializable(&VerdictView {
        key: &v.key,
        label: &v.label,
        rating: v.rating,
        color: &v.color,
        description: v.description.as_deref(),
        url: site.url(&format!("verdicts/{}/", v.key)),
        count,
    })
}

/// A source's view.
fn source_value(s: &SourceNode) -> Value {
    let src = &s.source;
    Value::from_serializable(&SourceView {
        id: &src.id,
        url: &s.url,
        original_url: &src.url,
        archived_url: src.archived.as_deref(),
        title: &src.title,
        publisher: &src.publisher,
        author: src.author.as_deref(),
        published: iso(&src.published),
        published_display: display(&src.published),
        accessed: iso(&src.accessed),
        accessed_display: display(&src.accessed),
        kind: &src.kind,
        notes: src.notes.as_deref(),
        count: s.briefs.len(),
        checked: src.checked.map(|c| CheckedView {
            date: c.date.iso(),
            date_display: c.date.display(),
            state: c.state.as_str(),
        }),
    })
}

fn claimant_value(c: &ClaimantNode) -> Value {
    let p = &c.claimant;
    Value::from_serializable(&ClaimantView {
        id: &p.id,
        name: &p.name,
        url: &c.url,
        role: p.role.as_deref(),
        description: p.description.as_deref(),
        website: p.url.as_deref(),
        same_as: &p.same_as,
        count: c.briefs.len(),
    })
}

fn tag_value(slug: &str, t: &TagNode) -> Value {
    Value::from_serializable(&TagView {
        name: &t.name,
        slug,
        url: &t.url,
        count: t.briefs.len(),
    })
}

impl Views {
    /// Makes every shared view (in parallel for the briefs).
    pub fn new(site: &Site) -> Views {
        use rayon::prelude::*;
        let verdicts: Vec<Value> = site
            .config
            .verdicts
            .iter()
            .zip(&site.verdicts)
            .map(|(v, (_, briefs))| verdict_value(site, v, briefs.len()))
            .collect();
        let claimants: std::collections::BTreeMap<String, Value> = site
            .claimants
            .iter()
            .map(|(id, c)| (id.clone(), claimant_value(c)))
            .collect();
        let sources = site
            .sources
            .iter()
            .map(|(id, s)| (id.clone(), source_value(s)))
            .collect();
        let tags = site
            .tags
            .iter()
            .map(|(slug, t)| (slug.clone(), tag_value(slug, t)))
            .collect();
        let verdict_index = |key: &str| site.config.verdict_index(key).unwrap_or(0);
        let none = Value::none();
        let briefs = site
            .briefs
            .par_iter()
            .map(|b| {
                Value::from_serializable(&BriefSummaryView {
                    slug: &b.brief.slug,
                    url: &b.url,
                    title: &b.brief.title,
                    claim: &b.brief.claim,
                    claimant: claimants.get(&b.claimant).unwrap_or(&none),
                    verdict: verdicts
                        .get(verdict_index(&b.brief.verdict))
                        .unwrap_or(&none),
                    date: b.brief.date.iso(),
                    date_display: b.brief.date.display(),
                    summary: b.brief.summary.as_deref(),
                    draft: b.brief.draft,
                })
            })
            .collect();
        Views {
            briefs,
            sources,
            claimants,
            tags,
            verdicts,
        }
    }

    /// The views of the briefs at `indices`, as one list value.
    pub fn brief_list(&self, indices: &[usize]) -> Value {
        Value::from(
            indices
                .iter()
                .map(|&i| self.briefs[i].clone())
                .collect::<Vec<_>>(),
        )
    }
}

/// `site` for the global context.
pub fn site_value(site: &Site, views: &Views) -> Value {
    let c: &SiteConfig = &site.config;
    let logo = c.publisher.logo.as_ref().map(|l| {
        if l.starts_with('/') {
            site.permalink(&site.url(l.trim_start_matches('/')))
        } else {
            l.clone()
        }
    });
    Value::from_serializable(&SiteView {
        title: &c.title,
        description: c.description.as_deref(),
        language: &c.language,
        base_url: &c.base_url,
        root: &c.root,
        publisher: PublisherView {
            name: &c.publisher.name,
            url: c.publisher.url.as_deref(),
            logo,
        },
        verdicts: views.verdicts.clone(),
    })
}

#[derive(Serialize)]
struct ReferenceView<'a> {
    number: usize,
    anchor: String,
    source: &'a Value,
    locators: &'a [String],
    backlinks: Vec<Backlink<'a>>,
}

#[derive(Serialize)]
struct Backlink<'a> {
    anchor: &'a str,
    label: String,
}

#[derive(Serialize)]
struct AuthorView<'a> {
    id: &'a str,
    name: &'a str,
}

#[derive(Serialize)]
struct CorrectionView<'a> {
    date: String,
    date_display: String,
    note: &'a str,
}

#[derive(Serialize)]
struct BriefView<'a> {
    #[serde(flatten)]
    summary: &'a Value,
    updated: Option<String>,
    updated_display: Option<String>,
    claim_date: Option<String>,
    claim_date_display: Option<String>,
    appearance: Option<&'a Value>,
    tags: Vec<&'a Value>,
    authors: Vec<AuthorView<'a>>,
    content: Value,
    references: Vec<ReferenceView<'a>>,
    uncited: Vec<&'a Value>,
    corrections: Vec<CorrectionView<'a>>,
    related: Vec<&'a Value>,
}

/// `a`, `b`, … `z`, `aa`, `ab` …: labels of back-links.
fn letter_label(mut n: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'a' + (n % 26) as u8);
        if n < 26 {
            break;
        }
        n = n / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// The full view of brief `i` (its body is read and rendered here).
pub fn brief_value(site: &Site, views: &Views, i: usize) -> anyhow::Result<Value> {
    let node: &BriefNode = &site.briefs[i];
    let b = &node.brief;
    let none = Value::none();
    let source = |id: &str| views.sources.get(id).unwrap_or(&none);
    Ok(Value::from_serializable(&BriefView {
        summary: &views.briefs[i],
        updated: iso(&b.updated),
        updated_display: display(&b.updated),
        claim_date: iso(&b.claim_date),
        claim_date_display: display(&b.claim_date),
        appearance: b.appearance.as_deref().map(source),
        tags: node.tags.iter().filter_map(|t| views.tags.get(t)).collect(),
        authors: b
            .authors
            .iter()
            .map(|id| AuthorView {
                id,
                name: site
                    .config
                    .authors
                    .get(id)
                    .map_or(id.as_str(), |a| a.name.as_str()),
            })
            .collect(),
        content: Value::safe_string(&site.brief_html(i)?),
        references: node
            .cited
            .iter()
            .map(|c| ReferenceView {
                number: c.number,
                anchor: format!("ref-{}", c.number),
                source: source(&c.id),
                locators: &c.locators,
                backlinks: c
                    .anchors
                    .iter()
                    .enumerate()
                    .map(|(k, a)| Backlink {
                        anchor: a,
                        label: letter_label(k),
                    })
                    .collect(),
            })
            .collect(),
        uncited: node.uncited.iter().map(|id| source(id)).collect(),
        corrections: b
            .corrections
            .iter()
            .map(|c| CorrectionView {
                date: c.date.iso(),
                date_display: c.date.display(),
                note: &c.note,
            })
            .collect(),
        related: node.related.iter().map(|&j| &views.briefs[j]).collect(),
    }))
}

#[cfg(test)]
mod tests {
    #[test]
    fn letter_labels() {
        let labels: Vec<String> = [0, 1, 25, 26, 27]
            .iter()
            .map(|&n| super::letter_label(n))
            .collect();
        assert_eq!(labels, ["a", "b", "z", "aa", "ab"]);
    }
}
