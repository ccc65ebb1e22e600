//! `verity init` and `verity new brief`: files an editor starts from.

use crate::{fs, slug};
use anyhow::{Context as _, bail};
use std::path::{Path, PathBuf};

const SITE_YAML: &str = "title: My Fact Desk
base_url: https://factcheck.example.org
description: Independent checks of claims in the news.
language: en
publisher: { name: My Fact Desk, url: https://factcheck.example.org }
authors:
  desk: { name: Desk staff }
per_page: 20
# The pages about how the desk works: each maps to the slug of a page under
# content/pages/. `verity init` wrote starter text into each; replace it.
transparency:
  methodology: methodology
  corrections_policy: corrections-policy
  ownership_funding: ownership-funding
  ethics: ethics
  contact: contact
";

/// The sentence that marks a page written by `verity init` as text to
/// replace; `verity check` warns while a published page still holds it.
pub const STARTER_MARK: &str = "Starter text written by `verity init`";

/// The starter transparency pages: file stem (also the slug), title,
/// description and what the desk should write there.
const STARTER_PAGES: &[(&str, &str, &str, &str)] = &[
    (
        "methodology",
        "How we check claims",
        "How the desk chooses claims, weighs evidence and picks a verdict.",
        "Say how you choose which claims to check, what evidence you look for, how \
you weigh sources that disagree, and what each verdict on your scale means.",
    ),
    (
        "corrections-policy",
        "Corrections policy",
        "How to report an error, and how the desk corrects its briefs.",
        "Say how readers report an error, how quickly you answer, and how a change \
is shown: each brief's `corrections:` log takes a kind (`correction`, \
`clarification`, `update`, `verdict-change` or `retraction`), and every entry \
is listed on the site's corrections page.",
    ),
    (
        "ownership-funding",
        "Ownership and funding",
        "Who owns and funds the desk.",
        "Say who owns the desk, who funds it and with how much, and whether any \
funder has a say in what you check.",
    ),
    (
        "ethics",
        "Ethics",
        "The rules the desk's staff follow.",
        "Say what rules your staff follow: conflicts of interest, political \
activity, how you treat the people whose claims you check.",
    ),
    (
        "contact",
        "Contact",
        "How to reach the desk.",
        "Give an address for reporting errors and suggesting claims, and say who \
answers for the desk's work.",
    ),
];

/// The text of a starter page.
fn starter_page(title: &str, description: &str, what: &str) -> String {
    format!(
        "---\ntitle: {title}\ndescription: \"{description}\"\n---\n**{STARTER_MARK}: replace this page before you publish.**\n\n{what}\n"
    )
}

const EXAMPLE_SOURCE: &str = "url: https://www.wionews.com/world/us-state-secy-warned-netanyahu-biden-would-not-visit-israel-if-they-wont-allow-aid-into-gaza-8591823
title: US State Secy warned Netanyahu Biden would not visit Israel if they won't allow aid into Gaza
publisher: WION
accessed: 2025-01-06
kind: article
notes: Reports a New York Times interview with Antony Blinken.
";

const EXAMPLE_BRIEF: &str = r#"---
title: "Did Blinken threaten that Biden would not visit Israel unless aid reached Gaza?"
date: 2025-01-06
claim: "Blinken told Netanyahu he would advise Biden not to visit Israel unless aid reached Gaza."
claimant: Antony Blinken
claim_date: 2025-01-04
verdict: unverifiable
summary: "Blinken gave this account himself; no other participant is quoted confirming it."
tags: [gaza, humanitarian-aid]
authors: [desk]
sources:
  - wion-blinken-aid-threat
---
## What was claimed

In an interview with The New York Times, Antony Blinken said he told the prime
minister he would call the president "and tell him not to come" unless aid
started flowing [@wion-blinken-aid-threat].

## Our verdict

The account is Blinken's own; the report quotes nobody else who was in the
room. See the [[verdict:unverifiable]] scale.
"#;

/// The GitHub Actions workflow `verity init` writes: build and publish on
/// GitHub Pages on every push to `main`. The tests lint it with actionlint.
const PUBLISH_WORKFLOW: &str = include_str!("scaffold/publish.yml");

const GITIGNORE: &str = "# Made by Verity, never edited: the built site, its build lock and staging
# folders, and Verity's own caches (.verity/: the link cache of
# `verity sources check`, the rendered share cards).
/public/
/.verity/
/.public.*
";

const TEMPLATES_README: &str = "Put a file here with the name of a built-in template (for example
`brief.html`) to replace it; Verity's docs/theme.md lists every template
and the variables it receives. Without files here, the built-in theme is
used.
";

/// What `verity init` did.
#[derive(Debug, Default)]
pub struct Init {
    /// Files written.
    pub written: Vec<PathBuf>,
    /// Files left as they were because the folder already had them (a
    /// `.gitignore` or workflow of the repository the site goes into).
    pub kept: Vec<PathBuf>,
}

/// Writes a new site into `dir`, which must not hold one already. Files
/// that are not part of the site itself (`.gitignore`, the publishing
/// workflow) are never overwritten: an existing one is kept.
pub fn init(dir: &Path) -> anyhow::Result<Init> {
    if dir.join("site.yaml").exists() || dir.join("content").exists() {
        bail!(
            "{} already holds a site (site.yaml or content/); choose an empty folder",
            dir.display()
        );
    }
    let files = [
        ("site.yaml", SITE_YAML),
        (
            "content/sources/wion-blinken-aid-threat.yaml",
            EXAMPLE_SOURCE,
        ),
        ("content/briefs/blinken-aid-threat.md", EXAMPLE_BRIEF),
        ("templates/README.md", TEMPLATES_README),
        ("static/.gitkeep", ""),
        (".gitignore", GITIGNORE),
        (".github/workflows/publish.yml", PUBLISH_WORKFLOW),
    ];
    let pages: Vec<(String, String)> = STARTER_PAGES
        .iter()
        .map(|(stem, title, description, what)| {
            (
                format!("content/pages/{stem}.md"),
                starter_page(title, description, what),
            )
        })
        .collect();
    let files = files
        .into_iter()
        .chain(pages.iter().map(|(p, t)| (p.as_str(), t.as_str())));
    let mut done = Init::default();
    for (path, text) in files {
        let target = dir.join(path);
        if target.exists() {
            done.kept.push(target);
            continue;
        }
        fs::write(&target, text.as_bytes())?;
        done.written.push(target);
    }
    Ok(done)
}

/// Writes a draft brief skeleton for `title` under `root/content/briefs/`;
/// refuses to overwrite a file.
pub fn new_brief(root: &Path, title: &str) -> anyhow::Result<PathBuf> {
    let slug = slug::slugify(title);
    if slug.is_empty() {
        bail!("the title `{title}` has no letters or digits to make a file name from");
    }
    let path = root
        .join("content")
        .join("briefs")
        .join(format!("{slug}.md"));
    if path.exists() {
        bail!(
            "{} already exists; choose another title or edit that file",
            path.display()
        );
    }
    let today = jiff::ZonedDateTime::now().date();
    let quoted = serde_json::to_string(title).context("cannot quote the title")?;
    let text = format!(
        r#"---
title: {quoted}
date: {today}
claim: "Replace with the claim, word for word."
claimant: "Replace with who made the claim"
verdict: unverifiable
summary: "Replace with a one-paragraph summary of the finding."
tags: []
sources:
  - id: {slug}-source-1
    url: https://example.org/replace-with-the-source-address
    title: "Replace with the source's headline"
    publisher: "Replace with the publisher"
draft: true
---
## What was claimed

Who said what, where and when [@{slug}-source-1].

## What the sources show

## Our verdict
"#
    );
    fs::write(&path, text.as_bytes())?;
    Ok(path)
}
