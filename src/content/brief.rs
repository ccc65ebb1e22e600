//! A fact-check brief: Markdown with YAML front matter (SPEC §2).

use super::source::{self, Source};
use crate::config::SiteConfig;
use crate::dates::Date;
use crate::diagnostics::{Diagnostic, suggest};
use crate::fields::{Doc, Fields};
use crate::{slug, yaml};

/// The front-matter keys of a brief.
pub const KEYS: &[&str] = &[
    "title",
    "date",
    "updated",
    "slug",
    "claim",
    "claimant",
    "claim_date",
    "appearance",
    "verdict",
    "summary",
    "tags",
    "authors",
    "sources",
    "related",
    "corrections",
    "draft",
];

/// One brief, validated on its own (links to other files are checked in
/// `resolve`).
#[derive(Debug, Clone, PartialEq)]
pub struct Brief {
    /// Path relative to the site root, e.g. `content/briefs/2025/x.md`.
    pub file: String,
    /// URL segment.
    pub slug: String,
    /// Headline.
    pub title: String,
    /// Publication date.
    pub date: Date,
    /// Last substantive update.
    pub updated: Option<Date>,
    /// The claim under review.
    pub claim: String,
    /// Who made it: a claimant id or name, as written.
    pub claimant: String,
    /// When the claim was made.
    pub claim_date: Option<Date>,
    /// Source id where the claim appeared.
    pub appearance: Option<String>,
    /// Verdict key, as in the scale (canonical case).
    pub verdict: String,
    /// One-paragraph summary.
    pub summary: Option<String>,
    /// Tags, as written.
    pub tags: Vec<String>,
    /// Author ids from `site.yaml`.
    pub authors: Vec<String>,
    /// Sources the brief may cite, in declaration order.
    pub sources: Vec<Declared>,
    /// Slugs of related briefs.
    pub related: Vec<String>,
    /// Public corrections log, oldest first.
    pub corrections: Vec<Correction>,
    /// Whether the brief is a draft.
    pub draft: bool,
    /// File line where the body starts.
    pub body_line: usize,
    /// The front-matter text, to place later errors on the right line.
    pub front: String,
    /// File line where the front matter starts.
    pub front_line: usize,
}

impl Brief {
    /// The front matter as a positioned document.
    pub fn doc(&self) -> Doc<'_> {
        Doc {
            file: &self.file,
            text: &self.front,
            first_line: self.front_line,
        }
    }
}

/// A source named in a brief's `sources` list.
#[derive(Debug, Clone, PartialEq)]
pub struct Declared {
    /// Its id.
    pub id: String,
    /// The full source, when declared inline.
    pub inline: Option<std::sync::Arc<Source>>,
}

/// One entry of the corrections log.
#[derive(Debug, Clone, PartialEq)]
pub struct Correction {
    /// When the correction was made.
    pub date: Date,
    /// What was corrected.
    pub note: String,
}

/// A corrections entry as written.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCorrection {
    date: String,
    note: String,
}

/// Validates one brief's front matter; `stem` is the file stem.
pub fn from_fields(
    mut f: Fields<'_>,
    stem: &str,
    config: &SiteConfig,
    body_line: usize,
) -> (Option<Brief>, Vec<Diagnostic>) {
    let doc = f.doc();
    let title = f.text("title", true);
    let date = f.date("date", true);
    let updated = f.date("updated", false);
    let slug = match f.text("slug", false) {
        Some(s) if slug::is_valid(&s) => s,
        Some(s) => {
            let d = doc
                .error_at(
                    "slug",
                    format!("slug `{s}` must be lowercase letters, digits and single dashes"),
                )
                .with_help(format!("use `{}`", slug::slugify(&s)));
            f.push(d);
            slug::slugify(&s)
        }
        None => slug::slugify(stem),
    };
    let claim = f.text("claim", true);
    let claimant = f.text("claimant", true);
    let claim_date = f.date("claim_date", false);
    let appearance = f.text("appearance", false);
    let verdict = f
        .text("verdict", true)
        .and_then(|key| match config.verdict(&key) {
            Some(v) => Some(v.key.clone()),
            None => {
                let keys = config.verdicts.iter().map(|v| v.key.as_str());
                let help = suggest(&key, keys).unwrap_or_else(|| {
                    format!(
                        "use one of: {}",
                        config
                            .verdicts
                            .iter()
                            .map(|v| v.key.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                });
                let d = doc
                    .error_at_value("verdict", key.trim(), format!("unknown verdict `{key}`"))
                    .with_help(help);
                f.push(d);
                None
            }
        });
    let summary = f.text("summary", false);
    let tags = f.list("tags");
    for tag in &tags {
        if slug::slugify(tag).is_empty() {
            let d =
                doc.error_at_value("tags", tag, format!("tag `{tag}` has no letters or digits"));
            f.push(d);
        }
    }
    let authors = f.list("authors");
    for author in &authors {
        if !config.authors.contains_key(author) {
            let help =
                suggest(author, config.authors.keys().map(String::as_str)).unwrap_or_else(|| {
                    "authors are declared in site.yaml under `authors:`".to_string()
                });
            let d = doc
                .error_at_value("authors", author, format!("unknown author `{author}`"))
                .with_help(help);
            f.push(d);
        }
    }
    let sources = declared_sources(&mut f);
    if sources.is_empty()
        && !f
            .diagnostics
            .iter()
            .any(|d| d.message.contains("`sources`"))
    {
        let d = doc
            .error_at("sources", "a brief must declare at least one entry in `sources`")
            .with_help("list the ids of the sources the brief relies on, e.g. `sources: [wion-blinken-aid-threat]`");
        f.push(d);
    }
    let related = f.list("related");
    let corrections = corrections(&mut f);
    let draft = f.flag("draft");
    let ok = title.is_some()
        && date.is_some()
        && claim.is_some()
        && claimant.is_some()
        && verdict.is_some();
    let brief = ok.then(|| Brief {
        file: doc.file.to_string(),
        slug,
        title: title.unwrap_or_default(),
        date: date.unwrap_or(Date {
            day: jiff::civil::date(1970, 1, 1),
            instant: None,
        }),
        updated,
        claim: claim.unwrap_or_default(),
        claimant: claimant.unwrap_or_default(),
        claim_date,
        appearance,
        verdict: verdict.unwrap_or_default(),
        summary,
        tags,
        authors,
        sources,
        related,
        corrections,
        draft,
        body_line,
        front: doc.text.to_string(),
        front_line: doc.first_line,
    });
    (brief, f.diagnostics)
}

fn declared_sources(f: &mut Fields<'_>) -> Vec<Declared> {
    let doc = f.doc();
    let Some(value) = f.take("sources") else {
        return Vec::new();
    };
    let items = match value {
        yaml::Value::Sequence(items) => items,
        _ => {
            let d = doc.error_at(
                "sources",
                "`sources` must be a list of source ids or inline sources",
            );
            f.push(d);
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for item in items {
        if let Some(id) = yaml::scalar_text(&item) {
            if !slug::is_valid(&id) {
                let d = doc
                    .error_at_value(
                        "sources",
                        &id,
                        format!(
                            "source id `{id}` must be lowercase letters, digits and single dashes"
                        ),
                    )
                    .with_help(format!(
                        "source ids are file stems of content/sources/, e.g. `{}`",
                        slug::slugify(&id)
                    ));
                f.push(d);
                continue;
            }
            out.push(Declared { id, inline: None });
            continue;
        }
        let id = match &item {
            yaml::Value::Mapping(m) => m.get("id").and_then(yaml::scalar_text),
            _ => None,
        };
        let Some(id) = id else {
            let d = doc
                .error_at("sources", "an inline source needs an `id`")
                .with_help("write `- id: some-id` followed by url, title and publisher");
            f.push(d);
            continue;
        };
        let sub = entry_doc(doc, &id);
        let declared_at = format!("{}:{}", doc.file, sub.first_line);
        let mut sf = Fields::read(sub, item, source::INLINE_KEYS, "inline source");
        sf.take("id");
        if !slug::is_valid(&id) {
            let d = sub.error_at(
                "id",
                format!("source id `{id}` must be lowercase letters, digits and single dashes"),
            );
            sf.push(d);
        }
        let inline = source::from_fields(&mut sf, &id, declared_at);
        f.diagnostics.append(&mut sf.diagnostics);
        if let Some(inline) = inline {
            out.push(Declared {
                id,
                inline: Some(std::sync::Arc::new(inline)),
            });
        }
    }
    out
}

/// The lines of the inline source `id` inside the `sources` block, so its
/// keys are found on their own lines.
fn entry_doc<'a>(doc: Doc<'a>, id: &str) -> Doc<'a> {
    let lines: Vec<&str> = doc.text.lines().collect();
    // The line `id: <id>` exactly (not `id: <id>-more`), else the first
    // line containing it.
    let exact = lines.iter().position(|l| {
        let t = l.trim_start();
        let t = t.strip_prefix("- ").map_or(t, str::trim_start);
        t.strip_prefix("id:").is_some_and(|v| {
            let v = v.split(" #").next().unwrap_or("").trim();
            v.trim_matches(|c| c == '"' || c == '\'') == id
        })
    });
    let id_index = exact
        .unwrap_or_else(|| {
            let (line, _) = doc.value_pos("sources", &format!("id: {id}"));
            line.saturating_sub(doc.first_line)
        })
        .min(lines.len().saturating_sub(1));
    let start = (0..=id_index)
        .rev()
        .find(|&i| lines[i].trim_start().starts_with("- "))
        .unwrap_or(id_index);
    let indent = lines[start].len() - lines[start].trim_start().len();
    let end = (start + 1..lines.len())
        .find(|&i| {
            let l = lines[i];
            let ind = l.len() - l.trim_start().len();
            !l.trim().is_empty()
                && (ind < indent || (ind == indent && l.trim_start().starts_with('-')))
        })
        .unwrap_or(lines.len());
    let from: usize = lines[..start].iter().map(|l| l.len() + 1).sum();
    let to: usize = from + lines[start..end].iter().map(|l| l.len() + 1).sum::<usize>();
    Doc {
        file: doc.file,
        text: &doc.text[from.min(doc.text.len())..to.min(doc.text.len())],
        first_line: doc.first_line + start,
    }
}

fn corrections(f: &mut Fields<'_>) -> Vec<Correction> {
    let doc = f.doc();
    let Some(value) = f.take("corrections") else {
        return Vec::new();
    };
    match yaml::from_value::<Vec<RawCorrection>>(value) {
        Ok(list) => {
            let mut out = Vec::new();
            for c in list {
                match Date::parse(&c.date) {
                    Ok(date) => out.push(Correction { date, note: c.note }),
                    Err(message) => {
                        let d = doc.error_at_value(
                            "corrections",
                            c.date.trim(),
                            format!("correction date: {message}"),
                        );
                        f.push(d);
                    }
                }
            }
            out
        }
        Err(message) => {
            let d = doc
                .error_at("corrections", format!("`corrections`: {message}"))
                .with_help("write each entry as `- date: YYYY-MM-DD` and `note: \"…\"`");
            f.push(d);
            Vec::new()
        }
    }
}
