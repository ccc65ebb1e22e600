//! The words of a rendered body, for the search index: what a reader
//! reads, without markup, as search terms.
//!
//! Terms are made the same way here and in the search script: NFKD,
//! combining marks dropped, lowercase, then runs of letters and digits
//! (Unicode's Alphabetic and Numeric properties), each cut to
//! [`MAX_TERM_CHARS`].

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// Longer words are cut to this many characters (here and in the script).
pub const MAX_TERM_CHARS: usize = 40;

/// `text` in NFKD without combining marks, lowercase. (Character by
/// character: the canonical reordering of NFKD only moves marks, which go.)
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let mut folded = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            folded.push(c);
        } else {
            decompose_compatible(c, |d| {
                if !is_combining_mark(d) {
                    folded.push(d);
                }
            });
        }
    }
    folded.to_lowercase()
}

/// The terms of folded text: runs of letters and digits, each cut to
/// [`MAX_TERM_CHARS`].
pub fn words(folded: &str) -> impl Iterator<Item = &str> {
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            if w.len() <= MAX_TERM_CHARS {
                return w; // as many bytes as characters at most
            }
            match w.char_indices().nth(MAX_TERM_CHARS) {
                Some((cut, _)) => &w[..cut],
                None => w,
            }
        })
}

/// The text of rendered HTML: tags removed (with the contents of `script`,
/// `style` and citation marks, which are not prose), the common character
/// references decoded, and a space wherever a tag was.
pub fn html_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    // Inside an element whose content is skipped: the closing tag to wait for.
    let mut skip_until: Option<&'static str> = None;
    while let Some(lt) = rest.find('<') {
        if skip_until.is_none() {
            decode_into(&rest[..lt], &mut out);
        }
        let tag_end = rest[lt..].find('>').map_or(rest.len(), |g| lt + g + 1);
        let tag = &rest[lt..tag_end];
        let starts = |prefix: &str| {
            tag.get(..prefix.len())
                .is_some_and(|t| t.eq_ignore_ascii_case(prefix))
        };
        match skip_until {
            Some(close) => {
                if starts(close) {
                    skip_until = None;
                }
            }
            None => {
                if starts("<script") {
                    skip_until = Some("</script");
                } else if starts("<style") {
                    skip_until = Some("</style");
                } else if starts("<sup class=\"citation\"") {
                    skip_until = Some("</sup");
                }
            }
        }
        out.push(' ');
        rest = &rest[tag_end..];
    }
    if skip_until.is_none() {
        decode_into(rest, &mut out);
    }
    out
}

/// Appends `text` with `&amp;`, `&#39;`, `&#x2019;` … decoded; anything else
/// after an `&` is kept as written.
fn decode_into(text: &str, out: &mut String) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest[1..].find(';').filter(|&e| e <= 10).map(|e| e + 1);
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => {
                    let n = name.strip_prefix('#')?;
                    let code = match n.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => n.parse().ok()?,
                    };
                    char::from_u32(code)
                }
            };
            c.map(|c| (c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The words of `text` as search terms, in order (with repeats).
    fn terms(text: &str) -> Vec<String> {
        let folded = fold(text);
        words(&folded).map(str::to_string).collect()
    }

    #[test]
    fn terms_fold_case_and_diacritics_and_split_on_non_letters() {
        assert_eq!(
            terms("Tomás SAID: “Ünïcode” café-crème, 18 Oct. ﬁne"),
            [
                "tomas", "said", "unicode", "cafe", "creme", "18", "oct", "fine"
            ]
        );
        assert_eq!(terms("Ελλάδα Москва"), ["ελλαδα", "москва"]);
        let long = "a".repeat(60);
        assert_eq!(terms(&long), ["a".repeat(MAX_TERM_CHARS)]);
    }

    #[test]
    fn html_text_drops_tags_citation_marks_and_scripts() {
        let html = "<p>Aid &amp; trucks<sup class=\"citation\"><a href=\"#ref-1\">1</a></sup> \
                    arrived&#x2019;s<script>var secret=1</script></p><style>p{}</style>end";
        let text = html_text(html);
        assert_eq!(terms(&text), ["aid", "trucks", "arrived", "s", "end"]);
    }
}
