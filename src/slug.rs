//! Slugs and ids: the one rule for every name that becomes a URL segment.
//!
//! Decision: slugs of briefs and pages, and ids of sources and claimants, are
//! lowercase ASCII letters and digits separated by single dashes (the form
//! [`slugify`] produces). That form is the same on case-insensitive hosts,
//! needs no percent-encoding, and cannot hold `/`, `..` or `%`.
//! A brief's default slug is its file stem slugified (`My Brief.md` →
//! `my-brief`); an id or slug that an editor writes explicitly must already
//! be in that form, and is an error otherwise (with the slugified form as the
//! hint), because other files refer to it by that exact text.

/// `"Antony Blinken"` → `"antony-blinken"`, `"Tomás"` → `"tomas"`.
pub fn slugify(text: &str) -> String {
    slug::slugify(text)
}

/// Whether `text` is already a valid slug or id.
pub fn is_valid(text: &str) -> bool {
    !text.is_empty()
        && text.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slugify("Antony Blinken"), "antony-blinken");
        assert_eq!(slugify("Tomás  Silva!"), "tomas-silva");
        assert!(is_valid("wion-blinken-aid-threat"));
        for bad in ["", "Foo", "a--b", "-a", "a/b", "..", "a%20b", "a b", "é"] {
            assert!(!is_valid(bad), "{bad}");
        }
    }
}
