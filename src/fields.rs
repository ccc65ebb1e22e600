//! Typed reading of a YAML mapping (front matter, a source file, `site.yaml`)
//! that reports every problem of the document, each at the line of its key.
//!
//! The YAML crate gives no positions for values, so positions come from the
//! document text: a top-level key is the line that starts with `key:`; a
//! value inside a key's block is the first line of the block containing it.

use crate::dates::Date;
use crate::diagnostics::{Diagnostic, suggest};
use crate::yaml::{self, Value};

/// A YAML document and where it sits in its file.
#[derive(Debug, Clone, Copy)]
pub struct Doc<'a> {
    /// The file, relative to the site root.
    pub file: &'a str,
    /// The YAML text.
    pub text: &'a str,
    /// The file line of the text's first line (1 for a whole-file YAML).
    pub first_line: usize,
}

impl<'a> Doc<'a> {
    /// The position of a top-level key, or of the document's start when the
    /// key is absent.
    pub fn key_pos(&self, key: &str) -> (usize, usize) {
        self.key_line(key)
            .map(|i| (self.first_line + i, 1))
            .unwrap_or((self.first_line.saturating_sub(1).max(1), 1))
    }

    /// The position of `needle` within the block of `key` (its line and the
    /// indented lines under it), falling back to the key's position.
    pub fn value_pos(&self, key: &str, needle: &str) -> (usize, usize) {
        let Some(start) = self.key_line(key) else {
            return self.key_pos(key);
        };
        for (i, line) in self.text.lines().enumerate().skip(start) {
            if i > start && is_top_level_key(line) {
                break;
            }
            let from = if i == start { key.len() + 1 } else { 0 };
            if let Some(at) = line.get(from..).and_then(|rest| rest.find(needle)) {
                let col = line[..from + at].chars().count() + 1;
                return (self.first_line + i, col);
            }
        }
        self.key_pos(key)
    }

    /// An error at `key`.
    pub fn error_at(&self, key: &str, message: impl Into<String>) -> Diagnostic {
        let (line, col) = self.key_pos(key);
        Diagnostic::error(self.file, line, col, message)
    }

    /// An error at `needle` inside the block of `key`.
    pub fn error_at_value(
        &self,
        key: &str,
        needle: &str,
        message: impl Into<String>,
    ) -> Diagnostic {
        let (line, col) = self.value_pos(key, needle);
        Diagnostic::error(self.file, line, col, message)
    }

    /// The index of the line holding `key`: a top-level one first, else an
    /// indented one (keys of a nested mapping, such as an inline source).
    fn key_line(&self, key: &str) -> Option<usize> {
        let starts_key = |line: &str| {
            line.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        };
        self.text.lines().position(starts_key).or_else(|| {
            self.text.lines().position(|line| {
                let line = line.trim_start();
                starts_key(line.strip_prefix("- ").unwrap_or(line).trim_start())
            })
        })
    }
}

fn is_top_level_key(line: &str) -> bool {
    line.chars()
        .next()
        .is_some_and(|c| !c.is_whitespace() && c != '#' && c != '-')
}

/// The keys of one mapping, taken one by one with their problems recorded.
pub struct Fields<'a> {
    doc: Doc<'a>,
    entries: Vec<(String, Value)>,
    /// Every problem found so far in this document.
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> Fields<'a> {
    /// Reads `value` as a mapping whose keys must all be in `known`.
    /// `what` names the document in messages ("front matter", "source").
    pub fn read(doc: Doc<'a>, value: Value, known: &[&str], what: &str) -> Fields<'a> {
        let mut fields = Fields {
            doc,
            entries: Vec::new(),
            diagnostics: Vec::new(),
        };
        let mapping = match value {
            Value::Mapping(m) => m,
            Value::Null => Default::default(),
            _ => {
                let (line, col) = (doc.first_line, 1);
                fields.diagnostics.push(
                    Diagnostic::error(
                        doc.file,
                        line,
                        col,
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
        for (key, value) in mapping {
            let Some(key) = yaml::scalar_text(&key) else {
                fields.diagnostics.push(Diagnostic::error(
                    doc.file,
                    doc.first_line,
                    1,
                    format!("the {what} has a key that is not text"),
                ));
                continue;
            };
            if known.contains(&key.as_str()) {
                fields.entries.push((key, value));
            } else {
                let help = suggest(&key, known.iter().copied())
                    .unwrap_or_else(|| format!("known keys: {}", known.join(", ")));
                let d = doc
                    .error_at(&key, format!("unknown key `{key}` in the {what}"))
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

    /// Removes and returns the raw value of `key`; null counts as absent.
    pub fn take(&mut self, key: &str) -> Option<Value> {
        let i = self.entries.iter().position(|(k, _)| k == key)?;
        let (_, value) = self.entries.swap_remove(i);
        (!value.is_null()).then_some(value)
    }

    /// Text of `key` (booleans and numbers as written).
    pub fn text(&mut self, key: &str, required: bool) -> Option<String> {
        match self.take(key) {
            Some(value) => match yaml::scalar_text(&value) {
                Some(s) if !(required && s.trim().is_empty()) => Some(s),
                Some(_) => {
                    let d = self.doc.error_at(key, format!("`{key}` must not be empty"));
                    self.push(d);
                    None
                }
                None => {
                    let d = self
                        .doc
                        .error_at(key, format!("`{key}` must be text, not a list or mapping"));
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

    /// A date (`YYYY-MM-DD` or RFC 3339) at `key`.
    pub fn date(&mut self, key: &str, required: bool) -> Option<Date> {
        let text = self.text(key, required)?;
        match Date::parse(&text) {
            Ok(date) => Some(date),
            Err(message) => {
                let d = self.doc.error_at_value(key, text.trim(), message);
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
                    .doc
                    .error_at_value(key, text.trim(), format!("`{key}`: {message}"))
                    .with_help("write the full address, starting with https:// or http://");
                self.push(d);
                None
            }
        }
    }

    /// A list of texts at `key` (a single text counts as a list of one).
    pub fn list(&mut self, key: &str) -> Vec<String> {
        match self.take(key) {
            None => Vec::new(),
            Some(Value::Sequence(items)) => {
                let mut out = Vec::new();
                for item in items {
                    match yaml::scalar_text(&item) {
                        Some(s) => out.push(s),
                        None => {
                            let d = self
                                .doc
                                .error_at(key, format!("every item of `{key}` must be text"));
                            self.push(d);
                        }
                    }
                }
                out
            }
            Some(value) => match yaml::scalar_text(&value) {
                Some(s) => vec![s],
                None => {
                    let d = self
                        .doc
                        .error_at(key, format!("`{key}` must be a list, e.g. `{key}: [a, b]`"));
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
        match self.take(key) {
            None => default,
            Some(Value::Bool(b)) => b,
            Some(_) => {
                let d = self
                    .doc
                    .error_at(key, format!("`{key}` must be `true` or `false`"));
                self.push(d);
                false
            }
        }
    }

    /// A positive whole number at `key`.
    pub fn count(&mut self, key: &str) -> Option<usize> {
        let value = self.take(key)?;
        match value.as_u64() {
            Some(n) if n > 0 => Some(n as usize),
            _ => {
                let d = self
                    .doc
                    .error_at(key, format!("`{key}` must be a whole number above 0"));
                self.push(d);
                None
            }
        }
    }

    /// Records "missing required key".
    pub fn missing(&mut self, key: &str) {
        let (line, col) = (self.doc.first_line.saturating_sub(1).max(1), 1);
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

    #[test]
    fn positions_come_from_key_lines() {
        let text = "title: x\nsources:\n  - a\n  - bee\ntags: [a]\n";
        let doc = Doc {
            file: "f.md",
            text,
            first_line: 2,
        };
        assert_eq!(doc.key_pos("sources"), (3, 1));
        assert_eq!(doc.value_pos("sources", "bee"), (5, 5));
        assert_eq!(doc.value_pos("tags", "a"), (6, 8));
    }

    #[test]
    fn unknown_keys_get_a_hint_and_all_problems_are_kept() {
        let text = "titel: x\ndate: nope\n";
        let doc = Doc {
            file: "f.md",
            text,
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
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(
            messages[0].contains("unknown key `titel`")
                && messages[0].contains("did you mean `title`")
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
