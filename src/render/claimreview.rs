//! schema.org ClaimReview structured data: one JSON-LD object per brief
//! (in the brief page's head) and the `/claimreview.json` DataFeed of all.
//!
//! The JSON is made with serde_json, so any claim text stays valid JSON;
//! `<`, `>` and `&` are then written as `\u003c`, `\u003e`, `\u0026`, so no
//! text can close the `<script>` element or open a comment in it.

use crate::resolve::{BriefNode, Site};
use serde_json::{Map, Value, json};

/// The ClaimReview of brief `i`.
pub fn review(site: &Site, i: usize) -> Value {
    let node: &BriefNode = &site.briefs[i];
    let b = &node.brief;
    let config = &site.config;
    let mut review = Map::new();
    review.insert("@context".into(), json!("https://schema.org"));
    review.insert("@type".into(), json!("ClaimReview"));
    review.insert("url".into(), json!(site.permalink(&node.url)));
    review.insert("name".into(), json!(b.title));
    review.insert("claimReviewed".into(), json!(b.claim));
    review.insert("datePublished".into(), json!(b.date.iso()));
    if let Some(updated) = b.updated {
        review.insert("dateModified".into(), json!(updated.iso()));
    }
    let mut publisher = Map::new();
    publisher.insert("@type".into(), json!("Organization"));
    publisher.insert("name".into(), json!(config.publisher.name));
    if let Some(url) = &config.publisher.url {
        publisher.insert("url".into(), json!(url));
    }
    if let Some(logo) = &config.publisher.logo {
        let logo = if logo.starts_with('/') {
            site.permalink(&site.url(logo.trim_start_matches('/')))
        } else {
            logo.clone()
        };
        publisher.insert("logo".into(), json!({"@type": "ImageObject", "url": logo}));
    }
    let persons: Vec<Value> = b
        .authors
        .iter()
        .filter_map(|id| config.authors.get(id))
        .map(|a| {
            let mut p = Map::new();
            p.insert("@type".into(), json!("Person"));
            p.insert("name".into(), json!(a.name));
            if let Some(url) = &a.url {
                p.insert("url".into(), json!(url));
            }
            Value::Object(p)
        })
        .collect();
    let author = if persons.is_empty() {
        Value::Object(publisher)
    } else {
        Value::Array(
            std::iter::once(Value::Object(publisher))
                .chain(persons)
                .collect(),
        )
    };
    review.insert("author".into(), author);
    review.insert("reviewRating".into(), rating(site, &b.verdict));
    review.insert("itemReviewed".into(), claim(site, node));
    Value::Object(review)
}

fn rating(site: &Site, key: &str) -> Value {
    let scale = &site.config.verdicts;
    let verdict = site.config.verdict(key);
    let label = verdict.map_or(key, |v| v.label.as_str());
    match verdict.and_then(|v| v.rating) {
        Some(value) => {
            let ratings = scale.iter().filter_map(|v| v.rating);
            let best = ratings.clone().max().unwrap_or(value);
            let worst = ratings.min().unwrap_or(value);
            json!({"@type": "Rating", "ratingValue": value, "bestRating": best, "worstRating": worst, "alternateName": label})
        }
        None => json!({"@type": "Rating", "alternateName": label}),
    }
}

fn claim(site: &Site, node: &BriefNode) -> Value {
    let b = &node.brief;
    let mut claim = Map::new();
    claim.insert("@type".into(), json!("Claim"));
    if let Some(c) = site.claimants.get(&node.claimant) {
        let p = &c.claimant;
        let kind = if p.kind == "organization" {
            "Organization"
        } else {
            "Person"
        };
        let mut author = Map::new();
        author.insert("@type".into(), json!(kind));
        author.insert("name".into(), json!(p.name));
        let mut same_as: Vec<&str> = p.same_as.iter().map(String::as_str).collect();
        if let Some(url) = &p.url {
            same_as.insert(0, url);
        }
        if !same_as.is_empty() {
            author.insert("sameAs".into(), json!(same_as));
        }
        claim.insert("author".into(), Value::Object(author));
    }
    if let Some(d) = b.claim_date {
        claim.insert("datePublished".into(), json!(d.iso()));
    }
    if let Some(s) = b.appearance.as_ref().and_then(|id| site.sources.get(id)) {
        let s = &s.source;
        let mut work = Map::new();
        work.insert("@type".into(), json!("CreativeWork"));
        work.insert("url".into(), json!(s.url));
        work.insert("headline".into(), json!(s.title));
        work.insert(
            "publisher".into(),
            json!({"@type": "Organization", "name": s.publisher}),
        );
        if let Some(p) = s.published {
            work.insert("datePublished".into(), json!(p.iso()));
        }
        claim.insert("appearance".into(), Value::Object(work.clone()));
        claim.insert("firstAppearance".into(), Value::Object(work));
    }
    Value::Object(claim)
}

/// JSON safe to place inside `<script type="application/ld+json">`.
pub fn script_safe(value: &Value) -> String {
    let text = serde_json::to_string(value).unwrap_or_else(|_| "{}".to_string());
    text.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// `/claimreview.json`: a DataFeed of every brief's review, newest first.
pub fn data_feed(site: &Site) -> Vec<u8> {
    let modified = site
        .briefs
        .iter()
        .map(|n| n.brief.updated.unwrap_or(n.brief.date))
        .max()
        .map(|d| d.rfc3339());
    // Written element by element, so only one review is held at a time.
    let head = json!({
        "@context": "https://schema.org",
        "@type": "DataFeed",
        "name": format!("{}: fact checks", site.config.title),
        "url": site.permalink(&site.url("claimreview.json")),
        "dateModified": modified,
    });
    let mut bytes = serde_json::to_vec(&head).unwrap_or_default();
    bytes.pop(); // the closing brace
    bytes.extend_from_slice(b",\"dataFeedElement\":[");
    for i in 0..site.briefs.len() {
        if i > 0 {
            bytes.push(b',');
        }
        bytes.push(b'\n');
        let _ = serde_json::to_writer(&mut bytes, &review(site, i));
    }
    bytes.extend_from_slice(b"\n]}\n");
    bytes
}

#[cfg(test)]
mod tests {
    #[test]
    fn script_safe_cannot_close_the_script() {
        let v = serde_json::json!({"claim": "</script><!-- \"x\" & y"});
        let s = super::script_safe(&v);
        assert!(!s.contains("</") && !s.contains("<!--"));
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }
}
