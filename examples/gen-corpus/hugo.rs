//! The generated corpus as a Hugo site (Hugo 0.146 or later): the same
//! briefs, sources, claimants, tags and verdicts, so both tools are timed
//! on the same work.
//!
//! Mapping: tags, claimants (by id), verdicts and sources are Hugo
//! taxonomies, so each gets a list page and a page per term, as in Verity.
//! Citations become numbered superscript links to a reference list at the
//! end of the body, with one number per source as Verity numbers them;
//! links to briefs use Hugo's `relref`, links to sources, claimants, tags
//! and verdicts their term pages. The templates (`hugo/` beside this file)
//! give each kind of page what Verity's theme shows, without styling.
//! Like Verity's output, Hugo's has one feed (the home page's, 20 entries),
//! a sitemap and robots.txt; Verity also writes feeds per claimant and tag,
//! ClaimReview JSON-LD and a search index, which Hugo does not.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;
use verity::corpus::{Brief, Corpus, Part};

fn write_file(path: &Path, text: &str) -> anyhow::Result<()> {
    verity::fs::write(path, text.as_bytes())
}

/// The templates, by path under `layouts/`.
const LAYOUTS: &[(&str, &str)] = &[
    ("baseof.html", include_str!("hugo/baseof.html")),
    ("home.html", include_str!("hugo/home.html")),
    ("single.html", include_str!("hugo/single.html")),
    ("list.html", include_str!("hugo/list.html")),
    ("taxonomy.html", include_str!("hugo/taxonomy.html")),
    ("term.html", include_str!("hugo/term.html")),
    ("404.html", include_str!("hugo/404.html")),
    (
        "_partials/brief-item.html",
        include_str!("hugo/_partials/brief-item.html"),
    ),
    (
        "_partials/links.html",
        include_str!("hugo/_partials/links.html"),
    ),
];

const CONFIG: &str = "baseURL: https://factcheck.example.org/
title: Generated Fact Desk
titleCaseStyle: none
enableRobotsTXT: true
taxonomies:
  tag: tags
  claimant: claimants
  verdict: verdicts
  source: sources
pagination:
  pagerSize: 20
# One feed, of the home page's 20 newest entries, as Verity's /feed.xml.
outputs:
  home: [html, rss]
  section: [html]
  taxonomy: [html]
  term: [html]
  page: [html]
services:
  rss:
    limit: 20
markup:
  goldmark:
    renderer:
      unsafe: true
";

fn quoted(text: &str) -> String {
    serde_json::Value::from(text).to_string()
}

/// Writes the Hugo site into `root`, which must not hold `content/` yet.
pub(crate) fn write(corpus: &Corpus, root: &Path) -> anyhow::Result<()> {
    if root.join("content").exists() {
        anyhow::bail!("{} already holds a content/ folder", root.display());
    }
    write_file(&root.join("hugo.yaml"), CONFIG)?;
    for (path, text) in LAYOUTS {
        write_file(&root.join("layouts").join(path), text)?;
    }
    for b in &corpus.briefs {
        let path = root.join(format!("content/briefs/{}/{}.md", b.year(), b.slug));
        write_file(&path, &brief(corpus, b))?;
    }
    for p in &corpus.pages {
        let text = format!(
            "---\ntitle: {}\n---\n{}",
            quoted(&p.title),
            body(corpus, &p.body).0
        );
        write_file(&root.join(format!("content/{}.md", p.slug)), &text)?;
    }
    Ok(())
}

fn list(items: impl Iterator<Item = String>) -> String {
    items.map(|s| quoted(&s)).collect::<Vec<_>>().join(", ")
}

fn brief(corpus: &Corpus, b: &Brief) -> String {
    let claimant = &corpus.claimants[b.claimant];
    let mut y = String::from("---\n");
    let _ = writeln!(y, "title: {}", quoted(&b.title));
    let _ = writeln!(y, "date: {}", b.date);
    if let Some(updated) = b.updated {
        let _ = writeln!(y, "lastmod: {updated}");
    }
    let _ = writeln!(y, "summary: {}", quoted(&b.summary));
    let _ = writeln!(y, "claim: {}", quoted(&b.claim));
    let _ = writeln!(y, "claimant_name: {}", quoted(&claimant.name));
    if let Some(d) = b.claim_date {
        let _ = writeln!(y, "claim_date: {d}");
    }
    if b.draft {
        y.push_str("draft: true\n");
    }
    let tags = b.tags.iter().map(|&t| corpus.tags[t].clone());
    let _ = writeln!(y, "tags: [{}]", list(tags));
    let _ = writeln!(y, "claimants: [{}]", quoted(&claimant.id));
    let _ = writeln!(y, "verdicts: [{}]", quoted(b.verdict));
    let sources = b.sources.iter().map(|&s| corpus.sources[s].id.clone());
    let _ = writeln!(y, "sources: [{}]", list(sources));
    y.push_str("---\n");
    let (text, references) = body(corpus, &b.body);
    y.push_str(&text);
    if !references.is_empty() {
        y.push_str("\n## References\n\n");
        for (k, &s) in references.iter().enumerate() {
            let source = &corpus.sources[s];
            let _ = write!(
                y,
                "{}. <span id=\"ref-{}\"></span>[{}]({}), {}",
                k + 1,
                k + 1,
                source.title,
                source.url,
                source.publisher
            );
            if let Some(p) = source.published {
                let _ = write!(y, ", {p}");
            }
            if let Some(a) = &source.archived {
                let _ = write!(y, " ([archived]({a}))");
            }
            y.push('\n');
        }
    }
    y
}

/// The body in Hugo's Markdown, and the sources in reference-list order.
fn body(corpus: &Corpus, parts: &[Part]) -> (String, Vec<usize>) {
    let mut out = String::new();
    let mut numbers: HashMap<usize, usize> = HashMap::new();
    let mut references = Vec::new();
    for part in parts {
        match part {
            Part::Text(t) => out.push_str(t),
            Part::Cite(cites) => {
                let marks: Vec<String> = cites
                    .iter()
                    .map(|c| {
                        let n = *numbers.entry(c.source).or_insert_with(|| {
                            references.push(c.source);
                            references.len()
                        });
                        format!("<a href=\"#ref-{n}\">{n}</a>")
                    })
                    .collect();
                let _ = write!(out, "<sup class=\"cite\">{}</sup>", marks.join(", "));
            }
            Part::Brief { target, text } => {
                let to = &corpus.briefs[*target];
                let text = text.as_deref().unwrap_or(&to.title);
                let _ = write!(
                    out,
                    "[{text}]({{{{< relref \"/briefs/{}/{}.md\" >}}}})",
                    to.year(),
                    to.slug
                );
            }
            Part::BriefFile { target, text } => {
                let to = &corpus.briefs[*target];
                let _ = write!(
                    out,
                    "[{text}]({{{{< relref \"/briefs/{}/{}.md\" >}}}})",
                    to.year(),
                    to.slug
                );
            }
            Part::Source(s) => {
                let source = &corpus.sources[*s];
                let _ = write!(out, "[{}](/sources/{}/)", source.title, source.id);
            }
            Part::Claimant(c) => {
                let claimant = &corpus.claimants[*c];
                let _ = write!(out, "[{}](/claimants/{}/)", claimant.name, claimant.id);
            }
            Part::Tag(t) => {
                let _ = write!(out, "[{0}](/tags/{0}/)", corpus.tags[*t]);
            }
            Part::Verdict(key) => {
                let _ = write!(out, "[{key}](/verdicts/{key}/)");
            }
        }
    }
    (out, references)
}
