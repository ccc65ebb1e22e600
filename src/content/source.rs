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
    "quotes",
    "checked",
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
    "quotes",
    "checked",
];

/// What `verity sources check` found at a link: the states of the link
/// checker, also written back as `checked: {date, state}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LinkState {
    /// 2xx, possibly after redirects that change only the scheme or a trailing slash.
    Ok,
    /// 2xx after a redirect to another host or path.
    Redirected,
    /// The server refuses us (401, 403, 451, 999, a bot challenge, 429 after retries).
    Blocked,
    /// Gone: 404, 410, a host that does not resolve, a redirect loop, too many redirects.
    Dead,
    /// Could not tell this time: 5xx, a timeout, a reset, a TLS failure.
    Transient,
}

impl LinkState {
    /// Every state, in report order.
    pub const ALL: [LinkState; 5] = [
        LinkState::Ok,
        LinkState::Redirected,
        LinkState::Blocked,
        LinkState::Dead,
        LinkState::Transient,
    ];

    /// The name written in files and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            LinkState::Ok => "ok",
            LinkState::Redirected => "redirected",
            LinkState::Blocked => "blocked",
            LinkState::Dead => "dead",
            LinkState::Transient => "transient",
        }
    }

    /// The state named `name`.
    pub fn parse(name: &str) -> Option<LinkState> {
        LinkState::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

impl std::fmt::Display for LinkState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The last recorded check of a source's original address
/// (`checked: {date: YYYY-MM-DD, state: dead}`), written by
/// `verity sources check --record`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checked {
    /// The day of the check.
    pub date: Date,
    /// What it found.
    pub state: LinkState,
}

/// `checked` as written.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChecked {
    date: String,
    state: String,
}

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
    /// The exact words the briefs rely on, checked for drift by
    /// `verity sources check`.
    pub quotes: Vec<String>,
    /// The last recorded link check of `url`.
    pub checked: Option<Checked>,
}

impl Source {
    /// The fields that must agree when one id is declared in two places,
    /// as (name, value) pairs.
    pub fn comparable(&self) -> [(&'static str, String); 11] {
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
            ("quotes", self.quotes.join("\n")),
            (
                "checked",
                self.checked
                    .map(|c| format!("{} {}", c.date.iso(), c.state))
                    .unwrap_or_default(),
            ),
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
    let quotes = quotes(f);
    let checked = checked(f);
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
        quotes,
        checked,
    })
}

fn quotes(f: &mut Fields<'_>) -> Vec<String> {
    let file = f.doc().file;
    let mut out = Vec::new();
    for q in f.list("quotes") {
        if q.text.trim().is_empty() {
            f.push(q.error(file, "a quote must not be empty"));
        }
        out.push(q.text);
    }
    out
}

fn checked(f: &mut Fields<'_>) -> Option<Checked> {
    let value = f.take("checked")?;
    let help = "write `checked: {date: YYYY-MM-DD, state: ok}`, or let `verity sources check --record` write it";
    let raw = match crate::yaml::from_node::<RawChecked>(&value) {
        Ok(raw) => raw,
        Err(message) => {
            let d = f
                .error_at("checked", format!("`checked`: {message}"))
                .with_help(help);
            f.push(d);
            return None;
        }
    };
    let date = match Date::parse(&raw.date) {
        Ok(date) => Some(date),
        Err(message) => {
            let d = f.error_in(
                "checked",
                value.get("date"),
                format!("`checked.date`: {message}"),
            );
            f.push(d);
            None
        }
    };
    let state = LinkState::parse(raw.state.trim());
    if state.is_none() {
        let names: Vec<&str> = LinkState::ALL.iter().map(|s| s.as_str()).collect();
        let help = crate::diagnostics::suggest(&raw.state, names.iter().copied())
            .unwrap_or_else(|| format!("use one of: {}", names.join(", ")));
        let d = f
            .error_in(
                "checked",
                value.get("state"),
                format!("unknown link state `{}` in `checked`", raw.state),
            )
            .with_help(help);
        f.push(d);
    }
    Some(Checked {
        date: date?,
        state: state?,
    })
}
