//! schema.org ClaimReview structured data: one JSON-LD object per brief
//! (in the brief page's head) and the `/claimreview.json` DataFeed of all.
//!
//! The review is a typed view like every other: serialised by serde_json
//! (so any claim text stays valid JSON) through [`super::json::safe`], and
//! hashed to tell whether it changed.

use super::json;
use crate::config::TransparencyPage;
use crate::resolve::{BriefNode, Site};
use crate::urls;
use serde::{Serialize, Serializer};
use std::hash::{Hash, Hasher};

/// The ClaimReview of one brief.
#[derive(Serialize, Hash)]
pub struct ClaimReview<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    url: String,
    name: &'a str,
    #[serde(rename = "claimReviewed")]
    claim_reviewed: &'a str,
    #[serde(rename = "datePublished")]
    date_published: String,
    #[serde(rename = "dateModified", skip_serializing_if = "Option::is_none")]
    date_modified: Option<String>,
    author: Authors<'a>,
    #[serde(rename = "reviewRating")]
    review_rating: Rating<'a>,
    #[serde(rename = "itemReviewed")]
    item_reviewed: Claim<'a>,
    /// The corrections log, oldest first (schema.org `correction`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    correction: Vec<CorrectionComment<'a>>,
}

/// One entry of a brief's corrections log, as a schema.org
/// CorrectionComment: its kind, date, note and place on the page.
#[derive(Serialize, Hash)]
struct CorrectionComment<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "additionalType")]
    correction_kind: &'static str,
    name: &'static str,
    text: &'a str,
    #[serde(rename = "datePublished")]
    date_published: String,
    url: String,
}

/// The publisher alone, or the publisher followed by the brief's authors.
#[derive(Serialize, Hash)]
#[serde(untagged)]
enum Authors<'a> {
    Publisher(Box<Organization<'a>>),
    Many(Vec<Agent<'a>>),
}

/// One of several authors.
#[derive(Serialize, Hash)]
#[serde(untagged)]
enum Agent<'a> {
    Organization(Box<Organization<'a>>),
    Person(Person<'a>),
}

/// The publisher as a schema.org Organization, with the absolute URLs of
/// its published transparency pages.
#[derive(Serialize, Hash, Clone)]
pub struct Organization<'a> {
    #[serde(rename = "@context", skip_serializing_if = "Option::is_none")]
    context: Option<&'static str>,
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    logo: Option<Image>,
    #[serde(
        rename = "publishingPrinciples",
        skip_serializing_if = "Option::is_none"
    )]
    publishing_principles: Option<String>,
    #[serde(
        rename = "verificationFactCheckingPolicy",
        skip_serializing_if = "Option::is_none"
    )]
    verification_fact_checking_policy: Option<String>,
    #[serde(rename = "correctionsPolicy", skip_serializing_if = "Option::is_none")]
    corrections_policy: Option<String>,
    #[serde(
        rename = "ownershipFundingInfo",
        skip_serializing_if = "Option::is_none"
    )]
    ownership_funding_info: Option<String>,
    #[serde(rename = "ethicsPolicy", skip_serializing_if = "Option::is_none")]
    ethics_policy: Option<String>,
    #[serde(rename = "contactPoint", skip_serializing_if = "Option::is_none")]
    contact_point: Option<ContactPoint>,
}

#[derive(Serialize, Hash, Clone)]
struct ContactPoint {
    #[serde(rename = "@type")]
    kind: &'static str,
    url: String,
}

/// The publisher's Organization. The methodology page is both its
/// publishing principles and its fact-checking policy; the contact page is
/// its ContactPoint.
pub fn organization(site: &Site) -> Organization<'_> {
    let config = &site.config;
    let pages = crate::policy::transparency_pages(site);
    let page = |p: TransparencyPage| {
        pages
            .iter()
            .find(|(q, _)| *q == p)
            .map(|(_, url)| site.permalink(url))
    };
    Organization {
        context: None,
        kind: "Organization",
        name: &config.publisher.name,
        url: config.publisher.url.as_deref(),
        logo: config.publisher.logo.as_ref().map(|logo| Image {
            kind: "ImageObject",
            url: if logo.starts_with('/') {
                site.permalink(&site.url(logo.trim_start_matches('/')))
            } else {
                logo.clone()
            },
        }),
        publishing_principles: page(TransparencyPage::Methodology),
        verification_fact_checking_policy: page(TransparencyPage::Methodology),
        corrections_policy: page(TransparencyPage::CorrectionsPolicy),
        ownership_funding_info: page(TransparencyPage::OwnershipFunding),
        ethics_policy: page(TransparencyPage::Ethics),
        contact_point: page(TransparencyPage::Contact).map(|url| ContactPoint {
            kind: "ContactPoint",
            url,
        }),
    }
}

/// The Organization on its own, as the text of a
/// `<script type="application/ld+json">` (on the home page).
pub struct OrganizationLd<'a>(pub Organization<'a>);

impl Serialize for OrganizationLd<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut org = self.0.clone();
        org.context = Some("https://schema.org");
        s.serialize_str(&json::safe(&org))
    }
}

impl Hash for OrganizationLd<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

#[derive(Serialize, Hash, Clone)]
struct Image {
    #[serde(rename = "@type")]
    kind: &'static str,
    url: String,
}

#[derive(Serialize, Hash)]
struct Person<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

#[derive(Serialize, Hash)]
struct Rating<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "ratingValue", skip_serializing_if = "Option::is_none")]
    rating_value: Option<i64>,
    #[serde(rename = "bestRating", skip_serializing_if = "Option::is_none")]
    best_rating: Option<i64>,
    #[serde(rename = "worstRating", skip_serializing_if = "Option::is_none")]
    worst_rating: Option<i64>,
    #[serde(rename = "alternateName")]
    alternate_name: &'a str,
}

#[derive(Serialize, Hash)]
struct Claim<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<ClaimAuthor<'a>>,
    #[serde(rename = "datePublished", skip_serializing_if = "Option::is_none")]
    date_published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    appearance: Option<Work<'a>>,
    #[serde(rename = "firstAppearance", skip_serializing_if = "Option::is_none")]
    first_appearance: Option<Work<'a>>,
}

#[derive(Serialize, Hash)]
struct ClaimAuthor<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    #[serde(rename = "sameAs", skip_serializing_if = "Vec::is_empty")]
    same_as: Vec<&'a str>,
}

#[derive(Serialize, Hash, Clone)]
struct Work<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    url: &'a str,
    headline: &'a str,
    publisher: Publisher<'a>,
    #[serde(rename = "datePublished", skip_serializing_if = "Option::is_none")]
    date_published: Option<String>,
}

#[derive(Serialize, Hash, Clone)]
struct Publisher<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
}

/// The ClaimReview of brief `i`.
pub fn review(site: &Site, i: usize) -> ClaimReview<'_> {
    let node: &BriefNode = &site.briefs[i];
    let b = &node.brief;
    let config = &site.config;
    let publisher = Box::new(organization(site));
    let persons: Vec<Agent> = b
        .authors
        .iter()
        .filter_map(|id| config.authors.get(id))
        .map(|a| {
            Agent::Person(Person {
                kind: "Person",
                name: &a.name,
                url: a.url.as_deref(),
            })
        })
        .collect();
    ClaimReview {
        context: "https://schema.org",
        kind: "ClaimReview",
        url: site.permalink(&node.url),
        name: &b.title,
        claim_reviewed: &b.claim,
        date_published: b.date.iso(),
        date_modified: b.was_modified().then(|| b.modified().iso()),
        author: if persons.is_empty() {
            Authors::Publisher(publisher)
        } else {
            Authors::Many(
                std::iter::once(Agent::Organization(publisher))
                    .chain(persons)
                    .collect(),
            )
        },
        review_rating: rating(site, &b.verdict),
        item_reviewed: claim(site, node),
        correction: b
            .corrections
            .iter()
            .enumerate()
            .map(|(k, c)| CorrectionComment {
                kind: "CorrectionComment",
                correction_kind: c.kind.key(),
                name: c.kind.label(),
                text: &c.note,
                date_published: c.date.iso(),
                url: site.permalink(&site.url(&urls::correction(&b.slug, k + 1))),
            })
            .collect(),
    }
}

fn rating<'a>(site: &'a Site, key: &'a str) -> Rating<'a> {
    let verdict = site.config.verdict(key);
    let value = verdict.and_then(|v| v.rating);
    let ratings = || site.config.verdicts.iter().filter_map(|v| v.rating);
    Rating {
        kind: "Rating",
        rating_value: value,
        best_rating: value.map(|v| ratings().max().unwrap_or(v)),
        worst_rating: value.map(|v| ratings().min().unwrap_or(v)),
        alternate_name: verdict.map_or(key, |v| v.label.as_str()),
    }
}

fn claim<'a>(site: &'a Site, node: &'a BriefNode) -> Claim<'a> {
    let b = &node.brief;
    let author = site.claimants.get(&node.claimant).map(|c| {
        let p = &c.claimant;
        let mut same_as: Vec<&str> = p.same_as.iter().map(String::as_str).collect();
        if let Some(url) = &p.url {
            same_as.insert(0, url);
        }
        ClaimAuthor {
            kind: if p.kind == "organization" {
                "Organization"
            } else {
                "Person"
            },
            name: &p.name,
            same_as,
        }
    });
    let work = b
        .appearance
        .as_ref()
        .and_then(|id| site.sources.get(id))
        .map(|s| {
            let s = &s.source;
            Work {
                kind: "CreativeWork",
                url: &s.url,
                headline: &s.title,
                publisher: Publisher {
                    kind: "Organization",
                    name: &s.publisher,
                },
                date_published: s.published.map(|p| p.iso()),
            }
        });
    Claim {
        kind: "Claim",
        author,
        date_published: b.claim_date.map(|d| d.iso()),
        appearance: work.clone(),
        first_appearance: work,
    }
}

impl Serialize for super::views::JsonLd<'_> {
    /// As the text to print inside `<script type="application/ld+json">`.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&json::safe(&self.0))
    }
}

impl Hash for super::views::JsonLd<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

/// The view of `/claimreview.json`: every brief's review, newest first;
/// a retracted brief has none.
#[derive(Serialize, Hash)]
pub struct DataFeed<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    name: String,
    url: String,
    #[serde(rename = "dateModified")]
    date_modified: Option<String>,
    /// The site's `license:`, as a URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    license: Option<&'a str>,
    #[serde(rename = "dataFeedElement")]
    reviews: Vec<ClaimReview<'a>>,
}

/// The DataFeed of `site`.
pub fn data_feed(site: &Site) -> DataFeed<'_> {
    DataFeed {
        context: "https://schema.org",
        kind: "DataFeed",
        name: format!("{}: fact checks", site.config.title),
        url: site.permalink(&site.url(urls::CLAIMREVIEW_FEED)),
        date_modified: site
            .briefs
            .iter()
            .map(|n| n.brief.modified())
            .max()
            .map(|d| d.rfc3339()),
        license: site.config.license.as_ref().map(|l| l.url.as_str()),
        reviews: (0..site.briefs.len())
            .filter(|&i| site.briefs[i].brief.retraction().is_none())
            .map(|i| review(site, i))
            .collect(),
    }
}

impl DataFeed<'_> {
    /// The file.
    pub fn bytes(&self) -> Vec<u8> {
        json::safe(self).into_bytes()
    }
}
