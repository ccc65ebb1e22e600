//! Splits a Markdown file into its YAML front matter and its body,
//! remembering on which file lines each starts.

/// A file cut in two.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the `---` lines.
    pub front: &'a str,
    /// File line of the YAML's first line.
    pub front_line: usize,
    /// The Markdown after the closing `---`.
    pub body: &'a str,
    /// File line of the body's first line.
    pub body_line: usize,
}

/// Why a file could not be split; each names a 1-based line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// The file does not start with `---`.
    Missing,
    /// The opening `---` has no closing `---`.
    Unclosed,
}

/// Splits `text` (already LF-normalised) at its `---` fences.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let rest = match text.strip_prefix("---") {
        Some(rest) if rest.starts_with('\n') || rest.is_empty() => {
            rest.strip_prefix('\n').unwrap_or(rest)
        }
        Some(rest) if rest.trim_end_matches([' ', '\t']).starts_with('\n') => rest
            .trim_start_matches([' ', '\t'])
            .strip_prefix('\n')
            .unwrap_or(""),
        _ => return Err(SplitError::Missing),
    };
    let mut offset = 0;
    for (i, line) in rest.split_inclusive('\n').enumerate() {
        if line.trim_end() == "---" {
            let front = &rest[..offset];
            let body = &rest[offset + line.len()..];
            return Ok(Split {
                front,
                front_line: 2,
                body,
                body_line: i + 3,
            });
        }
        offset += line.len();
    }
    Err(SplitError::Unclosed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_counts_lines() {
        let s = split("---\ntitle: x\ndate: y\n---\nBody\n").unwrap();
        assert_eq!(s.front, "title: x\ndate: y\n");
        assert_eq!(s.front_line, 2);
        assert_eq!(s.body, "Body\n");
        assert_eq!(s.body_line, 5);
    }

    #[test]
    fn missing_and_unclosed() {
        assert_eq!(split("title: x\n"), Err(SplitError::Missing));
        assert_eq!(split("---\ntitle: x\n"), Err(SplitError::Unclosed));
        assert_eq!(split(""), Err(SplitError::Missing));
    }
}
