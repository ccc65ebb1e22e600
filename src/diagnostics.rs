//! Content problems as values: every stage pushes [`Diagnostic`]s into a
//! [`Diagnostics`] collector and keeps going, so an editor sees every problem
//! of a site in one run. The two reporters (`human` and `json`) are the only
//! code that decides how a problem looks on screen.

use serde::Serialize;
use std::fmt::Write as _;

/// How bad a problem is: errors stop a build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The site cannot be built until this is fixed.
    Error,
    /// Worth a look, but the site is still built.
    Warning,
}

/// One problem at one place of one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Path of the file, relative to the site root, with `/` separators.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub col: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it, e.g. "did you mean `accurate`?".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error at `file:line:col`.
    pub fn error(file: &str, line: usize, col: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.to_string(),
            line: line.max(1),
            col: col.max(1),
            message: message.into(),
            help: None,
        }
    }

    /// A warning at `file:line:col`.
    pub fn warning(file: &str, line: usize, col: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, line, col, message)
        }
    }

    /// Adds a hint on how to fix the problem.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a hint when there is one.
    pub fn with_optional_help(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }
}

/// The problems found so far, in no particular order until [`Diagnostics::sorted`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty collector.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records one problem.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Records every problem of `other`.
    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    /// Whether any problem is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    /// Whether there is nothing to report.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The problems sorted by file, line, column, then message: the order
    /// both reporters print.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut items: Vec<&Diagnostic> = self.items.iter().collect();
        items.sort_by(|a, b| {
            (&a.file, a.line, a.col, a.severity, &a.message)
                .cmp(&(&b.file, b.line, b.col, b.severity, &b.message))
        });
        items.dedup();
        items
    }

    /// The human report: one `file:line:col: severity: message` line per
    /// problem, an indented `help:` line under it when there is a hint, and
    /// a closing count.
    pub fn human(&self) -> String {
        let mut out = String::new();
        for d in self.sorted() {
            let severity = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let _ = writeln!(
                out,
                "{}:{}:{}: {}: {}",
                d.file, d.line, d.col, severity, d.message
            );
            if let Some(help) = &d.help {
                let _ = writeln!(out, "  help: {help}");
            }
        }
        let (errors, warnings) = (self.error_count(), self.warning_count());
        if errors + warnings > 0 {
            let _ = writeln!(
                out,
                "{} {}, {} {}",
                errors,
                plural(errors, "error", "errors"),
                warnings,
                plural(warnings, "warning", "warnings")
            );
        }
        out
    }

    /// The JSON report for editors' tooling: `{"errors": N, "warnings": N,
    /// "diagnostics": [...]}`, in the same order as the human one.
    pub fn json(&self) -> String {
        #[derive(Serialize)]
        struct Report<'a> {
            errors: usize,
            warnings: usize,
            diagnostics: Vec<&'a Diagnostic>,
        }
        let report = Report {
            errors: self.error_count(),
            warnings: self.warning_count(),
            diagnostics: self.sorted(),
        };
        serde_json::to_string_pretty(&report).unwrap_or_else(|_| String::from("{}"))
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// The closest of `candidates` to `wanted`, as a "did you mean" hint, if any
/// is close enough to be a plausible typo.
///
/// Linear in the number of candidates; callers with many candidates pass a
/// pre-filtered list (see `resolve::targets`).
pub fn suggest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let wanted_lower = wanted.to_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for candidate in candidates {
        let score = strsim::jaro_winkler(&wanted_lower, &candidate.to_lowercase());
        if score >= 0.8 && best.is_none_or(|(b, c)| score > b || (score == b && candidate < c)) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, c)| format!("did you mean `{c}`?"))
}

/// [`suggest`]'s hint for `wanted` when one is close enough, else a list
/// of every candidate (`use one of: a, b, c`): for short closed lists of
/// keywords, where naming them all helps.
pub fn suggest_or_list(wanted: &str, candidates: &[&str]) -> String {
    suggest(wanted, candidates.iter().copied())
        .unwrap_or_else(|| format!("use one of: {}", candidates.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_report_is_sorted_and_counts() {
        let mut d = Diagnostics::new();
        d.push(Diagnostic::warning("b.md", 1, 1, "late"));
        d.push(Diagnostic::error("a.md", 9, 2, "second").with_help("fix it"));
        d.push(Diagnostic::error("a.md", 3, 5, "first"));
        assert_eq!(
            d.human(),
            "a.md:3:5: error: first\na.md:9:2: error: second\n  help: fix it\nb.md:1:1: warning: late\n2 errors, 1 warning\n"
        );
    }

    #[test]
    fn suggestion_picks_the_nearest_plausible_candidate() {
        let keys = ["accurate", "mostly-accurate", "false"];
        assert_eq!(
            suggest("acurate", keys).as_deref(),
            Some("did you mean `accurate`?")
        );
        assert_eq!(suggest("zzzz", keys), None);
    }
}
