//! `verity sources check`: every link of the chosen sources, classified,
//! quotes checked, answers cached, outcomes optionally recorded.

use super::cache::{Cache, Entry};
use super::clock::{unix_seconds, utc_day};
use super::fetch::{self, Net};
use super::writeback::flow_mapping;
use super::{Inventory, Record, quotes};
use crate::content::source::LinkState;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What `verity sources check` was asked.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Reuse fresh answers from the cache.
    pub use_cache: bool,
    /// Write `checked: {date, state}` into each source.
    pub record: bool,
    /// Any `dead` link or missing quote fails the check.
    pub strict: bool,
}

/// Which address of a source a link is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Field {
    /// The original, `url`.
    Url,
    /// The archived copy, `archived`.
    Archived,
}

impl Field {
    /// The YAML key.
    pub fn key(self) -> &'static str {
        match self {
            Field::Url => "url",
            Field::Archived => "archived",
        }
    }
}

/// One checked link: the JSON report's `links` entries, plus what the
/// human report needs.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    /// The source's id.
    pub source: String,
    /// `url` or `archived`.
    pub field: Field,
    /// The address.
    pub url: String,
    /// What it is.
    #[serde(serialize_with = "state_name")]
    pub state: LinkState,
    /// The last answer's status.
    pub http_status: Option<u16>,
    /// Where redirects led.
    pub final_url: Option<String>,
    /// Requests made in this run (0: the answer came from the cache).
    pub attempts: u32,
    /// Quotes (as written) that the page no longer contains.
    pub quote_missing: Vec<String>,
    /// Why, for people.
    #[serde(skip)]
    pub reason: Option<String>,
    /// `file:line` of the key.
    #[serde(skip)]
    pub at: (String, usize),
    /// `file:line` of the source's `quotes`.
    #[serde(skip)]
    pub quotes_at: (String, usize),
    /// When the answer was found (Unix seconds).
    #[serde(skip)]
    pub checked_at: u64,
    /// Whether it came from the cache.
    #[serde(skip)]
    pub cached: bool,
}

fn state_name<S: serde::Serializer>(s: &LinkState, ser: S) -> Result<S::Ok, S::Error> {
    ser.serialize_str(s.as_str())
}

/// Everything a check found.
#[derive(Debug, Default)]
pub struct Report {
    /// Every link, by source id then field.
    pub links: Vec<Link>,
    /// Why the check fails (exit status 1); empty when it passes.
    pub failures: Vec<String>,
    /// `file:line` of each `checked:` written by `--record`.
    pub recorded: Vec<String>,
    /// Things worth saying that change nothing (cache unreadable …).
    pub notes: Vec<String>,
    /// Sources checked.
    pub sources: usize,
}

/// Shows how far a check is.
pub trait Progress: Sync {
    /// `total` links are about to be fetched.
    fn start(&self, total: usize);
    /// One more is done.
    fn tick(&self);
    /// All are done.
    fn finish(&self);
}

/// No progress shown.
pub struct Silent;

impl Progress for Silent {
    fn start(&self, _: usize) {}
    fn tick(&self) {}
    fn finish(&self) {}
}

/// An answer for one address, fetched or cached.
struct Answer {
    entry: Entry,
    attempts: u32,
    cached: bool,
}

/// Checks the links of `records`.
pub fn run(
    inv: &Inventory,
    records: &[&Record],
    net: &Net,
    options: &Options,
    progress: &dyn Progress,
) -> Report {
    let mut report = Report {
        sources: records.len(),
        ..Report::default()
    };
    let mut wanted: Vec<(&Record, Field, &str)> = Vec::new();
    for r in records {
        wanted.push((r, Field::Url, &r.source.url));
        if let Some(a) = &r.source.archived {
            wanted.push((r, Field::Archived, a));
        }
    }
    let mut by_url: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for (r, _, url) in &wanted {
        by_url
            .entry(url)
            .or_default()
            .extend(r.source.quotes.iter().map(|q| quotes::normalise(q)));
    }
    let now = unix_seconds(net.clock.wall());
    let (mut cache, warning) = Cache::load(&inv.root);
    report.notes.extend(warning);
    let mut answers: HashMap<&str, Answer> = HashMap::new();
    let mut to_fetch: Vec<&str> = Vec::new();
    for (url, q) in &by_url {
        let q: Vec<String> = q.iter().cloned().collect();
        match cache.lookup(url, now, &q).filter(|_| options.use_cache) {
            Some(e) => {
                answers.insert(
                    url,
                    Answer {
                        entry: e.clone(),
                        attempts: 0,
                        cached: true,
                    },
                );
            }
            None => to_fetch.push(url),
        }
    }
    progress.start(to_fetch.len());
    let outcomes = fetch::run_all(
        &net.limits,
        &to_fetch,
        |u| fetch::host_of(u),
        |u| net.check(u),
        &|| progress.tick(),
    );
    progress.finish();
    for (url, o) in to_fetch.iter().zip(outcomes) {
        let wanted_quotes = &by_url[url];
        let found = o.page.as_ref().and_then(|p| {
            if wanted_quotes.is_empty() {
                return Some(BTreeMap::new());
            }
            let text = quotes::page_text(&p.body, p.content_type.as_deref())?;
            Some(
                wanted_quotes
                    .iter()
                    .map(|q| (q.clone(), text.contains(q.as_str())))
                    .collect(),
            )
        });
        let mut reason = o.reason.clone();
        if o.page.as_ref().is_some_and(|p| p.truncated) {
            let note = format!(
                "only the first {} MiB read",
                net.limits.max_body / (1024 * 1024)
            );
            reason = Some(match reason {
                Some(r) => format!("{r}, {note}"),
                None => note,
            });
        }
        let entry = Entry {
            state: o.state.as_str().to_string(),
            http_status: o.http_status,
            final_url: o.final_url.clone(),
            reason,
            checked_at: now,
            quotes: found,
        };
        if o.cacheable {
            cache.store(url, entry.clone());
        }
        answers.insert(
            url,
            Answer {
                entry,
                attempts: o.attempts,
                cached: false,
            },
        );
    }
    if let Err(e) = cache.save(&inv.root, now) {
        report
            .notes
            .push(format!("the link cache was not saved: {e:#}"));
    }
    for (r, field, url) in wanted {
        let Some(a) = answers.get(url) else { continue };
        let state = a.entry.link_state().unwrap_or(LinkState::Transient);
        let quote_missing = match (&a.entry.quotes, state) {
            (Some(found), LinkState::Ok | LinkState::Redirected) => r
                .source
                .quotes
                .iter()
                .filter(|q| found.get(&quotes::normalise(q)) == Some(&false))
                .cloned()
                .collect(),
            _ => Vec::new(),
        };
        report.links.push(Link {
            source: r.source.id.clone(),
            field,
            url: url.to_string(),
            state,
            http_status: a.entry.http_status,
            final_url: a.entry.final_url.clone(),
            attempts: a.attempts,
            quote_missing,
            reason: a.entry.reason.clone(),
            at: inv.key_location(r, field.key()),
            quotes_at: inv.key_location(r, "quotes"),
            checked_at: a.entry.checked_at,
            cached: a.cached,
        });
    }
    report
        .links
        .sort_by(|a, b| (&a.source, a.field).cmp(&(&b.source, b.field)));
    report.failures = failures(&report.links, records, options.strict);
    if options.record {
        record(inv, records, &mut report);
    }
    report
}

/// Why the check fails: a cited original dead without an archived copy,
/// a dead archived copy, and with `strict` any dead link or missing quote.
fn failures(links: &[Link], records: &[&Record], strict: bool) -> Vec<String> {
    let by_id: HashMap<&str, &Record> =
        records.iter().map(|r| (r.source.id.as_str(), *r)).collect();
    let mut out = Vec::new();
    for l in links {
        let Some(r) = by_id.get(l.source.as_str()) else {
            continue;
        };
        let dead = l.state == LinkState::Dead;
        match l.field {
            Field::Url if dead && r.cited && r.source.archived.is_none() => out.push(format!(
                "source `{}` is cited, its original is dead and it has no archived copy (run verity sources archive --write)",
                l.source
            )),
            Field::Archived if dead => out.push(format!(
                "the archived copy of source `{}` is dead",
                l.source
            )),
            _ if strict && dead => out.push(format!(
                "source `{}`: the {} is dead (--strict)",
                l.source,
                if l.field == Field::Url { "original" } else { "archived copy" }
            )),
            _ => {}
        }
        if strict && !l.quote_missing.is_empty() {
            out.push(format!(
                "source `{}`: {} quote{} missing from the {} (--strict)",
                l.source,
                l.quote_missing.len(),
                if l.quote_missing.len() == 1 { "" } else { "s" },
                if l.field == Field::Url {
                    "original"
                } else {
                    "archived copy"
                }
            ));
        }
    }
    out
}

/// `--record`: `checked: {date, state}` of each source's original into
/// every declaration of it. A `transient` answer says nothing about the
/// page, so it is not recorded (the previous record stays).
fn record(inv: &Inventory, records: &[&Record], report: &mut Report) {
    for r in records {
        let Some(l) = report
            .links
            .iter()
            .find(|l| l.source == r.source.id && l.field == Field::Url)
        else {
            continue;
        };
        if l.state == LinkState::Transient {
            report.notes.push(format!(
                "source `{}`: not recorded: a transient answer tells nothing about the page",
                r.source.id
            ));
            continue;
        }
        let day = utc_day(l.checked_at);
        let value = flow_mapping(&[("date", &day), ("state", l.state.as_str())]);
        match inv.write_key(r, "checked", &value) {
            Ok(changed) => report.recorded.extend(changed),
            Err(e) => report.failures.push(format!("--record: {e}")),
        }
    }
}
