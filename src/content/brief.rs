//! A fact-check brief: Markdown with YAML front matter (SPEC §2).

use super::correction::{self, Correction, Kind};
use super::source::{self, Source};
use crate::config::SiteConfig;
use crate::dates::Date;
use crate::diagnostics::{Diagnostic, suggest};
use crate::fields::Fields;
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
    /// File position (line, column) of `appearance`'s value.
    pub appearance_at: (usize, usize),
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
    /// File position (line, column) of each item of `related`.
    pub related_at: Vec<(usize, usize)>,
    /// Public corrections log, oldest first.
    pub corrections: Vec<Correction>,
    /// Whether the brief is a draft.
    pub draft: bool,
    /// File line where the body starts.
    pub body_line: usize,
    /// File position of the `sources` key (where rules about a brief's
    /// sources are reported).
    pub sources_at: (usize, usize),
    /// File position where the front matter starts (where rules about a
    /// missing key are reported).
    pub front_at: (usize, usize),
}

impl Brief {
    /// When the brief last changed: the newest of its publication date, its
    /// `updated` date and its corrections' dates. Pages, feeds, JSON-LD and
    /// the sitemap all give this one date.
    pub fn modified(&self) -> Date {
        self.corrections
            .iter()
            .map(|c| c.date)
            .chain(self.updated)
            .fold(self.date, Date::max)
    }

    /// Whether the brief changed after publication (an `updated` date or a
    /// correction).
    pub fn was_modified(&self) -> bool {
        self.updated.is_some() || !self.corrections.is_empty()
    }

    /// The retraction in its corrections log, if it was retracted.
    pub fn retraction(&self) -> Option<&Correction> {
        self.corrections.iter().find(|c| c.kind == Kind::Retraction)
    }

    /// Where the brief names source `id` (the id as written in `sources`);
    /// the file's start for an id the brief does not declare.
    pub fn source_pos(&self, id: &str) -> (usize, usize) {
        self.declared(id).map_or((1, 1), |d| d.id_at)
    }

    /// Where the declaration of source `id` starts (its item in `sources`).
    pub fn declaration_pos(&self, id: &str) -> (usize, usize) {
        self.declared(id).map_or((1, 1), |d| d.at)
    }

    fn declared(&self, id: &str) -> Option<&Declared> {
        self.sources.iter().find(|d| d.id == id)
    }

    /// Where `slug` is named in `related`; the file's start for a slug
    /// that is not there.
    pub fn related_pos(&self, slug: &str) -> (usize, usize) {
        self.related
            .iter()
            .zip(&self.related_at)
            .find(|(r, _)| *r == slug)
            .map_or((1, 1), |(_, at)| *at)
    }
}

/// A source named in a brief's `sources` list.
#[derive(Debug, Clone, PartialEq)]
pub struct Declared {
    /// Its id.
    pub id: String,
    /// The full source, when declared inline.
    pub inline: Option<std::sync::Arc<Source>>,
    /// File position (line, column) of its item in `sources`.
    pub at: (usize, usize),
    /// File position of the id as written (the item itself, or the value
    /// of an inline source's `id`).
    pub id_at: (usize, usize),
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
    let slug = f.slug(stem);
    let claim = f.text("claim", true);
    let claimant = f.text("claimant", true);
    let claim_date = f.date("claim_date", false);
    let appearance = f.text("appearance", false);
    let appearance_at = f.value_pos("appearance");
    let verdict = f
        .text("verdict", true)
        .and_then(|key| match config.verdict(&key) {
            Some(v) => {
                if let (Some(retired), Some(date)) = (v.retired_on, date)
                    && date.day >= retired.day
                {
                    let d = f
                        .error_at_value(
                            "verdict",
                            format!(
                                "verdict `{}` was retired on {}; a brief dated {} cannot use it",
                                v.key,
                                retired.iso(),
                                date.iso()
                            ),
                        )
                        .with_help(match &v.replaced_by {
                            Some(next) => format!("use its replacement, `{next}`"),
                            None => "choose a verdict of the current scale".to_string(),
                        });
                    f.push(d);
                }
                Some(v.key.clone())
            }
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
                let d = f
                    .error_at_value("verdict", format!("unknown verdict `{key}`"))
                    .with_help(help);
                f.push(d);
                None
            }
        });
    let summary = f.text("summary", false);
    let tags = f.list("tags");
    for tag in &tags {
        if slug::slugify(&tag.text).is_empty() {
            let d = tag.error(
                doc.file,
                format!("tag `{}` has no letters or digits", tag.text),
            );
            f.push(d);
        }
    }
    let authors = f.list("authors");
    for author in &authors {
        if !config.authors.contains_key(&author.text) {
            let help = suggest(&author.text, config.authors.keys().map(String::as_str))
                .unwrap_or_else(|| {
                    "authors are declared in site.yaml under `authors:`".to_string()
                });
            let d = author
                .error(doc.file, format!("unknown author `{}`", author.text))
                .with_help(help);
            f.push(d);
        }
    }
    let sources_at = f.key_pos("sources");
    let front_at = doc.start();
    let sources = declared_sources(&mut f);
    if sources.is_empty()
        && !f
            .diagnostics
            .iter()
            .any(|d| d.message.contains("`sources`"))
    {
        let d = f
            .error_at("sources", "a brief must declare at least one entry in `sources`")
            .with_help("list the ids of the sources the brief relies on, e.g. `sources: [wion-blinken-aid-threat]`");
        f.push(d);
    }
    let (related, related_at) = f
        .list("related")
        .into_iter()
        .map(|r| (r.text, r.at))
        .unzip();
    let corrections = correction::read(&mut f, config);
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
        appearance_at,
        verdict: verdict.unwrap_or_default(),
        summary,
        tags: tags.into_iter().map(|t| t.text).collect(),
        authors: authors.into_iter().map(|a| a.text).collect(),
        sources,
        related,
        related_at,
        corrections,
        draft,
        body_line,
        sources_at,
        front_at,
    });
    (brief, f.diagnostics)
}

fn declared_sources(f: &mut Fields<'_>) -> Vec<Declared> {
    let doc = f.doc();
    let Some(value) = f.take("sources") else {
        return Vec::new();
    };
    let items = match value.kind {
        yaml::Kind::Sequence(items) => items,
        _ => {
            let d = f.error_at(
                "sources",
                "`sources` must be a list of source ids or inline sources",
            );
            f.push(d);
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for item in items {
        let at = doc.pos(item.at);
        if let Some(id) = item.text() {
            if !slug::is_valid(id) {
                let d = doc
                    .error(
                        item.at,
                        format!(
                            "source id `{id}` must be lowercase letters, digits and single dashes"
                        ),
                    )
                    .with_help(format!(
                        "source ids are file stems of content/sources/, e.g. `{}`",
                        slug::slugify(id)
                    ));
                f.push(d);
                continue;
            }
            out.push(Declared {
                id: id.to_string(),
                inline: None,
                at,
                id_at: at,
            });
            continue;
        }
        let Some((id, id_at)) = item
            .get("id")
            .and_then(|n| Some((n.text()?.to_string(), doc.pos(n.at))))
        else {
            let d = doc
                .error(item.at, "an inline source needs an `id`")
                .with_help("write `- id: some-id` followed by url, title and publisher");
            f.push(d);
            continue;
        };
        let declared_at = format!("{}:{}", doc.file, at.0);
        let mut sf = Fields::read_nested(doc, item, source::INLINE_KEYS, "inline source");
        sf.take("id");
        if !slug::is_valid(&id) {
            let d = sf.error_at(
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
                at,
                id_at,
            });
        }
    }
    out
}
