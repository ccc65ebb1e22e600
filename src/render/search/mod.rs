//! The search index: written by the build under `/search/`, read by the
//! theme's `search/search.js` on any static host, with no server.
//!
//! It is split so that a query downloads only what it needs:
//!
//! ```text
//! search/index.json     the manifest: the first term of every term chunk,
//!                       the verdict scale, sizes, and a build hash
//! search/t/<i>.json     term chunk i: {"term": [postings…], …}; terms are
//!                       sorted, so a term's chunk is found by a binary search
//!                       of the manifest, and a prefix's terms lie in
//!                       consecutive chunks
//! search/m/<k>.json     the metadata of briefs k·META_CHUNK … (title, URL,
//!                       verdict, claimant and their page, date, claim), fetched only for
//!                       the hits shown
//! search/search.js      the script (a theme asset)
//! ```
//!
//! Briefs are numbered 0, 1, … newest first, drafts left out. A posting is
//! one integer, `gap · 16 + fields`: `gap` is the brief number minus the
//! previous posting's (the first counts from −1), and `fields` is a bit set
//! of where the term occurs, worth its bits in the ranking: [`TITLE`],
//! [`CLAIM`] (the claim and the claimant's name), [`SUMMARY`], [`BODY`].
//!
//! Terms are made the same way here and in the script: NFKD, combining
//! marks dropped, lowercase, then runs of letters and digits (Unicode's
//! Alphabetic and Numeric properties), each cut to [`MAX_TERM_CHARS`].
//! Terms are sorted by UTF-16 code units, the order of JavaScript's `<`.
//!
//! All text from YAML and Markdown is JSON string data; `<`, `>` and `&`
//! are written as `\u003c`, `\u003e`, `\u0026` so that no index file holds
//! markup even if someone inlines it into a page.

mod postings;

pub use postings::Index;

use super::json;
use crate::resolve::{BriefNode, Site};
use crate::urls;
use serde::Serialize;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;
use xxhash_rust::xxh3::{Xxh3, Xxh3Builder};

/// The field bit of a term in a brief's title.
pub const TITLE: u8 = 8;
/// The field bit of a term in the claim or the claimant's name.
pub const CLAIM: u8 = 4;
/// The field bit of a term in the summary.
pub const SUMMARY: u8 = 2;
/// The field bit of a term in the body.
pub const BODY: u8 = 1;
pub use crate::markdown::text::MAX_TERM_CHARS;
use crate::markdown::text::{fold, words};
/// A term chunk is closed once it holds about this many bytes (a single
/// term's postings may make one larger).
pub const TERM_CHUNK_BYTES: usize = 16 * 1024;
/// Briefs per metadata chunk.
pub const META_CHUNK: usize = 20;
/// Format version of the index, checked by the script.
pub const VERSION: u32 = 1;

/// `a < b` as JavaScript compares strings: by UTF-16 code units.
fn utf16_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// The terms of one brief with their field bits.
fn brief_terms(site: &Site, node: &BriefNode) -> Vec<(String, u8)> {
    let b = &node.brief;
    let texts = [
        (fold(&b.title), TITLE),
        (fold(&b.claim), CLAIM),
        (fold(site.claimant_name(node)), CLAIM),
        (b.summary.as_deref().map(fold).unwrap_or_default(), SUMMARY),
    ];
    let body = node.body.search_text();
    let mut fields: TermMap<&str, u8> = TermMap::default();
    for (text, bit) in &texts {
        for w in words(text) {
            *fields.entry(w).or_insert(0) |= bit;
        }
    }
    for w in words(&body) {
        *fields.entry(w).or_insert(0) |= BODY;
    }
    fields
        .into_iter()
        .map(|(w, bits)| (w.to_string(), bits))
        .collect()
}

#[derive(Serialize)]
struct Manifest<'a> {
    version: u32,
    build: String,
    docs: usize,
    meta_chunk: usize,
    max_term_chars: usize,
    verdicts: Vec<VerdictMeta<'a>>,
    chunks: Vec<&'a str>,
}

#[derive(Serialize)]
struct VerdictMeta<'a> {
    key: &'a str,
    label: &'a str,
    color: &'a str,
    url: String,
}

#[derive(Serialize)]
struct DocMeta<'a> {
    title: &'a str,
    url: &'a str,
    verdict: usize,
    claimant: &'a str,
    claimant_url: Option<&'a str>,
    claim: &'a str,
    date: String,
    date_display: String,
    /// Present (and `true`) only for a retracted brief.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    retracted: bool,
}

/// One chunk of terms and their postings, as a JSON object whose keys keep
/// the terms' order.
struct Chunk<'a>(Vec<&'a (&'a str, Vec<u64>)>);

impl Serialize for Chunk<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (term, postings) in &self.0 {
            map.serialize_entry(term, postings)?;
        }
        map.end()
    }
}

/// A hash map for terms (the keys are the site's own words).
type TermMap<K, V> = HashMap<K, V, Xxh3Builder>;

/// What the index is made of, to tell whether it changed without making
/// it: every field of every published brief that it reads.
pub fn fingerprint<H: Hasher>(site: &Site, state: &mut H) {
    for v in &site.config.verdicts {
        (&v.key, &v.label, &v.color).hash(state);
    }
    site.config.root.hash(state);
    for node in site.briefs.iter().filter(|n| !n.brief.draft) {
        let b = &node.brief;
        (&b.title, &b.claim, &b.summary, &b.verdict, &b.date).hash(state);
        b.retraction().is_some().hash(state);
        (&node.url, site.claimant_name(node)).hash(state);
        site.claimants
            .get(&node.claimant)
            .map(|c| &c.url)
            .hash(state);
        state.write_u128(node.body.hash);
    }
}

/// The files of the index, `(path relative to the output, bytes)`, in a
/// fixed order, made from scratch. Drafts are never indexed, even in a
/// build with drafts.
pub fn files(site: &Site) -> Files {
    Index::default().files(site, false)
}

/// The index's files: `(path relative to the output, bytes)`.
pub type Files = Vec<(String, Arc<[u8]>)>;

/// One chunk's JSON.
fn chunk_bytes(entries: &[(&str, Vec<u64>)]) -> Arc<[u8]> {
    let terms = Chunk(entries.iter().collect());
    json::safe(&terms).into_bytes().into()
}

/// Metadata chunk `k` of the published briefs `docs`.
fn meta_bytes(site: &Site, docs: &[Arc<BriefNode>]) -> Arc<[u8]> {
    let verdict_index = |key: &str| site.config.verdict_index(key).unwrap_or(0);
    let metas: Vec<DocMeta> = docs
        .iter()
        .map(|node| {
            let b = &node.brief;
            let claimant = site.claimants.get(&node.claimant);
            DocMeta {
                title: &b.title,
                url: &node.url,
                verdict: verdict_index(&b.verdict),
                claimant: claimant.map_or(b.claimant.as_str(), |c| c.claimant.name.as_str()),
                claimant_url: claimant.map(|c| c.url.as_str()),
                claim: &b.claim,
                date: b.date.iso(),
                date_display: b.date.display(),
                retracted: b.retraction().is_some(),
            }
        })
        .collect();
    json::safe(&metas).into_bytes().into()
}

/// The manifest, first of the files, for term chunks starting at `firsts`.
fn manifest(
    site: &Site,
    docs: usize,
    firsts: Vec<&str>,
    rest: &[(String, Arc<[u8]>)],
) -> (String, Arc<[u8]>) {
    let mut build = Xxh3::new();
    for (path, bytes) in rest {
        build.update(path.as_bytes());
        build.update(bytes);
    }
    let build = build.digest();
    let manifest = Manifest {
        version: VERSION,
        build: format!("{build:016x}"),
        docs,
        meta_chunk: META_CHUNK,
        max_term_chars: MAX_TERM_CHARS,
        verdicts: site
            .config
            .verdicts
            .iter()
            .map(|v| VerdictMeta {
                key: &v.key,
                label: &v.label,
                color: &v.color,
                url: site.url(&urls::verdict(&v.key)),
            })
            .collect(),
        chunks: firsts,
    };
    (
        urls::search_file("index.json"),
        json::safe(&manifest).into_bytes().into(),
    )
}

/// The bytes a term takes in its chunk's JSON, about: its quotes, colon,
/// brackets and comma, and each posting with its comma.
fn entry_size(term: &str, values: &[u64]) -> usize {
    term.len() + 6 + values.iter().map(|v| digits(*v) + 1).sum::<usize>()
}

/// Postings (`brief number · 16 + fields`, ascending) as the index writes
/// them: each brief number as its gap from the previous one (the first
/// counts from −1), times 16, plus the field bits.
fn encode(list: &[u32]) -> Vec<u64> {
    let mut prev: i64 = -1;
    list.iter()
        .map(|&p| {
            let doc = i64::from(p >> 4);
            let gap = (doc - prev) as u64;
            prev = doc;
            gap * 16 + u64::from(p & 15)
        })
        .collect()
}

/// Decimal digits of `n`.
fn digits(n: u64) -> usize {
    n.checked_ilog10().map_or(1, |d| d as usize + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_order_matches_javascript() {
        // U+FF5E sorts before an astral character in UTF-16, after it in UTF-8.
        assert_eq!(
            utf16_cmp("\u{ff5e}", "\u{1f600}"),
            std::cmp::Ordering::Greater
        );
        assert_eq!(utf16_cmp("ab", "abc"), std::cmp::Ordering::Less);
    }
}
