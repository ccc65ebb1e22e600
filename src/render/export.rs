//! The open data exports under `/api/`: every published brief as JSON
//! (`briefs.json`), the same flattened to CSV (`briefs.csv`), and a JSON
//! Schema of the JSON (`schema.json`).
//!
//! The contract (documented in `docs/output.md`):
//! - field names are stable: a new field may be added, none is renamed or
//!   removed without a new `version`;
//! - output is deterministic: briefs in the site's order (newest first,
//!   then by slug), no build time, so an unchanged site exports the same
//!   bytes;
//! - drafts never appear, even in a `--drafts` build;
//! - the site's `license:` is stated in both files.
//!
//! Text is escaped by the format's own writer (serde_json, the `csv`
//! crate). A CSV cell that a spreadsheet would read as a formula (one
//! starting with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a
//! leading `'`, the usual protection against formula injection; the JSON
//! keeps text exactly as written.

use super::json;
use crate::resolve::Site;
use crate::urls;
use serde::Serialize;

/// The version of the export's shape, in every file.
pub const VERSION: u32 = 1;

/// `/api/briefs.json`.
#[derive(Serialize, Hash)]
pub struct Export<'a> {
    version: u32,
    schema: String,
    site: SiteInfo<'a>,
    license: Option<License<'a>>,
    briefs: Vec<BriefRecord<'a>>,
}

#[derive(Serialize, Hash)]
struct SiteInfo<'a> {
    title: &'a str,
    url: String,
    publisher: &'a str,
}

#[derive(Serialize, Hash)]
struct License<'a> {
    id: &'a str,
    url: &'a str,
}

#[derive(Serialize, Hash)]
struct BriefRecord<'a> {
    id: &'a str,
    url: String,
    title: &'a str,
    claim: &'a str,
    claimant: Claimant<'a>,
    verdict: Verdict<'a>,
    date: String,
    updated: Option<String>,
    claim_date: Option<String>,
    summary: Option<&'a str>,
    tags: Vec<Tag<'a>>,
    corrections: Vec<Correction<'a>>,
    sources: Vec<SourceRecord<'a>>,
}

#[derive(Serialize, Hash)]
struct Claimant<'a> {
    id: &'a str,
    name: &'a str,
}

#[derive(Serialize, Hash)]
struct Verdict<'a> {
    key: &'a str,
    label: &'a str,
}

#[derive(Serialize, Hash)]
struct Tag<'a> {
    slug: &'a str,
    name: &'a str,
}

#[derive(Serialize, Hash)]
struct Correction<'a> {
    date: String,
    kind: &'static str,
    note: &'a str,
}

#[derive(Serialize, Hash)]
struct SourceRecord<'a> {
    id: &'a str,
    url: &'a str,
    archived_url: Option<&'a str>,
    title: &'a str,
    publisher: &'a str,
}

/// The export of `site`.
pub fn export(site: &Site) -> Export<'_> {
    let config = &site.config;
    let briefs = site
        .briefs
        .iter()
        .filter(|n| !n.brief.draft)
        .map(|node| {
            let b = &node.brief;
            let source = |id: &'_ String| {
                site.sources.get(id).map(|s| {
                    let s = &s.source;
                    SourceRecord {
                        id: &s.id,
                        url: &s.url,
                        archived_url: s.archived.as_deref(),
                        title: &s.title,
                        publisher: &s.publisher,
                    }
                })
            };
            BriefRecord {
                id: &b.slug,
                url: site.permalink(&node.url),
                title: &b.title,
                claim: &b.claim,
                claimant: Claimant {
                    id: &node.claimant,
                    name: site.claimant_name(node),
                },
                verdict: Verdict {
                    key: &b.verdict,
                    label: site.verdict_label(node),
                },
                date: b.date.iso(),
                updated: b.updated.map(|d| d.iso()),
                claim_date: b.claim_date.map(|d| d.iso()),
                summary: b.summary.as_deref(),
                tags: node
                    .tags
                    .iter()
                    .filter_map(|t| site.tags.get_key_value(t))
                    .map(|(slug, t)| Tag {
                        slug,
                        name: &t.name,
                    })
                    .collect(),
                corrections: b
                    .corrections
                    .iter()
                    .map(|c| Correction {
                        date: c.date.iso(),
                        kind: c.kind.key(),
                        note: &c.note,
                    })
                    .collect(),
                sources: node
                    .cited
                    .iter()
                    .map(|c| &c.id)
                    .chain(node.uncited.iter())
                    .filter_map(source)
                    .collect(),
            }
        })
        .collect();
    Export {
        version: VERSION,
        schema: site.permalink(&site.url(urls::EXPORT_SCHEMA)),
        site: SiteInfo {
            title: &config.title,
            url: site.permalink(&site.url(&urls::home(1))),
            publisher: &config.publisher.name,
        },
        license: config.license.as_ref().map(|l| License {
            id: &l.id,
            url: &l.url,
        }),
        briefs,
    }
}

impl Export<'_> {
    /// `/api/briefs.json`.
    pub fn json(&self) -> Vec<u8> {
        json::safe(self).into_bytes()
    }

    /// `/api/briefs.csv`: a header row, then one row per brief. Lists
    /// (tags, corrections, sources) are one item per line inside their
    /// cell; the source columns line up item by item (an empty line for a
    /// source without an archived copy).
    pub fn csv(&self) -> Vec<u8> {
        let mut w = csv::WriterBuilder::new()
            .quote_style(csv::QuoteStyle::Necessary)
            .from_writer(Vec::new());
        let license = self.license.as_ref().map_or("", |l| l.id);
        let mut rows: Vec<Vec<String>> = vec![CSV_COLUMNS.iter().map(|c| c.to_string()).collect()];
        for b in &self.briefs {
            let lines = |items: Vec<&str>| items.join("\n");
            rows.push(vec![
                b.id.to_string(),
                b.url.clone(),
                b.title.to_string(),
                b.claim.to_string(),
                b.claimant.id.to_string(),
                b.claimant.name.to_string(),
                b.verdict.key.to_string(),
                b.verdict.label.to_string(),
                b.date.clone(),
                b.updated.clone().unwrap_or_default(),
                b.claim_date.clone().unwrap_or_default(),
                b.summary.unwrap_or_default().to_string(),
                lines(b.tags.iter().map(|t| t.slug).collect()),
                b.corrections
                    .iter()
                    .map(|c| format!("{} {}: {}", c.date, c.kind, c.note))
                    .collect::<Vec<_>>()
                    .join("\n"),
                lines(b.sources.iter().map(|s| s.id).collect()),
                lines(b.sources.iter().map(|s| s.url).collect()),
                lines(
                    b.sources
                        .iter()
                        .map(|s| s.archived_url.unwrap_or(""))
                        .collect(),
                ),
                lines(b.sources.iter().map(|s| s.publisher).collect()),
                license.to_string(),
            ]);
        }
        for row in rows {
            // Writing to memory fails only on a bug in the writer.
            let _ = w.write_record(row.iter().map(|cell| protect(cell).into_owned()));
        }
        w.into_inner().unwrap_or_default()
    }
}

/// The columns of `/api/briefs.csv`, in order.
pub const CSV_COLUMNS: &[&str] = &[
    "id",
    "url",
    "title",
    "claim",
    "claimant_id",
    "claimant_name",
    "verdict_key",
    "verdict_label",
    "date",
    "updated",
    "claim_date",
    "summary",
    "tags",
    "corrections",
    "source_ids",
    "source_urls",
    "source_archived_urls",
    "source_publishers",
    "license",
];

/// A cell a spreadsheet would not run: one starting with a formula
/// character gets a leading `'`.
pub fn protect(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// `/api/schema.json`: a JSON Schema (draft 2020-12) of `/api/briefs.json`.
pub fn schema(site: &Site) -> Vec<u8> {
    let text = serde_json::json!({"type": "string"});
    let date = serde_json::json!({"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"});
    let url = serde_json::json!({"type": "string", "format": "uri"});
    let or_null = |v: &serde_json::Value| serde_json::json!({"anyOf": [v, {"type": "null"}]});
    let object = |properties: serde_json::Value| {
        let required: Vec<String> = properties
            .as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default();
        serde_json::json!({
            "type": "object",
            "properties": properties,
            "required": required,
            "additionalProperties": false,
        })
    };
    let source = object(serde_json::json!({
        "id": {"type": "string", "description": "The source's id on the site."},
        "url": url,
        "archived_url": or_null(&url),
        "title": text,
        "publisher": text,
    }));
    let brief = object(serde_json::json!({
        "id": {"type": "string", "description": "The brief's slug: stable, and the last part of its URL."},
        "url": url,
        "title": text,
        "claim": text,
        "claimant": object(serde_json::json!({"id": text, "name": text})),
        "verdict": object(serde_json::json!({
            "key": {"type": "string", "description": "The verdict's key in the site's scale."},
            "label": text,
        })),
        "date": date,
        "updated": or_null(&date),
        "claim_date": or_null(&date),
        "summary": or_null(&text),
        "tags": {"type": "array", "items": object(serde_json::json!({"slug": text, "name": text}))},
        "corrections": {"type": "array", "items": object(serde_json::json!({
            "date": date,
            "kind": {"enum": crate::content::correction::Kind::ALL.map(|k| k.key())},
            "note": text,
        }))},
        "sources": {"type": "array", "items": source},
    }));
    let mut root = object(serde_json::json!({
        "version": {"const": VERSION},
        "schema": url,
        "site": object(serde_json::json!({"title": text, "url": url, "publisher": text})),
        "license": or_null(&object(serde_json::json!({
            "id": {"type": "string", "description": "An SPDX licence id, or the licence's URL."},
            "url": url,
        }))),
        "briefs": {"type": "array", "items": brief},
    }));
    if let Some(o) = root.as_object_mut() {
        o.insert(
            "$schema".into(),
            "https://json-schema.org/draft/2020-12/schema".into(),
        );
        o.insert(
            "$id".into(),
            site.permalink(&site.url(urls::EXPORT_SCHEMA)).into(),
        );
        o.insert(
            "title".into(),
            format!("{}: published fact-check briefs", site.config.title).into(),
        );
    }
    json::safe(&root).into_bytes()
}

#[cfg(test)]
mod tests {
    #[test]
    fn formula_cells_are_protected() {
        for cell in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx"] {
            assert!(super::protect(cell).starts_with('\''), "{cell}");
        }
        assert_eq!(super::protect("plain"), "plain");
    }
}
