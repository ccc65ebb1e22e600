//! Writing one key into a source's YAML and changing nothing else.
//!
//! `--record` and `--write` edit the files editors keep: a source file
//! (`content/sources/<id>.yaml`, the mapping is the whole file) or an
//! inline source (an item of `sources:` in a brief's front matter). The
//! edit is made on the text, never by re-serialising YAML, so every other
//! byte stays as it was: comments, quoting, key order, blank lines, line
//! endings (LF or CRLF), a byte-order mark, a missing final newline.
//!
//! The file is parsed first, and the parser's positions say where the
//! mapping is and on which line each of its keys starts; an inline source is
//! the item of `sources` whose `id` value is exactly the one asked for.
//!
//! - A key that is there has its entry (its line and any deeper-indented
//!   lines under it) replaced by one `key: value` line; a comment at the end
//!   of a one-line entry is kept.
//! - A key that is not there is added as a new line after the mapping's
//!   last entry, at the indentation of its keys.
//!
//! Before anything is written, the edited text is parsed again and must
//! equal the original document with exactly that key set; otherwise the
//! edit is refused with a message, and the file is left alone. Mappings
//! written in flow style (`- {id: x, url: …}`) are refused too.

use crate::yaml::{self, Kind, Node};
use std::path::Path;

/// Which mapping of a file holds the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// The whole file (`content/sources/<id>.yaml`).
    File,
    /// The item of the front matter's `sources:` whose `id` is this one.
    Inline(String),
}

const BOM: &str = "\u{feff}";

/// One line of the text (byte-order mark removed), without its line ending.
#[derive(Debug, Clone, Copy)]
struct Line<'t> {
    start: usize,
    text: &'t str,
    eol: &'t str,
}

fn lines(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    for chunk in text.split_inclusive('\n') {
        let body = chunk.strip_suffix('\n').unwrap_or(chunk);
        let body = body.strip_suffix('\r').unwrap_or(body);
        out.push(Line {
            start,
            text: body,
            eol: &chunk[body.len()..],
        });
        start += chunk.len();
    }
    out
}

fn indent(s: &str) -> usize {
    s.len() - s.trim_start_matches(' ').len()
}

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

/// The parsed document of `text` (no byte-order mark) and the file line of
/// its first line.
fn document(text: &str, block: &Block) -> Result<(Node, usize), String> {
    if text.replace("\r\n", "").contains('\r') {
        return Err("the file has a carriage return that does not end a line".into());
    }
    let decoded = crate::fs::decode_text(text.as_bytes().to_vec())
        .map_err(|(l, c)| format!("not valid UTF-8 at {l}:{c}"))?;
    let (yaml_text, first_line) = match block {
        Block::File => (decoded.as_str(), 1),
        Block::Inline(_) => {
            let split = crate::content::front_matter::split(&decoded)
                .map_err(|_| "the file has no front matter".to_string())?;
            (split.front, split.front_line)
        }
    };
    let doc = yaml::parse(yaml_text).map_err(|e| {
        format!(
            "invalid YAML at line {}: {}",
            e.line + first_line - 1,
            e.message
        )
    })?;
    Ok((doc, first_line))
}

/// The mapping of `block` in its document.
fn mapping<'d>(doc: &'d Node, block: &Block) -> Result<&'d Node, String> {
    match block {
        Block::File => match doc.kind {
            Kind::Mapping(_) => Ok(doc),
            Kind::Null => Err("the source has no keys to add one after".into()),
            _ => Err("the source is not a mapping".into()),
        },
        Block::Inline(id) => {
            let found: Vec<&Node> = doc
                .get("sources")
                .map(Node::items)
                .unwrap_or_default()
                .iter()
                .filter(|item| item.get("id").and_then(Node::text) == Some(id.as_str()))
                .collect();
            match found[..] {
                [item] => Ok(item),
                [] => Err(format!(
                    "no inline source with `id: {id}` in the front matter"
                )),
                _ => Err(format!(
                    "`id: {id}` appears more than once in the front matter"
                )),
            }
        }
    }
}

/// The text with the positions of a parsed document mapped back onto it.
struct Located<'t> {
    ls: Vec<Line<'t>>,
    first_line: usize,
}

impl Located<'_> {
    /// The line index (into `ls`) of a node.
    fn line(&self, node: &Node) -> usize {
        (node.at.line + self.first_line)
            .saturating_sub(2)
            .min(self.ls.len().saturating_sub(1))
    }

    /// The byte offset, within its line, where `node` starts as written
    /// (at the opening quote of a quoted scalar).
    fn col(&self, node: &Node) -> usize {
        let text = self.ls[self.line(node)].text;
        let at = text
            .char_indices()
            .nth(node.at.col.saturating_sub(1))
            .map_or(text.len(), |(i, _)| i);
        let quoted = matches!(node.kind, Kind::Scalar(_)) && text[..at].ends_with(['"', '\'']);
        if quoted { at - 1 } else { at }
    }

    /// Lines `key line..end` of the entry of `key`: up to the next line at
    /// the key's indentation or less, without trailing blank lines.
    fn entry_end(&self, key: &Node, next: Option<&Node>) -> usize {
        let start = self.line(key);
        let col = self.col(key);
        let limit = next.map_or(self.ls.len(), |n| self.line(n));
        let mut end = (start + 1..limit)
            .find(|&i| !blank(self.ls[i].text) && indent(self.ls[i].text) <= col)
            .unwrap_or(limit);
        while end > start + 1 && blank(self.ls[end - 1].text) {
            end -= 1;
        }
        end
    }
}

/// The pairs of a block mapping, refusing a flow one.
fn block_pairs<'d>(map: &'d Node, at: &Located<'_>) -> Result<&'d [(Node, Node)], String> {
    let Kind::Mapping(pairs) = &map.kind else {
        return Err("the source is not a mapping".into());
    };
    if at.ls[at.line(map)].text[at.col(map)..].starts_with('{') {
        return Err(
            "the source is written as a flow mapping `{…}`; write it one key per line so Verity can edit it"
                .into(),
        );
    }
    Ok(pairs)
}

/// The 1-based line of `key` in the mapping of `block`, if it has one.
pub fn key_line(text: &str, block: &Block, key: &str) -> Option<usize> {
    let (doc, first_line) = document(text, block).ok()?;
    let (k, _) = mapping(&doc, block).ok()?.entry(key)?;
    Some(k.at.line + first_line - 1)
}

/// The 1-based line where the mapping of `block` starts.
pub fn block_line(text: &str, block: &Block) -> Option<usize> {
    let (doc, first_line) = document(text, block).ok()?;
    Some(mapping(&doc, block).ok()?.at.line + first_line - 1)
}

/// `text` with `key: value` set in the mapping of `block` (`value` is
/// YAML, e.g. from [`scalar`] or [`flow_mapping`]), checked by parsing.
pub fn set_key(text: &str, block: &Block, key: &str, value: &str) -> Result<String, String> {
    let (bom, body) = match text.strip_prefix(BOM) {
        Some(body) => (BOM, body),
        None => ("", text),
    };
    let (doc, first_line) = document(body, block)?;
    let map = mapping(&doc, block)?;
    let at = Located {
        ls: lines(body),
        first_line,
    };
    let pairs = block_pairs(map, &at)?;
    let eol = if body.contains("\r\n") { "\r\n" } else { "\n" };
    let new_entry = format!("{key}: {value}");
    let found = pairs.iter().position(|(k, _)| k.text() == Some(key));
    let edited = match found {
        Some(i) => {
            let (k, v) = &pairs[i];
            let start = at.line(k);
            let end = at.entry_end(k, pairs.get(i + 1).map(|(next, _)| next));
            let first = at.ls[start];
            let key_at = first.start + at.col(k);
            let comment = if end == start + 1 {
                one_line_comment(&at, k, v)
            } else {
                ""
            };
            let last = at.ls[end - 1];
            let tail = last.start + last.text.len();
            format!("{}{new_entry}{comment}{}", &body[..key_at], &body[tail..])
        }
        None => {
            let (k, _) = pairs
                .last()
                .ok_or("the source has no keys to add one after")?;
            let last = at.ls[at.entry_end(k, None) - 1];
            let after = last.start + last.text.len() + last.eol.len();
            let indent = " ".repeat(at.col(k));
            let (before, rest) = body.split_at(after);
            if last.eol.is_empty() {
                format!("{before}{eol}{indent}{new_entry}{rest}")
            } else {
                format!("{before}{indent}{new_entry}{eol}{rest}")
            }
        }
    };
    let edited = format!("{bom}{edited}");
    verify(text, &edited, block, key, value)?;
    Ok(edited)
}

/// The comment ending the one-line entry `key: value`, with the white
/// space before it; empty when there is none.
fn one_line_comment<'t>(at: &Located<'t>, key: &Node, value: &Node) -> &'t str {
    let line = at.ls[at.line(key)].text;
    let (from, plain) = if at.line(value) == at.line(key) && !value.is_null() {
        let from = at.col(value);
        let plain = matches!(value.kind, Kind::Scalar(_)) && !line[from..].starts_with(['"', '\'']);
        (from, plain)
    } else {
        (at.col(key), true)
    };
    let rest = &line[from..];
    let found = if plain {
        // A plain scalar never holds ` #`: the first one starts the comment.
        rest.match_indices('#')
            .map(|(i, _)| i)
            .find(|&i| rest[..i].ends_with([' ', '\t']))
    } else {
        comment_start(rest)
    };
    found.map_or("", |i| {
        let ws = rest[..i].trim_end_matches([' ', '\t']).len();
        &rest[ws..]
    })
}

/// Where a trailing ` # comment` starts in quoted or flow YAML text.
fn comment_start(text: &str) -> Option<usize> {
    let (mut single, mut double, mut escaped) = (false, false, false);
    let mut prev_space = false;
    for (i, c) in text.char_indices() {
        match c {
            '\\' if double => escaped = !escaped,
            '"' if !single && !escaped => double = !double,
            '\'' if !double => single = !single,
            '#' if !single && !double && prev_space => return Some(i - 1),
            _ => {}
        }
        if c != '\\' {
            escaped = false;
        }
        prev_space = c == ' ' || c == '\t';
    }
    None
}

/// Whether two nodes hold the same YAML, wherever they are written.
fn same(a: &Node, b: &Node) -> bool {
    match (&a.kind, &b.kind) {
        (Kind::Null, Kind::Null) => true,
        (Kind::Scalar(x), Kind::Scalar(y)) => x == y,
        (Kind::Sequence(x), Kind::Sequence(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Kind::Mapping(x), Kind::Mapping(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((ka, va), (kb, vb))| same(ka, kb) && same(va, vb))
        }
        _ => false,
    }
}

/// The pairs of the mapping of `block`, to change.
fn pairs_mut<'d>(doc: &'d mut Node, block: &Block) -> Option<&'d mut Vec<(Node, Node)>> {
    let map = match block {
        Block::File => doc,
        Block::Inline(id) => {
            let Kind::Mapping(pairs) = &mut doc.kind else {
                return None;
            };
            let (_, sources) = pairs
                .iter_mut()
                .find(|(k, _)| k.text() == Some("sources"))?;
            let Kind::Sequence(items) = &mut sources.kind else {
                return None;
            };
            items
                .iter_mut()
                .find(|item| item.get("id").and_then(Node::text) == Some(id.as_str()))?
        }
    };
    match &mut map.kind {
        Kind::Mapping(pairs) => Some(pairs),
        _ => None,
    }
}

fn verify(before: &str, after: &str, block: &Block, key: &str, value: &str) -> Result<(), String> {
    let refuse = |why: &str| {
        format!("Verity would not edit the file safely ({why}); add `{key}: {value}` by hand")
    };
    let (mut expected, _) = document(before, block).map_err(|e| refuse(&e))?;
    let wanted = yaml::parse(value).map_err(|e| refuse(&e.message))?;
    let pairs =
        pairs_mut(&mut expected, block).ok_or_else(|| refuse("the source is not a mapping"))?;
    match pairs.iter_mut().find(|(k, _)| k.text() == Some(key)) {
        Some((_, v)) => *v = wanted,
        None => {
            let name = yaml::parse(key).map_err(|e| refuse(&e.message))?;
            pairs.push((name, wanted));
        }
    }
    let (actual, _) = document(after, block).map_err(|e| refuse(&e))?;
    if same(&actual, &expected) {
        Ok(())
    } else {
        Err(refuse("the edited YAML reads differently"))
    }
}

/// `text` as a YAML scalar: plain when that reads back as the same string,
/// else double-quoted.
pub fn scalar(text: &str) -> String {
    let plain_ok = !text.is_empty()
        && !text.contains([
            '\n', '\r', '\t', '"', '\'', '{', '}', '[', ']', ',', '&', '*', '!', '|', '>', '%',
            '@', '`',
        ])
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.ends_with(':')
        && text.trim() == text
        && !text.starts_with(['-', '?', ':', '#'])
        && yaml::parse(text).is_ok_and(|node| {
            matches!(&node.kind, Kind::Scalar(s) if s.value == yaml::Typed::Text && s.text == text)
        });
    if plain_ok {
        text.to_string()
    } else {
        serde_json::to_string(text).unwrap_or_else(|_| format!("\"{}\"", text.replace('"', "\\\"")))
    }
}

/// `{k: v, …}` with each value a [`scalar`].
pub fn flow_mapping(pairs: &[(&str, &str)]) -> String {
    let inner: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{k}: {}", scalar(v)))
        .collect();
    format!("{{{}}}", inner.join(", "))
}

/// Writes `text` to `path` in place of its content: through a temporary
/// file beside it and a rename, keeping the file's permissions.
pub fn replace_file(path: &Path, text: &str) -> anyhow::Result<()> {
    let permissions = std::fs::metadata(path).map(|m| m.permissions()).ok();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.verity-tmp"));
    crate::fs::write(&tmp, text.as_bytes())?;
    if let Some(p) = permissions {
        let _ = std::fs::set_permissions(&tmp, p);
    }
    crate::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "# The JNS report.\nurl: https://jns.example/a   # the original\ntitle: \"A: title\"\nnotes: >\n  Folded\n  notes.\n\n# trailing comment\n";

    #[test]
    fn adds_a_key_after_the_last_entry_and_nothing_else() {
        let out = set_key(
            FILE,
            &Block::File,
            "archived",
            "https://web.archive.org/web/1/x",
        )
        .unwrap();
        assert_eq!(
            out,
            "# The JNS report.\nurl: https://jns.example/a   # the original\ntitle: \"A: title\"\nnotes: >\n  Folded\n  notes.\narchived: https://web.archive.org/web/1/x\n\n# trailing comment\n"
        );
    }

    #[test]
    fn replaces_an_entry_keeping_its_comment() {
        let text = "url: https://a.example/\nchecked: {date: 2025-01-01, state: ok}  # nightly\ntitle: T\n";
        let value = flow_mapping(&[("date", "2025-02-03"), ("state", "dead")]);
        let out = set_key(text, &Block::File, "checked", &value).unwrap();
        assert_eq!(
            out,
            "url: https://a.example/\nchecked: {date: 2025-02-03, state: dead}  # nightly\ntitle: T\n"
        );
        let nested =
            "url: https://a.example/\nchecked:\n  date: 2025-01-01\n  state: ok\ntitle: T\n";
        let out = set_key(nested, &Block::File, "checked", &value).unwrap();
        assert_eq!(
            out,
            "url: https://a.example/\nchecked: {date: 2025-02-03, state: dead}\ntitle: T\n"
        );
    }

    #[test]
    fn comments_after_plain_quoted_and_empty_values_are_kept() {
        let text = "title: Don't panic # plain\nurl: 'https://a.example/ #x' # quoted\nchecked:   # later\n\"archived\": \"https://o.example/\" # old\n";
        let out = set_key(text, &Block::File, "title", "New").unwrap();
        assert_eq!(out, text.replace("Don't panic # plain", "New # plain"));
        let out = set_key(text, &Block::File, "url", "https://b.example/").unwrap();
        assert_eq!(
            out,
            text.replace(
                "'https://a.example/ #x' # quoted",
                "https://b.example/ # quoted"
            )
        );
        let out = set_key(
            text,
            &Block::File,
            "checked",
            "{date: 2025-01-02, state: ok}",
        )
        .unwrap();
        assert_eq!(
            out,
            text.replace(
                "checked:   # later",
                "checked: {date: 2025-01-02, state: ok}   # later"
            )
        );
        let out = set_key(text, &Block::File, "archived", "https://n.example/").unwrap();
        assert_eq!(
            out,
            text.replace(
                "\"archived\": \"https://o.example/\" # old",
                "archived: https://n.example/ # old"
            )
        );
    }

    #[test]
    fn crlf_bom_and_no_final_newline_are_kept() {
        let text = "\u{feff}url: https://a.example/\r\ntitle: T";
        let out = set_key(text, &Block::File, "archived", "https://b.example/").unwrap();
        assert_eq!(
            out,
            "\u{feff}url: https://a.example/\r\ntitle: T\r\narchived: https://b.example/"
        );
        let again = set_key(&out, &Block::File, "url", "https://c.example/").unwrap();
        assert_eq!(
            again,
            "\u{feff}url: https://c.example/\r\ntitle: T\r\narchived: https://b.example/"
        );
    }

    #[test]
    fn edits_one_inline_source_of_a_brief() {
        let brief = "---\ntitle: T # keep\nsources:\n  - plain-id\n  # the next one is inline\n  - id: foo-bar\n    url: https://x.example/1\n  - id: foo\n    url: https://x.example/2\n    title: \"Foo\"\n\n    publisher: P\ntags: [a]\n---\nBody with id: foo\n";
        let out = set_key(
            brief,
            &Block::Inline("foo".into()),
            "archived",
            "https://w.example/web/1/x",
        )
        .unwrap();
        assert_eq!(
            out,
            brief.replace(
                "    publisher: P\n",
                "    publisher: P\n    archived: https://w.example/web/1/x\n"
            )
        );
        assert_eq!(
            key_line(brief, &Block::Inline("foo".into()), "url"),
            Some(9)
        );
        assert_eq!(block_line(brief, &Block::Inline("foo".into())), Some(8));
        let flow = "---\nsources:\n  - {id: foo, url: https://x.example/}\n---\n";
        assert!(
            set_key(
                flow,
                &Block::Inline("foo".into()),
                "archived",
                "https://a.example/"
            )
            .unwrap_err()
            .contains("flow mapping")
        );
    }

    #[test]
    fn items_at_the_parents_indentation() {
        let brief = "---\nsources:\n- id: foo\n  url: https://x.example/\ntags: [a]\n---\n";
        let out = set_key(
            brief,
            &Block::Inline("foo".into()),
            "checked",
            "{date: 2025-01-02, state: ok}",
        )
        .unwrap();
        assert_eq!(
            out,
            "---\nsources:\n- id: foo\n  url: https://x.example/\n  checked: {date: 2025-01-02, state: ok}\ntags: [a]\n---\n"
        );
    }

    #[test]
    fn scalars_are_plain_only_when_safe() {
        assert_eq!(
            scalar("https://web.archive.org/web/2025/https://a.example/x"),
            "https://web.archive.org/web/2025/https://a.example/x"
        );
        assert_eq!(scalar("https://a.example/#x y"), "https://a.example/#x y");
        assert_eq!(scalar("https://a.example/ #x"), "\"https://a.example/ #x\"");
        assert_eq!(scalar("true"), "\"true\"");
        assert_eq!(scalar("a: b"), "\"a: b\"");
    }
}
