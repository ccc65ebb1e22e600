//! Writing one key into a source's YAML and changing nothing else.
//!
//! `--record` and `--write` edit the files editors keep: a source file
//! (`content/sources/<id>.yaml`, the mapping is the whole file) or an
//! inline source (an item of `sources:` in a brief's front matter). The
//! edit is made on the text, never by re-serialising YAML, so every other
//! byte stays as it was: comments, quoting, key order, blank lines, line
//! endings (LF or CRLF), a byte-order mark, a missing final newline.
//!
//! - A key that is there has its entry (its line and any deeper-indented
//!   lines under it) replaced by one `key: value` line; a comment at the end
//!   of a one-line entry is kept.
//! - A key that is not there is added as a new line after the mapping's
//!   last entry, at the mapping's indentation.
//!
//! Before anything is written, the edited text is parsed again and must
//! equal the original document with exactly that key set; otherwise the
//! edit is refused with a message, and the file is left alone. Inline
//! sources written as a flow mapping (`- {id: x, url: …}`) are refused too.

use crate::yaml::{self, Value};
use std::path::Path;

/// Which mapping of a file holds the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// The whole file (`content/sources/<id>.yaml`).
    File,
    /// The item of the front matter's `sources:` whose `id` is this one.
    Inline(String),
}

/// One line of the text, without its line ending.
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

/// The mapping's lines: `first..end`, keys at column `col`; `lead` is how
/// many bytes of the first line come before its first key (a BOM, `  - `).
#[derive(Debug, Clone, Copy)]
struct Mapping {
    first: usize,
    end: usize,
    col: usize,
    lead: usize,
}

/// One `key: value` entry: lines `start..end`.
#[derive(Debug, Clone)]
struct Entry {
    key: String,
    start: usize,
    end: usize,
}

/// The key of a `key: …` line, if it is one.
fn key_of(content: &str) -> Option<&str> {
    let name_end = content
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(content.len());
    let (name, rest) = content.split_at(name_end);
    let rest = rest.trim_start_matches(' ');
    let after = rest.strip_prefix(':')?;
    (!name.is_empty() && (after.is_empty() || after.starts_with([' ', '\t']))).then_some(name)
}

/// Lines `from..to` of the front matter's body, when the file has one.
fn front_matter(ls: &[Line<'_>]) -> Option<(usize, usize)> {
    let first = ls.first()?.text.trim_start_matches('\u{feff}');
    if first.trim_end() != "---" {
        return None;
    }
    let close = ls.iter().skip(1).position(|l| l.text.trim_end() == "---")?;
    Some((1, close + 1))
}

/// The value of an `id:` line of an inline source, unquoted.
fn id_value(content: &str) -> Option<&str> {
    if key_of(content)? != "id" {
        return None;
    }
    let v = content.split_once(':')?.1;
    let v = strip_comment(v).trim();
    Some(
        v.strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .or_else(|| v.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
            .unwrap_or(v),
    )
}

/// `text` without a trailing ` # comment` (outside quotes).
fn strip_comment(text: &str) -> &str {
    match comment_start(text) {
        Some(i) => &text[..i],
        None => text,
    }
}

/// Where a trailing comment starts (the white space before its `#`).
fn comment_start(text: &str) -> Option<usize> {
    let (mut single, mut double, mut escaped) = (false, false, false);
    let mut prev_space = false;
    for (i, c) in text.char_indices() {
        match c {
            '\\' if double => escaped = !escaped,
            '"' if !single && !escaped => double = !double,
            '\'' if !double => single = !single,
            '#' if !single && !double && prev_space => {
                let ws = text[..i].trim_end_matches([' ', '\t']).len();
                return Some(ws);
            }
            _ => escaped = false,
        }
        if c != '\\' {
            escaped = false;
        }
        prev_space = c == ' ' || c == '\t';
    }
    None
}

fn locate(ls: &[Line<'_>], block: &Block) -> Result<Mapping, String> {
    match block {
        Block::File => {
            let lead = ls.first().map_or(0, |l| {
                l.text.len() - l.text.trim_start_matches('\u{feff}').len()
            });
            Ok(Mapping {
                first: 0,
                end: ls.len(),
                col: 0,
                lead,
            })
        }
        Block::Inline(id) => {
            let (from, to) = front_matter(ls).ok_or("the file has no front matter")?;
            let items: Vec<usize> = (from..to)
                .filter(|&i| {
                    let t = ls[i].text.trim_start_matches(' ');
                    let t = t.strip_prefix('-').map_or(t, |r| r.trim_start_matches(' '));
                    id_value(t) == Some(id.as_str())
                })
                .collect();
            let flow = (from..to).any(|i| {
                let t = ls[i].text.trim_start_matches([' ', '-']);
                t.starts_with('{')
                    && t.trim_start_matches('{')
                        .split(',')
                        .any(|kv| id_value(kv.trim().trim_end_matches('}')) == Some(id.as_str()))
            });
            if flow {
                return Err(format!(
                    "the inline source `{id}` is written as a flow mapping `{{…}}`; write it one key per line so Verity can edit it"
                ));
            }
            let [id_line] = items[..] else {
                return Err(if items.is_empty() {
                    format!("no inline source with `id: {id}` in the front matter")
                } else {
                    format!("`id: {id}` appears more than once in the front matter")
                });
            };
            let first = (from..=id_line)
                .rev()
                .find(|&i| ls[i].text.trim_start_matches(' ').starts_with('-'))
                .ok_or_else(|| format!("`id: {id}` is not inside a list item of `sources`"))?;
            let t = ls[first].text;
            let dash = indent(t);
            let after = &t[dash + 1..];
            let col = dash + 1 + indent(after);
            let end = (first + 1..to)
                .find(|&i| !blank(ls[i].text) && indent(ls[i].text) <= dash)
                .unwrap_or(to);
            Ok(Mapping {
                first,
                end,
                col,
                lead: col,
            })
        }
    }
}

fn entries(ls: &[Line<'_>], m: Mapping) -> Vec<Entry> {
    let mut out: Vec<Entry> = Vec::new();
    let mut open: Option<Entry> = None;
    for (i, l) in ls.iter().enumerate().take(m.end).skip(m.first) {
        let (col, content) = if i == m.first {
            (m.col, &l.text[m.lead.min(l.text.len())..])
        } else {
            (indent(l.text), l.text.trim_start_matches(' '))
        };
        if blank(l.text) || col > m.col {
            continue;
        }
        if let Some(mut e) = open.take() {
            e.end = i;
            out.push(e);
        }
        if col == m.col
            && let Some(key) = key_of(content)
        {
            open = Some(Entry {
                key: key.to_string(),
                start: i,
                end: m.end,
            });
        }
    }
    out.extend(open);
    for e in &mut out {
        while e.end > e.start + 1 && blank(ls[e.end - 1].text) {
            e.end -= 1;
        }
    }
    out
}

/// The 1-based line of `key` in the mapping of `block`, if it has one.
pub fn key_line(text: &str, block: &Block, key: &str) -> Option<usize> {
    let ls = lines(text);
    let m = locate(&ls, block).ok()?;
    entries(&ls, m)
        .into_iter()
        .find(|e| e.key == key)
        .map(|e| e.start + 1)
}

/// The 1-based line where the mapping of `block` starts.
pub fn block_line(text: &str, block: &Block) -> Option<usize> {
    let ls = lines(text);
    locate(&ls, block).ok().map(|m| m.first + 1)
}

/// `text` with `key: value` set in the mapping of `block` (`value` is
/// YAML, e.g. from [`scalar`] or [`flow_mapping`]), checked by parsing.
pub fn set_key(text: &str, block: &Block, key: &str, value: &str) -> Result<String, String> {
    let ls = lines(text);
    let m = locate(&ls, block)?;
    let all = entries(&ls, m);
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let new_entry = format!("{key}: {value}");
    let edited = match all.iter().find(|e| e.key == key) {
        Some(e) => {
            let first = ls[e.start];
            let lead = if e.start == m.first { m.lead } else { m.col };
            let prefix = &first.text[..lead.min(first.text.len())];
            let comment = (e.end == e.start + 1)
                .then(|| {
                    let content = &first.text[prefix.len()..];
                    comment_start(content).map(|i| &content[i..])
                })
                .flatten()
                .unwrap_or("");
            let last = ls[e.end - 1];
            let tail = last.start + last.text.len();
            format!(
                "{}{prefix}{new_entry}{comment}{}",
                &text[..first.start],
                &text[tail..]
            )
        }
        None => {
            let last_entry = all
                .last()
                .ok_or("the source has no keys to add one after")?;
            let last = ls[last_entry.end - 1];
            let at = last.start + last.text.len() + last.eol.len();
            let indent = " ".repeat(m.col);
            if last.eol.is_empty() {
                format!("{}{eol}{indent}{new_entry}{}", &text[..at], &text[at..])
            } else {
                format!("{}{indent}{new_entry}{eol}{}", &text[..at], &text[at..])
            }
        }
    };
    verify(text, &edited, block, key, value)?;
    Ok(edited)
}

/// The document a block lives in, parsed.
fn document(text: &str, block: &Block) -> Result<Value, String> {
    let decoded = crate::fs::decode_text(text.as_bytes().to_vec())
        .map_err(|(l, c)| format!("not valid UTF-8 at {l}:{c}"))?;
    let yaml_text = match block {
        Block::File => decoded.as_str(),
        Block::Inline(_) => {
            crate::content::front_matter::split(&decoded)
                .map_err(|_| "the front matter cannot be read".to_string())?
                .front
        }
    };
    yaml::parse(yaml_text).map_err(|e| format!("invalid YAML at line {}: {}", e.line, e.message))
}

/// The mapping of `block` inside its parsed document.
fn mapping_mut<'v>(doc: &'v mut Value, block: &Block) -> Option<&'v mut yaml::Mapping> {
    match block {
        Block::File => doc.as_mapping_mut(),
        Block::Inline(id) => doc
            .as_mapping_mut()?
            .get_mut("sources")?
            .as_sequence_mut()?
            .iter_mut()
            .filter_map(Value::as_mapping_mut)
            .find(|m| m.get("id").and_then(yaml::scalar_text).as_deref() == Some(id.as_str())),
    }
}

fn verify(before: &str, after: &str, block: &Block, key: &str, value: &str) -> Result<(), String> {
    let refuse = |why: &str| {
        format!("Verity would not edit the file safely ({why}); add `{key}: {value}` by hand")
    };
    let mut expected = document(before, block).map_err(|e| refuse(&e))?;
    let wanted = yaml::parse(value).map_err(|e| refuse(&e.message))?;
    mapping_mut(&mut expected, block)
        .ok_or_else(|| refuse("the source is not a mapping"))?
        .insert(Value::String(key.to_string()), wanted);
    let actual = document(after, block).map_err(|e| refuse(&e))?;
    if actual == expected {
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
        && yaml::parse(text).ok().as_ref().and_then(Value::as_str) == Some(text);
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
