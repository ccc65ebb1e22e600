//! What sanitising removes from a body's raw HTML, found for the warnings
//! that tell an editor why an element vanished.
//!
//! The sanitiser itself ([`super::sanitize`]) sees the whole rendered body
//! and keeps no record of what it dropped, so this module reads each run
//! of raw HTML (consecutive raw HTML events of the Markdown parser) with
//! html5ever's tokenizer, which decodes entities and letter case as
//! browsers do, and asks the same [`Policy`] about every start tag and
//! attribute. Each finding carries its body offset: the line the tokenizer
//! reports, and on that line the tag's `<` when it can be found.

use super::sanitize::{Policy, Refusal};
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use std::cell::RefCell;

/// One piece of raw HTML and the body offset it starts at.
#[derive(Debug, Clone, Copy)]
pub struct Piece<'a> {
    /// The raw HTML as the Markdown parser gave it.
    pub text: &'a str,
    /// Its offset in the body.
    pub offset: usize,
}

/// Something sanitising removes, and the body offset to report it at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removal {
    /// Where in the body.
    pub offset: usize,
    /// What goes, e.g. "`<script>` and its content", "`onerror` on `<img>`".
    pub what: String,
}

/// The removals of one run of raw HTML pieces.
pub fn scan(run: &[Piece<'_>], policy: Policy<'_>) -> Vec<Removal> {
    let text: String = run.iter().map(|p| p.text).collect();
    let sink = Sink::default();
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(&text));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let tags = tokenizer.sink.tags.into_inner();
    let lower = text.to_ascii_lowercase();
    let mut out = Vec::new();
    for (line, tag) in tags {
        let name: &str = &tag.name;
        let at = offset_of(run, &lower, line, name);
        for what in removals(&tag, policy) {
            out.push(Removal { offset: at, what });
        }
    }
    out
}

/// What goes from one start tag.
fn removals(tag: &Tag, policy: Policy<'_>) -> Vec<String> {
    let name: &str = &tag.name;
    if !policy.allows_tag(name) {
        return vec![if policy.drops_content(name) {
            format!("<{name}> and its content")
        } else {
            format!("<{name}>")
        }];
    }
    let mut out = Vec::new();
    for attr in &tag.attrs {
        let attr_name: &str = &attr.name.local;
        let value: &str = &attr.value;
        match policy.attribute(name, attr_name, value) {
            Ok(kept) if kept != value => {
                let gone: Vec<&str> = value
                    .split_ascii_whitespace()
                    .filter(|c| !kept.split_ascii_whitespace().any(|k| k == *c))
                    .collect();
                out.push(format!("`{attr_name}` `{}` on <{name}>", gone.join(" ")));
            }
            Ok(_) => {}
            Err(Refusal::Host(host)) if name == "iframe" => {
                return vec![format!(
                    "<iframe> from `{host}` (only the hosts in `embed_hosts` may be embedded)"
                )];
            }
            Err(Refusal::Scheme(scheme)) if name == "iframe" => {
                return vec![format!(
                    "<iframe> with a `{scheme}:` address (embeds must be https)"
                )];
            }
            Err(Refusal::Scheme(scheme)) => {
                out.push(format!("`{attr_name}` on <{name}> (a `{scheme}:` URL)"))
            }
            Err(Refusal::Attribute | Refusal::Value | Refusal::Host(_)) => {
                out.push(format!("`{attr_name}` on <{name}>"));
            }
        }
    }
    if name == "iframe" && !tag.attrs.iter().any(|a| &*a.name.local == "src") {
        return vec!["<iframe> without `src`".to_string()];
    }
    out
}

/// The body offset of tag `name` reported on tokenizer `line` (1-based,
/// counted in the concatenated, ASCII-lowercased `text` of the run).
fn offset_of(run: &[Piece<'_>], text: &str, line: u64, name: &str) -> usize {
    let line_start = match (line as usize).checked_sub(2) {
        None => 0,
        Some(n) => text
            .match_indices('\n')
            .nth(n)
            .map_or(text.len(), |(i, _)| i + 1),
    };
    let line_end = text[line_start..]
        .find('\n')
        .map_or(text.len(), |i| line_start + i);
    // The tokenizer reports the line of a tag's `>`; its `<` is the last
    // one of that name up to the end of that line.
    let within = text[..line_end]
        .rfind(&format!("<{name}"))
        .unwrap_or(line_start);
    // Map the offset in `text` to the piece that holds it.
    let mut start = 0;
    for piece in run {
        let end = start + piece.text.len();
        if within < end || end == text.len() {
            return piece.offset + within.saturating_sub(start).min(piece.text.len());
        }
        start = end;
    }
    run.first().map_or(0, |p| p.offset)
}

/// Collects start tags, switching the tokenizer into raw text after the
/// elements whose content browsers read as text, as the tree builder would.
#[derive(Default)]
struct Sink {
    tags: RefCell<Vec<(u64, Tag)>>,
}

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, line_number: u64) -> TokenSinkResult<()> {
        let Token::TagToken(tag) = token else {
            return TokenSinkResult::Continue;
        };
        if tag.kind != TagKind::StartTag {
            return TokenSinkResult::Continue;
        }
        let raw = match &*tag.name {
            "script" => Some(TokenSinkResult::RawData(RawKind::ScriptData)),
            "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
                Some(TokenSinkResult::RawData(RawKind::Rawtext))
            }
            "textarea" | "title" => Some(TokenSinkResult::RawData(RawKind::Rcdata)),
            "plaintext" => Some(TokenSinkResult::Plaintext),
            _ => None,
        };
        self.tags.borrow_mut().push((line_number, tag));
        raw.unwrap_or(TokenSinkResult::Continue)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(html: &str, hosts: &[String]) -> Vec<String> {
        let run = [Piece {
            text: html,
            offset: 100,
        }];
        scan(&run, Policy { embed_hosts: hosts })
            .into_iter()
            .map(|r| r.what)
            .collect()
    }

    #[test]
    fn names_what_goes() {
        assert_eq!(
            found(
                "<IMG SRC=x.png OnError=alert(1) alt=a><a href=\"&#106;avascript:x\">t</a><script>a<b>c</b></script><object>",
                &[]
            ),
            [
                "`onerror` on <img>",
                "`href` on <a> (a `javascript:` URL)",
                "<script> and its content",
                "<object>"
            ]
        );
        assert!(
            found(
                "<p><mark>x</mark><time datetime=2025-01-01>y</time></p>",
                &[]
            )
            .is_empty()
        );
    }

    #[test]
    fn iframes_by_host() {
        let hosts = vec!["www.youtube-nocookie.com".to_string()];
        assert!(
            found(
                "<iframe src=https://www.youtube-nocookie.com/embed/x></iframe>",
                &hosts
            )
            .is_empty()
        );
        assert_eq!(
            found("<iframe src=https://evil.example/></iframe>", &hosts),
            ["<iframe> from `evil.example` (only the hosts in `embed_hosts` may be embedded)"]
        );
        assert_eq!(
            found(
                "<iframe src=https://www.youtube-nocookie.com/ srcdoc=x></iframe>",
                &hosts
            ),
            ["`srcdoc` on <iframe>"]
        );
        assert_eq!(
            found("<iframe src=https://x/></iframe>", &[]),
            ["<iframe> and its content"]
        );
    }

    #[test]
    fn offsets_point_at_the_tag_on_its_line() {
        let run = [
            Piece {
                text: "<div>\n",
                offset: 10,
            },
            Piece {
                text: "  <b onclick=x>\n",
                offset: 20,
            },
        ];
        let found = scan(&run, Policy { embed_hosts: &[] });
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].offset, 22);
    }
}
