#![allow(unreachable_pub, missing_docs, clippy::print_stderr)]
//! Integration tests: each runs the real `verity` binary on a fixture site
//! copied into a temporary folder, and asserts on what a user sees: exit
//! status, messages, and the written HTML.

mod fake_web;
mod live;
mod support;

/// Live reload in headless Chromium (mandatory in CI).
mod browser;
/// Building a site: pages, links, citations, URLs under a sub-path.
mod build;
/// Every kind of bad input: exact diagnostics, exit 1, output untouched.
mod check;
/// `verity init` and `verity new brief`.
mod cli;
/// Corrections, retractions, transparency pages, policy rules, retired verdicts.
mod corrections;
/// The README, the docs and CI agree; nothing outside the repository is needed.
mod docs;
/// Hostile input, injection and faults: nothing lost, nothing injected.
mod hardening;
/// Publishing recipes: the workflow and .gitignore of `init`, `_headers`.
mod hosting;
/// Random edit sequences: incremental output equals a fresh build.
mod incremental;
/// `cargo install`, `--version`, shell completions.
mod install;
/// Atomic, deterministic output; stale files removed.
mod output;
/// ClaimReview JSON-LD, DataFeed, Atom feeds, sitemap, robots.txt, head tags.
mod publishing;
/// Raw HTML in bodies: sanitised by default, `trusted`, `none`, embeds, warnings.
mod raw_html;
/// Share cards, embeds, oEmbed and the open data exports.
mod reach;
/// The search page and its index.
mod search;
/// `verity serve`: live edits, live reload, error overlay, 404s, path safety.
mod serve;
/// Snapshots of the check report and of each kind of page.
mod snapshots;
/// `verity sources check` and `archive` against a fake web on loopback.
mod sources;
/// The built-in theme and site overrides; HTML validity.
mod theme;
/// `verity watch`: rebuilds on edits, bursts, the output folder.
mod watch;
