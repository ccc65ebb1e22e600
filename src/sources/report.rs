//! How `verity sources check` and `verity sources archive` report, for
//! people and for tools. The JSON shapes are part of Verity's contract
//! (see docs/sources.md); the human forms are for reading.

use super::archive::{self, How};
use super::check::{self, Field};
use super::clock::utc_day;
use crate::content::source::LinkState;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// `{"links": [...], "summary": {STATE: N}}`, every state in the summary.
pub fn check_json(r: &check::Report) -> String {
    #[derive(Serialize)]
    struct Doc<'a> {
        links: &'a [check::Link],
        summary: BTreeMap<&'static str, usize>,
    }
    let doc = Doc {
        links: &r.links,
        summary: summary(r),
    };
    serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".to_string())
}

fn summary(r: &check::Report) -> BTreeMap<&'static str, usize> {
    LinkState::ALL
        .iter()
        .map(|s| (s.as_str(), r.links.iter().filter(|l| l.state == *s).count()))
        .collect()
}

/// The summary table, then one `file:line: source ID: state (reason)` line
/// per problem (anything not `ok`, and each missing quote), in file order.
pub fn check_human(r: &check::Report) -> String {
    let mut out = String::new();
    let cached = r.links.iter().filter(|l| l.cached).count();
    let _ = writeln!(
        out,
        "{} link{} of {} source{} checked{}",
        r.links.len(),
        plural(r.links.len()),
        r.sources,
        plural(r.sources),
        if cached > 0 {
            format!(" ({cached} answer{} from the cache)", plural(cached))
        } else {
            String::new()
        }
    );
    let counts = summary(r);
    for s in LinkState::ALL {
        let _ = writeln!(out, "  {:<15}{:>5}", s.as_str(), counts[s.as_str()]);
    }
    let quotes: usize = r.links.iter().map(|l| l.quote_missing.len()).sum();
    let _ = writeln!(out, "  {:<15}{:>5}", "quotes missing", quotes);
    let mut problems: Vec<((String, usize), String)> = Vec::new();
    for l in &r.links {
        let who = match l.field {
            Field::Url => format!("source {}", l.source),
            Field::Archived => format!("source {}: archived", l.source),
        };
        if l.state != LinkState::Ok {
            let mut why = l.reason.clone().unwrap_or_default();
            if l.cached {
                let note = format!("cached from {}", utc_day(l.checked_at));
                why = if why.is_empty() {
                    note
                } else {
                    format!("{why}; {note}")
                };
            }
            let why = if why.is_empty() {
                String::new()
            } else {
                format!(" ({why})")
            };
            problems.push((l.at.clone(), format!("{who}: {}{why}", l.state)));
        }
        for q in &l.quote_missing {
            problems.push((
                l.quotes_at.clone(),
                format!("{who}: quote missing (\"{q}\")"),
            ));
        }
    }
    problems.sort();
    if !problems.is_empty() {
        out.push('\n');
    }
    for ((file, line), text) in problems {
        let _ = writeln!(out, "{file}:{line}: {text}");
    }
    for note in &r.notes {
        let _ = writeln!(out, "note: {note}");
    }
    for at in &r.recorded {
        let _ = writeln!(out, "recorded `checked` at {at}");
    }
    out
}

/// `{"found": [...], "missing": [...], "errors": [...]}`.
pub fn archive_json(r: &archive::Report) -> String {
    serde_json::to_string_pretty(r).unwrap_or_else(|_| "{}".to_string())
}

/// One line per source looked up; what was written or would be.
pub fn archive_human(r: &archive::Report, write: bool) -> String {
    let mut out = String::new();
    for f in &r.found {
        let how = match f.how {
            How::Available => "availability API",
            How::Cdx => "CDX API",
            How::Saved => "saved now",
        };
        let _ = writeln!(out, "source {}: found {} ({how})", f.source, f.archived);
        if write {
            for at in &f.written {
                let _ = writeln!(out, "  wrote `archived:` at {at}");
            }
        } else {
            for at in &f.targets {
                let _ = writeln!(
                    out,
                    "  would add at {at}: archived: {}",
                    super::writeback::scalar(&f.archived)
                );
            }
        }
    }
    for id in &r.missing {
        let _ = writeln!(
            out,
            "source {id}: no archived copy found (--save asks the Wayback Machine to make one)"
        );
    }
    for e in &r.errors {
        let _ = writeln!(out, "source {}: error: {}", e.source, e.message);
    }
    if !r.already.is_empty() {
        let _ = writeln!(
            out,
            "{} source{} already ha{} an archived copy",
            r.already.len(),
            plural(r.already.len()),
            if r.already.len() == 1 { "s" } else { "ve" }
        );
    }
    if !write && !r.found.is_empty() {
        let _ = writeln!(out, "nothing was written: run with --write to add these");
    }
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
