//! Cross-link targets: `[[slug]]`, `[[source:id]]`, `[[claimant:id]]`,
//! `[[tag:name]]`, `[[verdict:key]]` (pulldown-cmark parses the brackets;
//! this reads what is inside) and relative links to other briefs' `.md`
//! files.

/// What a cross-link points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target<'a> {
    /// A brief, by slug.
    Brief(&'a str),
    /// A source, by id.
    Source(&'a str),
    /// A claimant, by id.
    Claimant(&'a str),
    /// A tag, by name.
    Tag(&'a str),
    /// A verdict, by key.
    Verdict(&'a str),
}

impl Target<'_> {
    /// The kind as editors write it before the colon.
    pub fn kind(&self) -> &'static str {
        match self {
            Target::Brief(_) => "brief",
            Target::Source(_) => "source",
            Target::Claimant(_) => "claimant",
            Target::Tag(_) => "tag",
            Target::Verdict(_) => "verdict",
        }
    }

    /// The id, slug, name or key.
    pub fn name(&self) -> &str {
        match self {
            Target::Brief(s)
            | Target::Source(s)
            | Target::Claimant(s)
            | Target::Tag(s)
            | Target::Verdict(s) => s,
        }
    }
}

/// Reads the inside of `[[…]]` (the part before `|`).
pub fn parse_target(dest: &str) -> Result<Target<'_>, String> {
    let dest = dest.trim();
    let Some((kind, name)) = dest.split_once(':') else {
        return Ok(Target::Brief(dest));
    };
    let name = name.trim();
    match kind.trim() {
        "source" => Ok(Target::Source(name)),
        "claimant" => Ok(Target::Claimant(name)),
        "tag" => Ok(Target::Tag(name)),
        "verdict" => Ok(Target::Verdict(name)),
        "brief" => Ok(Target::Brief(name)),
        other => Err(format!(
            "unknown cross-link kind `{other}`; use source:, claimant:, tag:, verdict: or a brief slug"
        )),
    }
}

/// For a relative link to a `.md` file (`../2024/other.md#part`), the
/// linked file's path relative to the site root and the fragment.
/// `None` for any other link (absolute, with a scheme, or not `.md`).
pub fn relative_markdown<'a>(from_file: &str, dest: &'a str) -> Option<(String, Option<&'a str>)> {
    if dest.is_empty() || dest.starts_with('/') || dest.starts_with('#') || has_scheme(dest) {
        return None;
    }
    let (path, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (dest, None),
    };
    let path = path.split('?').next().unwrap_or(path);
    if !path.ends_with(".md") {
        return None;
    }
    let mut parts: Vec<&str> = from_file.split('/').collect();
    parts.pop();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    Some((parts.join("/"), fragment))
}

fn has_scheme(dest: &str) -> bool {
    match dest.find(':') {
        Some(i) => {
            dest[..i]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && i > 0
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets() {
        assert_eq!(parse_target("gaza-aid"), Ok(Target::Brief("gaza-aid")));
        assert_eq!(parse_target("source:wion"), Ok(Target::Source("wion")));
        assert_eq!(parse_target("verdict:false"), Ok(Target::Verdict("false")));
        assert!(parse_target("souce:wion").is_err());
    }

    #[test]
    fn relative_links() {
        let from = "content/briefs/2025/a.md";
        assert_eq!(
            relative_markdown(from, "b.md"),
            Some(("content/briefs/2025/b.md".into(), None))
        );
        assert_eq!(
            relative_markdown(from, "../2024/c.md#x"),
            Some(("content/briefs/2024/c.md".into(), Some("x")))
        );
        assert_eq!(relative_markdown(from, "https://x.org/a.md"), None);
        assert_eq!(relative_markdown(from, "notes.txt"), None);
    }
}
