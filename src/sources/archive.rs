//! `verity sources archive`: a Wayback Machine copy for each source that
//! has none.
//!
//! 1. The availability API (`/wayback/available?url=U&timestamp=T`): the
//!    snapshot closest to the source's `accessed` date, else its
//!    `published` date, else the latest.
//! 2. Failing that, the CDX API (`/cdx/search/cdx`), captures answered
//!    with status 200 only, the closest to the same date.
//! 3. With `--save`, Save Page Now 2: `POST /save`, then `/save/status/<job>`
//!    polled every [`Wayback::poll_every`] at most [`Wayback::max_polls`]
//!    times. Its keys come from `VERITY_WAYBACK_ACCESS_KEY` and
//!    `VERITY_WAYBACK_SECRET_KEY`.
//!
//! `VERITY_WAYBACK_URL` replaces the scheme and host of both
//! `https://archive.org` and `https://web.archive.org` (tests and mirrors
//! use it); snapshot addresses made from CDX and Save Page Now answers use
//! it too.

use super::fetch::Net;
use super::http::{Method, Request, status_text};
use crate::content::Source;
use serde::Deserialize;
use std::time::Duration;

/// How a copy was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum How {
    /// The availability API.
    Available,
    /// The CDX API.
    Cdx,
    /// Save Page Now made it.
    Saved,
}

/// The Wayback Machine as Verity calls it.
#[derive(Debug, Clone)]
pub struct Wayback {
    /// In place of `https://archive.org`.
    pub archive_base: String,
    /// In place of `https://web.archive.org`.
    pub web_base: String,
    /// Save Page Now keys (access, secret).
    pub keys: Option<(String, String)>,
    /// Time between two polls of a save job.
    pub poll_every: Duration,
    /// Polls of a save job at most.
    pub max_polls: u32,
}

/// What to say when `--save` is asked without keys.
pub const NO_KEYS: &str = "--save needs Save Page Now keys: set VERITY_WAYBACK_ACCESS_KEY and VERITY_WAYBACK_SECRET_KEY to the S3-like API keys of an archive.org account (log in at archive.org, then open https://archive.org/account/s3.php to make or see them)";

impl Wayback {
    /// From the environment: `VERITY_WAYBACK_URL`, the two keys.
    pub fn from_env() -> Wayback {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let base = var("VERITY_WAYBACK_URL").map(|b| b.trim().trim_end_matches('/').to_string());
        let keys = var("VERITY_WAYBACK_ACCESS_KEY").zip(var("VERITY_WAYBACK_SECRET_KEY"));
        Wayback {
            archive_base: base
                .clone()
                .unwrap_or_else(|| "https://archive.org".to_string()),
            web_base: base.unwrap_or_else(|| "https://web.archive.org".to_string()),
            keys,
            poll_every: Duration::from_secs(5),
            max_polls: 36,
        }
    }

    fn snapshot(&self, timestamp: &str, original: &str) -> String {
        format!("{}/web/{timestamp}/{original}", self.web_base)
    }
}

/// The date to look near: `accessed`, else `published`, as `YYYYMMDD`.
pub fn target_timestamp(s: &Source) -> Option<String> {
    s.accessed
        .or(s.published)
        .map(|d| d.day.strftime("%Y%m%d").to_string())
}

/// Finds (or with `save`, makes) a copy of `s`. `Ok(None)`: none found.
pub fn find(
    net: &Net,
    wb: &Wayback,
    s: &Source,
    save: bool,
) -> Result<Option<(String, How)>, String> {
    let when = target_timestamp(s);
    let mut problems = Vec::new();
    match available(net, wb, &s.url, when.as_deref()) {
        Ok(Some(url)) => return Ok(Some((url, How::Available))),
        Ok(None) => {}
        Err(e) => problems.push(format!("availability API: {e}")),
    }
    match cdx(net, wb, &s.url, when.as_deref()) {
        Ok(Some(url)) => return Ok(Some((url, How::Cdx))),
        Ok(None) => {}
        Err(e) => problems.push(format!("CDX API: {e}")),
    }
    if save {
        return match save_page(net, wb, &s.url) {
            Ok(url) => Ok(Some((url, How::Saved))),
            Err(e) => {
                problems.push(format!("Save Page Now: {e}"));
                Err(problems.join("; "))
            }
        };
    }
    if problems.is_empty() {
        Ok(None)
    } else {
        Err(problems.join("; "))
    }
}

fn get(net: &Net, url: &str, keys: Option<&(String, String)>) -> Result<Vec<u8>, String> {
    let mut req = Request::get(url, net.limits.request_timeout, net.limits.max_body);
    req.headers.push(("accept", "application/json".to_string()));
    if let Some((access, secret)) = keys {
        req.headers
            .push(("authorization", format!("LOW {access}:{secret}")));
    }
    let reply = net.call(&req)?;
    if reply.status != 200 {
        return Err(status_text(reply.status));
    }
    Ok(reply.body)
}

fn with_query(base: &str, params: &[(&str, &str)]) -> Result<String, String> {
    url::Url::parse_with_params(base, params)
        .map(String::from)
        .map_err(|e| format!("bad address {base}: {e}"))
}

/// An address the Wayback Machine gave, made https when it is its own
/// and refused when it is not http(s).
fn snapshot_url(url: &str) -> Result<String, String> {
    let url = url.trim();
    let url = match url.strip_prefix("http://web.archive.org/") {
        Some(rest) => format!("https://web.archive.org/{rest}"),
        None => url.to_string(),
    };
    crate::fields::check_http_url(&url).map(|()| url)
}

#[derive(Deserialize)]
struct Availability {
    #[serde(default)]
    archived_snapshots: Snapshots,
}

#[derive(Deserialize, Default)]
struct Snapshots {
    closest: Option<Closest>,
}

#[derive(Deserialize)]
struct Closest {
    #[serde(default)]
    available: bool,
    url: String,
    #[serde(default)]
    status: Option<String>,
}

fn available(
    net: &Net,
    wb: &Wayback,
    url: &str,
    when: Option<&str>,
) -> Result<Option<String>, String> {
    let mut params = vec![("url", url)];
    if let Some(t) = when {
        params.push(("timestamp", t));
    }
    let body = get(
        net,
        &with_query(&format!("{}/wayback/available", wb.archive_base), &params)?,
        None,
    )?;
    let answer: Availability =
        serde_json::from_slice(&body).map_err(|e| format!("unexpected answer ({e})"))?;
    match answer.archived_snapshots.closest {
        Some(c) if c.available && c.status.as_deref().is_none_or(|s| s == "200") => {
            snapshot_url(&c.url).map(Some)
        }
        _ => Ok(None),
    }
}

fn cdx(net: &Net, wb: &Wayback, url: &str, when: Option<&str>) -> Result<Option<String>, String> {
    let mut params = vec![
        ("url", url),
        ("output", "json"),
        ("fl", "timestamp,original,statuscode"),
        ("filter", "statuscode:200"),
    ];
    match when {
        Some(t) => params.extend([("closest", t), ("sort", "closest"), ("limit", "10")]),
        None => params.push(("limit", "-10")),
    }
    let body = get(
        net,
        &with_query(&format!("{}/cdx/search/cdx", wb.web_base), &params)?,
        None,
    )?;
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let rows: Vec<Vec<String>> =
        serde_json::from_slice(&body).map_err(|e| format!("unexpected answer ({e})"))?;
    let mut captures: Vec<(String, String)> = rows
        .into_iter()
        .filter(|r| r.len() >= 3 && r[2] == "200" && r[0].bytes().all(|b| b.is_ascii_digit()))
        .map(|mut r| (std::mem::take(&mut r[0]), std::mem::take(&mut r[1])))
        .collect();
    let distance = |ts: &str| -> u64 {
        let pad = |s: &str| {
            format!("{s:0<14}")
                .get(..14)
                .unwrap_or("0")
                .parse::<u64>()
                .unwrap_or(0)
        };
        when.map_or(u64::MAX - pad(ts), |t| pad(ts).abs_diff(pad(t)))
    };
    captures.sort_by_key(|(ts, _)| distance(ts));
    match captures.into_iter().next() {
        Some((ts, original)) => snapshot_url(&wb.snapshot(&ts, &original)).map(Some),
        None => Ok(None),
    }
}

#[derive(Deserialize)]
struct SaveStarted {
    job_id: Option<String>,
    message: Option<String>,
    status_ext: Option<String>,
}

#[derive(Deserialize)]
struct SaveStatus {
    status: String,
    timestamp: Option<String>,
    original_url: Option<String>,
    message: Option<String>,
    status_ext: Option<String>,
}

fn save_page(net: &Net, wb: &Wayback, url: &str) -> Result<String, String> {
    let keys = wb.keys.as_ref().ok_or(NO_KEYS)?;
    let auth = format!("LOW {}:{}", keys.0, keys.1);
    let req = Request {
        method: Method::Post,
        url: format!("{}/save", wb.web_base),
        headers: vec![
            ("accept", "application/json".to_string()),
            ("authorization", auth),
        ],
        form: vec![("url", url.to_string())],
        timeout: net.limits.request_timeout,
        body_cap: 64 * 1024,
    };
    let reply = net.call(&req)?;
    let started: SaveStarted = serde_json::from_slice(&reply.body)
        .map_err(|_| format!("unexpected answer ({})", status_text(reply.status)))?;
    let job = match started.job_id {
        Some(job) if reply.status == 200 => job,
        _ => {
            return Err(started
                .message
                .or(started.status_ext)
                .unwrap_or_else(|| status_text(reply.status)));
        }
    };
    for _ in 0..wb.max_polls {
        net.clock.sleep(wb.poll_every);
        let body = get(
            net,
            &format!("{}/save/status/{job}", wb.web_base),
            Some(keys),
        )?;
        let status: SaveStatus =
            serde_json::from_slice(&body).map_err(|e| format!("unexpected status answer ({e})"))?;
        match status.status.as_str() {
            "pending" => continue,
            "success" => {
                let ts = status
                    .timestamp
                    .ok_or("the finished job has no timestamp")?;
                let original = status.original_url.unwrap_or_else(|| url.to_string());
                return snapshot_url(&wb.snapshot(&ts, &original));
            }
            _ => {
                return Err(format!(
                    "the save job failed: {}",
                    status
                        .message
                        .or(status.status_ext)
                        .unwrap_or(status.status)
                ));
            }
        }
    }
    Err(format!(
        "job {job} did not finish after {} polls; run the command again later",
        wb.max_polls
    ))
}

/// A copy found for a source.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Found {
    /// The source's id.
    pub source: String,
    /// Its original address.
    pub url: String,
    /// The copy.
    pub archived: String,
    /// How it was found.
    pub how: How,
    /// `file:line` of each `archived:` written (with `--write`).
    #[serde(skip)]
    pub written: Vec<String>,
    /// Where `archived:` would go: the file and line of each declaration.
    #[serde(skip)]
    pub targets: Vec<String>,
}

/// A source whose lookup failed.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Failed {
    /// The source's id.
    pub source: String,
    /// Why.
    pub message: String,
}

/// Everything `verity sources archive` found.
#[derive(Debug, Default, serde::Serialize)]
pub struct Report {
    /// Copies found.
    pub found: Vec<Found>,
    /// Ids of sources with no copy to be found.
    pub missing: Vec<String>,
    /// Lookups (or writes) that failed.
    pub errors: Vec<Failed>,
    /// Ids of sources that have a copy already.
    #[serde(skip)]
    pub already: Vec<String>,
}

/// Looks for a copy of each of `records` that has none and, with `write`,
/// adds it to every declaration of the source.
pub fn run(
    inv: &super::Inventory,
    records: &[&super::Record],
    net: &Net,
    wb: &Wayback,
    save: bool,
    write: bool,
    progress: &dyn super::check::Progress,
) -> Report {
    let mut report = Report::default();
    let todo: Vec<&super::Record> = records
        .iter()
        .filter(|r| {
            let has = r.source.archived.is_some();
            if has {
                report.already.push(r.source.id.clone());
            }
            !has
        })
        .copied()
        .collect();
    progress.start(todo.len());
    let results = super::fetch::run_all(
        &net.limits,
        &todo,
        |r| super::fetch::host_of(&r.source.url),
        |r| find(net, wb, &r.source, save),
        &|| progress.tick(),
    );
    progress.finish();
    for (r, result) in todo.into_iter().zip(results) {
        let id = r.source.id.clone();
        match result {
            Ok(Some((archived, how))) => {
                let mut found = Found {
                    source: id.clone(),
                    url: r.source.url.clone(),
                    archived,
                    how,
                    written: Vec::new(),
                    targets: r
                        .declarations
                        .iter()
                        .map(|d| format!("{}:{}", d.file, d.line))
                        .collect(),
                };
                if write {
                    let value = super::writeback::scalar(&found.archived);
                    match inv.write_key(r, "archived", &value) {
                        Ok(changed) => found.written = changed,
                        Err(message) => report.errors.push(Failed {
                            source: id.clone(),
                            message,
                        }),
                    }
                }
                report.found.push(found);
            }
            Ok(None) => report.missing.push(id),
            Err(message) => report.errors.push(Failed {
                source: id,
                message,
            }),
        }
    }
    report
}
