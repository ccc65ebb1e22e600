//! Quote drift: does a page still contain the exact words a brief relies on?
//!
//! The page's text is taken with a real HTML parser (scripts, styles and
//! templates left out; block elements separated by a space), then both the
//! text and each quote are normalised the same way: Unicode NFC,
//! typographic quotes to straight ones (‘ ’ ‚ ‛ → ', “ ” „ ‟ « » → "), the
//! ellipsis to three dots, soft hyphens and zero-width characters dropped,
//! every run of white space (no-break spaces too) to one space. Letter case
//! and dashes are kept: they are part of the words.

use unicode_normalization::UnicodeNormalization as _;

/// The normalised text of a page, or `None` when it is not text (a PDF,
/// an image): its quotes cannot be checked.
pub fn page_text(body: &[u8], content_type: Option<&str>) -> Option<String> {
    let kind = content_type
        .map(|c| {
            c.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    let html = kind.is_empty() || kind.contains("html") || kind.contains("xml");
    let text = String::from_utf8_lossy(body);
    if html {
        Some(normalise(&html_text(&text)))
    } else if kind.starts_with("text/") {
        Some(normalise(&text))
    } else {
        None
    }
}

/// The text a reader sees in an HTML document.
fn html_text(html: &str) -> String {
    use ego_tree::iter::Edge;
    use scraper::Node;
    let doc = scraper::Html::parse_document(html);
    let mut out = String::with_capacity(html.len() / 2);
    let mut hidden = 0usize;
    for edge in doc.tree.root().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(e) if is_hidden(e.name()) => hidden += 1,
                Node::Element(e) if is_block(e.name()) => out.push(' '),
                Node::Text(t) if hidden == 0 => out.push_str(t),
                _ => {}
            },
            Edge::Close(node) => match node.value() {
                Node::Element(e) if is_hidden(e.name()) => hidden = hidden.saturating_sub(1),
                Node::Element(e) if is_block(e.name()) => out.push(' '),
                _ => {}
            },
        }
    }
    out
}

fn is_hidden(name: &str) -> bool {
    matches!(name, "script" | "style" | "noscript" | "template" | "svg")
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "br"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "aside"
            | "nav"
            | "main"
            | "blockquote"
            | "figure"
            | "figcaption"
            | "table"
            | "tr"
            | "td"
            | "th"
            | "pre"
            | "hr"
            | "title"
            | "option"
    )
}

/// The normal form both pages and quotes are compared in.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.nfc() {
        let mapped: &str = match c {
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' => "'",
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
            | '\u{00BB}' => "\"",
            '\u{2026}' => "...",
            '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' => "",
            c if c.is_whitespace() => {
                space = !out.is_empty();
                continue;
            }
            _ => {
                if space {
                    out.push(' ');
                    space = false;
                }
                out.push(c);
                continue;
            }
        };
        if mapped.is_empty() {
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push_str(mapped);
    }
    out
}

/// The quotes (as written) that `text` (normalised) no longer contains.
pub fn missing(text: &str, quotes: &[String]) -> Vec<String> {
    quotes
        .iter()
        .filter(|q| !text.contains(&normalise(q)))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typographic_quotes_and_white_space_do_not_count() {
        let page = "<html><head><script>var x = 'not text';</script></head><body>\
            <p>He said \u{201C}I\u{2019}m going&nbsp;to   call <em>the</em>\n president\u{201D}.</p>\
            <p>Next</p><style>p{}</style></body></html>";
        let text = page_text(page.as_bytes(), Some("text/html; charset=utf-8")).unwrap();
        assert_eq!(text, "He said \"I'm going to call the president\". Next");
        assert!(
            missing(
                &text,
                &["\u{201C}I'm going to call the president\u{201D}".to_string()]
            )
            .is_empty()
        );
        assert_eq!(
            missing(
                &text,
                &["not text".to_string(), "call a president".to_string()]
            ),
            ["not text", "call a president"]
        );
    }

    #[test]
    fn blocks_are_separated_inline_elements_are_not() {
        let text = page_text(
            b"<p>end</p><p>start</p><span>Bl</span><span>inken</span>",
            None,
        )
        .unwrap();
        assert_eq!(text, "end start Blinken");
        assert!(page_text(b"%PDF-1.7", Some("application/pdf")).is_none());
        assert_eq!(
            page_text(b"a\n\n b", Some("text/plain")).as_deref(),
            Some("a b")
        );
    }
}
