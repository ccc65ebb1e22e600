//! A brief's `corrections:` log: dated, kinded entries, oldest first.
//!
//! Desks tell a typo fix from a change of verdict, an update or a
//! retraction; each entry says which with `kind` (default `correction`). A
//! `verdict-change` names the verdict the brief had before with
//! `previous_verdict`, a key of the scale.

use crate::config::SiteConfig;
use crate::dates::Date;
use crate::diagnostics::suggest_or_list;
use crate::fields::Fields;
use crate::yaml::{self, Node};

/// What kind of change a correction records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Kind {
    /// An error fixed (the default).
    #[default]
    Correction,
    /// Wording made clearer; the finding stands.
    Clarification,
    /// New information added.
    Update,
    /// The verdict changed; the entry names the previous one.
    VerdictChange,
    /// The brief is withdrawn: the page stays, its ClaimReview goes.
    Retraction,
}

impl Kind {
    /// Every kind, as written in front matter.
    pub const ALL: [Kind; 5] = [
        Kind::Correction,
        Kind::Clarification,
        Kind::Update,
        Kind::VerdictChange,
        Kind::Retraction,
    ];

    /// The key editors write (`verdict-change`).
    pub fn key(self) -> &'static str {
        match self {
            Kind::Correction => "correction",
            Kind::Clarification => "clarification",
            Kind::Update => "update",
            Kind::VerdictChange => "verdict-change",
            Kind::Retraction => "retraction",
        }
    }

    /// What readers see (`Verdict changed`).
    pub fn label(self) -> &'static str {
        match self {
            Kind::Correction => "Correction",
            Kind::Clarification => "Clarification",
            Kind::Update => "Update",
            Kind::VerdictChange => "Verdict changed",
            Kind::Retraction => "Retraction",
        }
    }

    fn parse(text: &str) -> Option<Kind> {
        let text = text.trim();
        Kind::ALL
            .into_iter()
            .find(|k| k.key().eq_ignore_ascii_case(text))
    }
}

/// One entry of the corrections log.
#[derive(Debug, Clone, PartialEq)]
pub struct Correction {
    /// When the correction was made.
    pub date: Date,
    /// What kind of change it records.
    pub kind: Kind,
    /// What was corrected.
    pub note: String,
    /// For a verdict change: the verdict before it (canonical key).
    pub previous_verdict: Option<String>,
}

/// A corrections entry as written (`kind` and `previous_verdict` are read
/// from the node, so `previous_verdict: false` means the key `false`).
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    date: String,
    note: String,
    #[serde(default, rename = "kind")]
    _kind: Option<serde::de::IgnoredAny>,
    #[serde(default, rename = "previous_verdict")]
    _previous_verdict: Option<serde::de::IgnoredAny>,
}

/// Reads `corrections` from a brief's front matter: every bad entry is
/// reported at its `file:line:col`, with a hint.
pub fn read(f: &mut Fields<'_>, config: &SiteConfig) -> Vec<Correction> {
    let Some(value) = f.take("corrections") else {
        return Vec::new();
    };
    let list = match yaml::from_node::<Vec<Raw>>(&value) {
        Ok(list) => list,
        Err(message) => {
            let d = f
                .error_at("corrections", format!("`corrections`: {message}"))
                .with_help(
                    "write each entry as `- date: YYYY-MM-DD`, `note: \"…\"` and, if it is not a plain correction, `kind:`",
                );
            f.push(d);
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for (raw, node) in list.into_iter().zip(value.items()) {
        if let Some(c) = entry(f, config, raw, node) {
            out.push(c);
        }
    }
    out
}

/// One entry, checked.
fn entry(f: &mut Fields<'_>, config: &SiteConfig, raw: Raw, node: &Node) -> Option<Correction> {
    let date = match Date::parse(&raw.date) {
        Ok(date) => Some(date),
        Err(message) => {
            let d = f.error_in(
                "corrections",
                node.get("date"),
                format!("correction date: {message}"),
            );
            f.push(d);
            None
        }
    };
    let kinds = Kind::ALL.map(Kind::key);
    let kind = match node.get("kind").filter(|n| !n.is_null()) {
        None => Some(Kind::Correction),
        Some(n) => {
            let written = n.text().unwrap_or_default();
            let kind = Kind::parse(written);
            if kind.is_none() {
                let help = suggest_or_list(written, &kinds);
                let d = f
                    .error_in(
                        "corrections",
                        Some(n),
                        format!("unknown correction kind `{written}`"),
                    )
                    .with_help(help);
                f.push(d);
            }
            kind
        }
    };
    let previous = node.get("previous_verdict").filter(|n| !n.is_null());
    let previous_verdict = match (kind, previous) {
        (Some(Kind::VerdictChange), None) => {
            let d = f
                .error_in(
                    "corrections",
                    Some(node),
                    "a `verdict-change` correction needs `previous_verdict`",
                )
                .with_help(
                    "add `previous_verdict: KEY`, the verdict the brief had before the change",
                );
            f.push(d);
            None
        }
        (Some(k), Some(n)) if k != Kind::VerdictChange => {
            let d = f
                .error_in(
                    "corrections",
                    Some(n),
                    format!(
                        "`previous_verdict` belongs to a `verdict-change`, not a `{}`",
                        k.key()
                    ),
                )
                .with_help("write `kind: verdict-change`, or remove `previous_verdict`");
            f.push(d);
            None
        }
        (_, Some(n)) => {
            let written = n.text().unwrap_or_default();
            match config.verdict(written) {
                Some(v) => Some(v.key.clone()),
                None => {
                    let keys: Vec<&str> = config.verdicts.iter().map(|v| v.key.as_str()).collect();
                    let help = suggest_or_list(written, &keys);
                    let d = f
                        .error_in(
                            "corrections",
                            Some(n),
                            format!("`previous_verdict` `{written}` is not on the verdict scale"),
                        )
                        .with_help(help);
                    f.push(d);
                    None
                }
            }
        }
        (_, None) => None,
    };
    let kind = kind?;
    if kind == Kind::VerdictChange && previous_verdict.is_none() {
        return None;
    }
    Some(Correction {
        date: date?,
        kind,
        note: raw.note,
        previous_verdict,
    })
}

#[cfg(test)]
mod tests {
    use super::Kind;

    #[test]
    fn kinds_read_in_any_case_and_have_labels() {
        assert_eq!(Kind::parse(" Verdict-Change "), Some(Kind::VerdictChange));
        assert_eq!(Kind::parse("retract"), None);
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.key()), Some(k));
            assert!(!k.label().is_empty());
        }
    }
}
