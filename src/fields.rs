//! Typed reading of a YAML mapping (front matter, a source file, `site.yaml`,
//! an inline source) that reports every problem of the document, each at
//! the position the parser recorded for the key or value concerned.

use crate::dates::Date;
use crate::diagnostics::{Diagnostic, suggest};
use crate::yaml::{Kind, Node, Pos};

/// Where a YAML text sits in its file.
#[derive(Debug, Clone, Copy)]
pub struct Doc<'a> {
    /// The file, relative to the site root.
    pub file: &'a str,
    /// The file line of the text's first line (1 for a whole-file YAML).
    pub first_line: usize,
}

impl Doc<'_> {
    /// The file position of a position in the YAML text.
    pub fn pos(&self, at: Pos) -> (usize, usize) {
        (self.first_line + at.line.saturating_sub(1), at.col)
    }

    /// Where problems of the whole document are reported: the opening `---`
    /// of front matter, line 1 of a whole-file YAML.
    pub fn start(&self) -> (usize, usize) {
        (self.first_line.saturating_sub(1).max(1), 1)
    }

    /// An error at a position in the YAML text.
    pub fn error(&self, at: Pos, message: impl Into<String>) -> Diagnostic {
        let (line, col) = self.pos(at);
        Diagnostic::error(self.file, line, col, message)
    }
}

/// A text read from a list, with the file position of its item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// The item's text as written.
    pub text: String,
    /// Its file position (line, column).
    pub at: (usize, usize),
}

impl Located {
    /// An error at this item of `file`.
    pub fn error(&self, file: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(file, self.at.0, self.at.1, message)
    }
}

/// One key of the mapping; the value is gone once taken, its position stays.
struct Entry {
    key: String,
    key_at: Pos,
    value_at: Pos,
    value: Option<Node>,
}

/// The keys of one mapping, taken one by one with their problems recorded.
pub struct Fields<'a> {
    doc: Doc<'a>,
    /// Where a missing key is reported.
    at: (usize, usize),
    entries: Vec<Entry>,
    /// Every problem found so far in this document.
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> Fields<'a> {
    /// Reads a whole document as a mapping whose keys must all be in
    /// `known`. `what` names the document in messages ("front matter",
    /// "source"). Missing keys are reported at [`Doc::start`].
    pub fn read(doc: Doc<'a>, value: Node, known: &[&str], what: &str) -> Fields<'a> {
        Fields::read_at(doc, doc.start(), value, known, what)
    }

    /// Reads a mapping inside a document (an inline source); missing keys
    /// are reported where the mapping starts.
    pub fn read_nested(doc: Doc<'a>, value: Node, known: &[&str], what: &str) -> Fields<'a> {
        Fields::read_at(doc, doc.pos(value.at), value, known, what)
    }

    fn read_at(
        doc: Doc<'a>,
        at: (usize, usize),
        value: Node,
        known: &[&str],
        what: &str,
    ) -> Fields<'a> {
        let mut fields = Fields {
            doc,
            at,
            entries: Vec::new(),
            diagnostics: Vec::new(),
        };
        let pairs = match value.kind {
            Kind::Mapping(pairs) => pairs,
            Kind::Null => Vec::new(),
            _ => {
                fields.diagnostics.push(
                    doc.error(
                        value.at,
                        format!("the {what} must be a mapping of `key: value` lines"),
                    )
                    .with_help(format!(
                        "write one `key: value` per line; known keys: {}",
                        known.join(", ")
                    )),
                );
                return fields;
            }
        };
        for (key, value) in pairs {
            let Some(name) = key.text() else {
                fields
                    .diagnostics
                    .push(doc.error(key.at, format!("the {what} has a key that is not text")));
                continue;
            };
            if fields.entries.iter().any(|e| e.key == name) {
                // The parser refuses a key written twice the same way; this
                // is the same key quoted differently (`title` and "title").
                fields
                    .diagnostics
                    .push(doc.error(key.at, format!("`{name}` appears twice in the {what}")));
            } else if known.contains(&name) {
                fields.entries.push(Entry {
                    key: name.to_string(),
                    key_at: key.at,
                    value_at: value.at,
                    value: Some(value),
                });
            } else {
                let help = suggest(name, known.iter().copied())
                    .unwrap_or_else(|| format!("known keys: {}", known.join(", ")));
                let d = doc
                    .error(key.at, format!("unknown key `{name}` in the {what}"))
                    .with_help(help);
                fields.diagnostics.push(d);
            }
        }
        fields
    }

    /// The document these fields come from.
    pub fn doc(&self) -> Doc<'a> {
        self.doc
    }

    /// Records a problem found by the caller.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    fn entry(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.key == key)
    }

    /// The file position of `key`, or where the mapping starts when absent.
    pub fn key_pos(&self, key: &str) -> (usize, usize) {
        self.entry(key).map_or(self.at, |e| self.doc.pos(e.key_at))
    }

    /// The file position of the value of `key` (also once taken), or where
    /// the mapping starts when absent.
    pub fn value_pos(&self, key: &str) -> (usize, usize) {
        self.entry(key)
            .map_or(self.at, |e| self.doc.pos(e.value_at))
    }

    /// An error at `key`.
    pub fn error_at(&self, key: &str, message: impl Into<String>) -> Diagnostic {
        let (line, col) = self.key_pos(key);
        Diagnostic::error(self.doc.file, line, col, message)
    }

    /// An error at the value of `key`.
    pub fn error_at_value(&self, key: &str, message: impl Into<String>) -> Diagnostic {
        let (line, col) = self.value_pos(key);
        Diagnostic::error(self.doc.file, line, col, message)
    }

    /// An error at `node`, a part of the value of `key`; at `key` when the
    /// part is missing.
    pub fn error_in(
        &self,
        key: &str,
        node: Option<&Node>,
        message: impl Into<String>,
    ) -> Diagnostic {
        match node {
            Some(node) => self.doc.error(node.at, message),
            None => self.error_at(key, message),
        }
    }

    /// Removes and returns the value of `key`; null counts as absent.
    pub fn take(&mut self, key: &str) -> Option<Node> {
        let entry = self.entries.iter_mut().find(|e| e.key == key)?;
        entry.value.take().filter(|value| !value.is_null())
    }

    /// Text of `key` (booleans and numbers as written).
    pub fn text(&mut self, key: &str, required: bool) -> Option<String> {
        match self.take(key) {
            Some(value) => match value.text() {
                Some(s) if !(required && s.trim().is_empty()) => Some(s.to_string()),
                Some(_) => {
                    let d = self.error_at(key, format!("`{key}` must not be empty"));
                    self.push(d);
                    None
                }
                None => {
                    let d =
                        self.error_at(key, format!("`{key}` must be text, not a list or mapping"));
                    self.push(d);
                    None
                }
            },
            None => {
                if required {
                    self.missing(key);
                }
                None
            }
        }
    }

    /// The `slug` of a brief or page: as written when it is lowercase
    /// letters, digits and single dashes (otherwise an error suggesting the
    /// slugified form, which is used meanwhile), else the slugified `stem`
    /// of its file.
    pub fn slug(&mut self, stem: &str) -> String {
        match self.text("slug", false) {
            Some(s) if crate::slug::is_valid(&s) => s,
            Some(s) => {
                let d = self
                    .error_at(
                        "slug",
                        format!("slug `{s}` must be lowercase letters, digits and single dashes"),
                    )
                    .with_help(format!("use `{}`", crate::slug::slugify(&s)));
                self.push(d);
                crate::slug::slugify(&s)
            }
            None => crate::slug::slugify(stem),
        }
    }

    /// A date (`YYYY-MM-DD` or RFC 3339) at `key`.
    pub fn date(&mut self, key: &str, required: bool) -> Option<Date> {
        let text = self.text(key, required)?;
        match Date::parse(&text) {
            Ok(date) => Some(date),
            Err(message) => {
                let d = self.error_at_value(key, message);
                self.push(d);
                None
            }
        }
    }

    /// An http(s) URL at `key`.
    pub fn url(&mut self, key: &str, required: bool) -> Option<String> {
        let text = self.text(key, required)?;
        match check_http_url(&text) {
            Ok(()) => Some(text.trim().to_string()),
            Err(message) => {
                let d = self
                    .error_at_value(key, format!("`{key}`: {message}"))
                    .with_help("write the full address, starting with https:// or http://");
                self.push(d);
                None
            }
        }
    }

    /// A list of texts at `key` (a single text counts as a list of one),
    /// each with its position.
    pub fn list(&mut self, key: &str) -> Vec<Located> {
        let doc = self.doc;
        let located = |node: &Node| {
            node.text().map(|text| Located {
                text: text.to_string(),
                at: doc.pos(node.at),
            })
        };
        match self.take(key) {
            None => Vec::new(),
            Some(Node {
                kind: Kind::Sequence(items),
                ..
            }) => {
                let mut out = Vec::new();
                for item in &items {
                    match located(item) {
                        Some(text) => out.push(text),
                        None => {
                            let d =
                                doc.error(item.at, format!("every item of `{key}` must be text"));
                            self.push(d);
                        }
                    }
                }
                out
            }
            Some(value) => match located(&value) {
                Some(text) => vec![text],
                None => {
                    let d =
                        self.error_at(key, format!("`{key}` must be a list, e.g. `{key}: [a, b]`"));
                    self.push(d);
                    Vec::new()
                }
            },
        }
    }

    /// A boolean at `key` (absent is `false`).
    pub fn flag(&mut self, key: &str) -> bool {
        self.flag_or(key, false)
    }

    /// A `true`/`false` at `key`, or `default` when the key is absent.
    pub fn flag_or(&mut self, key: &str, default: bool) -> bool {
        let Some(value) = self.take(key) else {
            return default;
        };
        value.as_bool().unwrap_or_else(|| {
            let d = self.error_at(key, format!("`{key}` must be `true` or `false`"));
            self.push(d);
            false
        })
    }

    /// A positive whole number at `key`.
    pub fn count(&mut self, key: &str) -> Option<usize> {
        let value = self.take(key)?;
        match value.as_u64().and_then(|n| usize::try_from(n).ok()) {
            Some(n) if n > 0 => Some(n),
            _ => {
                let d = self.error_at(key, format!("`{key}` must be a whole number above 0"));
                self.push(d);
                None
            }
        }
    }

    /// Records "missing required key".
    pub fn missing(&mut self, key: &str) {
        let (line, col) = self.at;
        self.diagnostics.push(
            Diagnostic::error(
                self.doc.file,
                line,
                col,
                format!("missing required key `{key}`"),
            )
            .with_help(format!("add a line `{key}: …`")),
        );
    }
}

/// Accepts only absolute `http:` and `https:` URLs with a host.
pub fn check_http_url(text: &str) -> Result<(), String> {
    let text = text.trim();
    match url::Url::parse(text) {
        Ok(u) if (u.scheme() == "http" || u.scheme() == "https") && u.host().is_some() => Ok(()),
        Ok(u) => Err(format!(
            "`{text}` is a `{}:` URL; only http and https are allowed",
            u.scheme()
        )),
        Err(e) => Err(format!("`{text}` is not a valid URL ({e})")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml;

    #[test]
    fn positions_come_from_the_parser() {
        let text = "title: x\nsources:\n  - a\n  - bee\ntags: [a, b]\ncount: lots\n";
        let doc = Doc {
            file: "f.md",
            first_line: 2,
        };
        let mut f = Fields::read(
            doc,
            yaml::parse(text).unwrap(),
            &["title", "sources", "tags", "count"],
            "front matter",
        );
        assert_eq!(f.key_pos("sources"), (3, 1));
        let sources: Vec<(String, (usize, usize))> = f
            .list("sources")
            .into_iter()
            .map(|l| (l.text, l.at))
            .collect();
        assert_eq!(sources, [("a".into(), (4, 5)), ("bee".into(), (5, 5))]);
        assert_eq!(f.list("tags")[1].at, (6, 11));
        assert_eq!(f.count("count"), None);
        assert_eq!(f.value_pos("count"), (7, 8));
        assert_eq!(f.diagnostics[0].line, 7);
        assert_eq!(f.key_pos("absent"), (1, 1));
    }

    #[test]
    fn nested_mappings_report_missing_keys_where_they_start() {
        let text = "sources:\n  - id: a\n    title: T\n";
        let doc = Doc {
            file: "f.md",
            first_line: 2,
        };
        let root = yaml::parse(text).unwrap();
        let item = root.get("sources").unwrap().items()[0].clone();
        let mut f = Fields::read_nested(doc, item, &["id", "title", "url"], "inline source");
        assert!(f.url("url", true).is_none());
        let d = &f.diagnostics[0];
        assert_eq!((d.line, d.col), (3, 5), "{}", d.message);
    }

    #[test]
    fn unknown_keys_get_a_hint_and_all_problems_are_kept() {
        let text = "titel: x\ndate: nope\n\"date\": again\n";
        let doc = Doc {
            file: "f.md",
            first_line: 2,
        };
        let mut f = Fields::read(
            doc,
            yaml::parse(text).unwrap(),
            &["title", "date"],
            "front matter",
        );
        assert!(f.text("title", true).is_none());
        assert!(f.date("date", true).is_none());
        let messages: Vec<String> = f
            .diagnostics
            .iter()
            .map(|d| format!("{}:{} {} {:?}", d.line, d.col, d.message, d.help))
            .collect();
        assert_eq!(messages.len(), 4, "{messages:?}");
        assert!(
            messages[0].starts_with("2:1 unknown key `titel`")
                && messages[0].contains("did you mean `title`")
        );
        assert!(
            messages[1].starts_with("4:2 `date` appears twice"),
            "{messages:?}"
        );
        assert!(messages[2].starts_with("1:1 missing required key `title`"));
        assert!(
            messages[3].starts_with("3:7 `nope` is not a valid date"),
            "{messages:?}"
        );
    }

    #[test]
    fn only_http_urls() {
        assert!(check_http_url("https://example.org/a").is_ok());
        assert!(check_http_url("javascript:alert(1)").is_err());
        assert!(check_http_url("ftp://example.org").is_err());
        assert!(check_http_url("example.org").is_err());
    }
}
