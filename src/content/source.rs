//! A cited article or document: `content/sources/<id>.yaml`, or declared
//! inline in a brief's `sources` list (SPEC §3).

use crate::dates::Date;
use crate::fields::Fields;

/// The kinds of source SPEC §3 allows.
pub const KINDS: &[&str] = &[
    "article",
    "interview",
    "report",
    "dataset",
    "statement",
    "social-post",
    "video",
];

/// The keys of a source file.
pub const KEYS: &[&str] = &[
    "url",
    "title",
    "publisher",
    "author",
    "published",
    "accessed",
    "archived",
    "kind",
    "notes",
];

/// The keys of an inline source: those of a file, plus its `id`.
pub const INLINE_KEYS: &[&str] = &[
    "id",
    "url",
    "title",
    "publisher",
    "author",
    "published",
    "accessed",
    "archived",
    "kind",
    "notes",
];

/// One source, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    /// The id other files cite it by.
    pub id: String,
    /// Where it was declared: `file:line`, for messages.
    pub declared_at: String,
    /// The article's address (http or https).
    pub url: String,
    /// Its headline.
    pub title: String,
    /// Who published it.
    pub publisher: String,
    /// Who wrote it.
    pub author: Option<String>,
    /// When it was published.
    pub published: Option<Date>,
    /// When the desk read it.
    pub accessed: Option<Date>,
    /// An archived copy (http or https).
    pub archived: Option<String>,
    /// One of [`KINDS`].
    pub kind: String,
    /// The desk's notes on it.
    pub notes: Option<String>,
}

impl Source {
    /// The fields that must agree when one id is declared in two places,
    /// as (name, value) pairs.
    pub fn comparable(&self) -> [(&'static str, String); 9] {
        let date = |d: &Option<Date>| d.map(|d| d.iso()).unwrap_or_default();
        [
            ("url", self.url.clone()),
            ("title", self.title.clone()),
            ("publisher", self.publisher.clone()),
            ("author", self.author.clone().unwrap_or_default()),
            ("published", date(&self.published)),
            ("accessed", date(&self.accessed)),
            ("archived", self.archived.clone().unwrap_or_default()),
            ("kind", self.kind.clone()),
            ("notes", self.notes.clone().unwrap_or_default()),
        ]
    }
}

/// Reads the source fields left in `f` (the caller took `id` already).
/// `None` when a required field is missing or wrong; the reasons are in `f`.
pub fn from_fields(f: &mut Fields<'_>, id: &str, declared_at: String) -> Option<Source> {
    let url = f.url("url", true);
    let title = f.text("title", true);
    let publisher = f.text("publisher", true);
    let author = f.text("author", false);
    let published = f.date("published", false);
    let accessed = f.date("accessed", false);
    let archived = f.url("archived", false);
    let notes = f.text("notes", false);
    let kind = match f.text("kind", false) {
        None => Some("article".to_string()),
        Some(kind) if KINDS.contains(&kind.as_str()) => Some(kind),
        Some(kind) => {
            let help = crate::diagnostics::suggest(&kind, KINDS.iter().copied())
                .unwrap_or_else(|| format!("use one of: {}", KINDS.join(", ")));
            let d = f
                .error_at_value("kind", format!("unknown source kind `{kind}`"))
                .with_help(help);
            f.push(d);
            None
        }
    };
    Some(Source {
        id: id.to_string(),
        declared_at,
        url: url?,
        title: title?,
        publisher: publisher?,
        author,
        published,
        accessed,
        archived,
        kind: kind?,
        notes,
    })
}
