//! The citation syntax on top of Markdown text: `[@id]`, `[@a; @b]` and
//! `[@id, para. 4]`. This scans plain text only: code spans, code blocks,
//! link destinations and raw HTML never reach it.

/// One cited source inside a citation group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cite<'a> {
    /// The source id after `@`.
    pub id: &'a str,
    /// What follows the comma (`para. 4`), trimmed.
    pub locator: Option<&'a str>,
}

/// A piece of a text run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Ordinary text, to print as it is.
    Text(&'a str),
    /// A citation group at byte `at` of the run.
    Group {
        /// Byte offset of the `[`.
        at: usize,
        /// The sources cited, in order.
        cites: Vec<Cite<'a>>,
    },
    /// A group whose content is not valid: `[@` then something that is
    /// not `@id[, locator]` items separated by `;`, or no closing `]`.
    Malformed {
        /// Byte offset of the `[`.
        at: usize,
        /// The text of the group as written, printed unchanged.
        raw: &'a str,
        /// What is wrong.
        reason: &'static str,
    },
}

fn is_id_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.'
}

/// Splits `text` into plain text and citation groups. A `[` followed by
/// `@` and an id character starts a group; anything else is text (so
/// `[@ home]` and `desk@example.org` are left alone).
pub fn scan(text: &str) -> Vec<Piece<'_>> {
    let bytes = text.as_bytes();
    let mut pieces = Vec::new();
    let mut plain_from = 0;
    let mut i = 0;
    while i < bytes.len() {
        let starts_group = bytes[i] == b'['
            && bytes.get(i + 1) == Some(&b'@')
            && bytes.get(i + 2).is_some_and(|&b| is_id_byte(b));
        if !starts_group {
            i += 1;
            continue;
        }
        if plain_from < i {
            pieces.push(Piece::Text(&text[plain_from..i]));
        }
        // The group ends at the first `]`; a `[` before it means the group
        // was never closed.
        let close = text[i + 1..].find([']', '[', '\n']).map(|j| i + 1 + j);
        match close {
            Some(end) if bytes[end] == b']' => {
                let inner = &text[i + 1..end];
                match parse_group(inner) {
                    Ok(cites) => pieces.push(Piece::Group { at: i, cites }),
                    Err(reason) => pieces.push(Piece::Malformed {
                        at: i,
                        raw: &text[i..=end],
                        reason,
                    }),
                }
                i = end + 1;
            }
            _ => {
                pieces.push(Piece::Malformed {
                    at: i,
                    raw: &text[i..i + 2],
                    reason: "the citation is never closed with `]`",
                });
                i += 2;
            }
        }
        plain_from = i;
    }
    if plain_from < text.len() {
        pieces.push(Piece::Text(&text[plain_from..]));
    }
    pieces
}

fn parse_group(inner: &str) -> Result<Vec<Cite<'_>>, &'static str> {
    let mut cites = Vec::new();
    for item in inner.split(';') {
        let item = item.trim();
        let Some(rest) = item.strip_prefix('@') else {
            return Err("every item of a citation must start with `@`, e.g. `[@a; @b]`");
        };
        let (id, locator) = match rest.split_once(',') {
            Some((id, locator)) => (id.trim(), Some(locator.trim()).filter(|l| !l.is_empty())),
            None => (rest.trim(), None),
        };
        if id.is_empty() || !id.bytes().all(is_id_byte) {
            return Err(
                "a cited id may hold only letters, digits and dashes, e.g. `[@source-id, para. 4]`",
            );
        }
        cites.push(Cite { id, locator });
    }
    Ok(cites)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(pieces: &[Piece<'_>]) -> Vec<String> {
        pieces
            .iter()
            .map(|p| match p {
                Piece::Text(t) => format!("T({t})"),
                Piece::Group { cites, .. } => format!(
                    "G({})",
                    cites
                        .iter()
                        .map(|c| format!(
                            "{}{}",
                            c.id,
                            c.locator.map(|l| format!("|{l}")).unwrap_or_default()
                        ))
                        .collect::<Vec<_>>()
                        .join(",")
                ),
                Piece::Malformed { .. } => "M".to_string(),
            })
            .collect()
    }

    #[test]
    fn groups_locators_and_text() {
        assert_eq!(
            ids(&scan("See [@a] and [@b; @c, para. 4].")),
            ["T(See )", "G(a)", "T( and )", "G(b,c|para. 4)", "T(.)"]
        );
    }

    #[test]
    fn not_citations() {
        assert_eq!(
            ids(&scan("mail desk@example.org or [@ home] [x]")),
            ["T(mail desk@example.org or [@ home] [x])"]
        );
    }

    #[test]
    fn unclosed_and_malformed() {
        assert_eq!(
            ids(&scan("oops [@a and more")),
            ["T(oops )", "M", "T(a and more)"]
        );
        assert_eq!(ids(&scan("[@a; b]")), ["M"]);
    }
}
