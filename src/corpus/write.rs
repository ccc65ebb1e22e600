//! A generated corpus written as a Verity site: `site.yaml`, one file per
//! brief, shared source and claimant profile, and the free pages. No
//! templates: the built-in theme renders it.

use super::{Brief, Corpus, Part, Source};
use crate::fs;
use std::fmt::Write as _;
use std::path::Path;

/// A YAML double-quoted scalar (JSON's string syntax is valid YAML).
fn quoted(text: &str) -> String {
    serde_json::Value::from(text).to_string()
}

impl Corpus {
    /// Writes the corpus as a Verity site into `root`, which must not hold
    /// a `content/` folder yet.
    pub fn write(&self, root: &Path) -> anyhow::Result<()> {
        if root.join("content").exists() {
            anyhow::bail!(
                "{} already holds a content/ folder; choose an empty folder",
                root.display()
            );
        }
        fs::write(&root.join("site.yaml"), self.site_yaml().as_bytes())?;
        for s in self.sources.iter().filter(|s| !s.inline) {
            let path = root.join(format!("content/sources/{}.yaml", s.id));
            fs::write(&path, source_fields(s, "").as_bytes())?;
        }
        for c in self.claimants.iter().filter(|c| c.profile) {
            let mut y = format!("name: {}\n", quoted(&c.name));
            if c.organization {
                y.push_str("kind: organization\n");
            }
            if let Some(role) = c.role {
                let _ = writeln!(y, "role: {}", quoted(role));
            }
            if let Some(d) = &c.description {
                let _ = writeln!(y, "description: {}", quoted(d));
            }
            if !c.same_as.is_empty() {
                y.push_str("same_as:\n");
                for url in &c.same_as {
                    let _ = writeln!(y, "  - {url}");
                }
            }
            fs::write(
                &root.join(format!("content/claimants/{}.yaml", c.id)),
                y.as_bytes(),
            )?;
        }
        for b in &self.briefs {
            fs::write(&root.join(b.file()), self.brief_file(b).as_bytes())?;
        }
        for p in &self.pages {
            let text = format!(
                "---\ntitle: {}\n---\n{}",
                quoted(&p.title),
                self.markdown(&p.body, None)
            );
            fs::write(
                &root.join(format!("content/pages/{}.md", p.slug)),
                text.as_bytes(),
            )?;
        }
        Ok(())
    }

    fn site_yaml(&self) -> String {
        let mut y = String::from(
            "title: Generated Fact Desk\n\
             base_url: https://factcheck.example.org\n\
             description: A generated desk for tests and benchmarks.\n\
             language: en\n\
             publisher: { name: Generated Fact Desk, url: https://factcheck.example.org }\n\
             per_page: 20\n\
             authors:\n",
        );
        for a in &self.authors {
            let _ = writeln!(y, "  {}: {{ name: {} }}", a.id, quoted(&a.name));
        }
        y
    }

    fn brief_file(&self, b: &Brief) -> String {
        let claimant = &self.claimants[b.claimant];
        let mut y = String::from("---\n");
        let _ = writeln!(y, "title: {}", quoted(&b.title));
        let _ = writeln!(y, "date: {}", b.date);
        if let Some(updated) = b.updated {
            let _ = writeln!(y, "updated: {updated}");
        }
        let _ = writeln!(y, "claim: {}", quoted(&b.claim));
        if claimant.profile && !b.claimant_by_name {
            let _ = writeln!(y, "claimant: {}", claimant.id);
        } else {
            let _ = writeln!(y, "claimant: {}", quoted(&claimant.name));
        }
        if let Some(d) = b.claim_date {
            let _ = writeln!(y, "claim_date: {d}");
        }
        if let Some(a) = b.appearance {
            let _ = writeln!(y, "appearance: {}", self.sources[a].id);
        }
        let _ = writeln!(y, "verdict: {}", b.verdict);
        let _ = writeln!(y, "summary: {}", quoted(&b.summary));
        let tags: Vec<&str> = b.tags.iter().map(|&t| self.tags[t].as_str()).collect();
        let _ = writeln!(y, "tags: [{}]", tags.join(", "));
        let authors: Vec<&str> = b
            .authors
            .iter()
            .map(|&a| self.authors[a].id.as_str())
            .collect();
        let _ = writeln!(y, "authors: [{}]", authors.join(", "));
        y.push_str("sources:\n");
        for &s in &b.sources {
            let source = &self.sources[s];
            if source.inline {
                let _ = writeln!(y, "  - id: {}", source.id);
                y.push_str(&source_fields(source, "    "));
            } else {
                let _ = writeln!(y, "  - {}", source.id);
            }
        }
        if !b.related.is_empty() {
            let related: Vec<&str> = b
                .related
                .iter()
                .map(|&r| self.briefs[r].slug.as_str())
                .collect();
            let _ = writeln!(y, "related: [{}]", related.join(", "));
        }
        if !b.corrections.is_empty() {
            y.push_str("corrections:\n");
            for c in &b.corrections {
                let _ = writeln!(y, "  - date: {}\n    note: {}", c.date, quoted(&c.note));
            }
        }
        if b.draft {
            y.push_str("draft: true\n");
        }
        y.push_str("---\n");
        y.push_str(&self.markdown(&b.body, Some(b)));
        y
    }

    /// A body in Verity's Markdown: `[@id]` citations and `[[…]]` links.
    fn markdown(&self, parts: &[Part], from: Option<&Brief>) -> String {
        let mut out = String::new();
        for part in parts {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Cite(cites) => {
                    let marks: Vec<String> = cites
                        .iter()
                        .map(|c| match &c.locator {
                            Some(l) => format!("@{}, {l}", self.sources[c.source].id),
                            None => format!("@{}", self.sources[c.source].id),
                        })
                        .collect();
                    let _ = write!(out, "[{}]", marks.join("; "));
                }
                Part::Brief { target, text: None } => {
                    let _ = write!(out, "[[{}]]", self.briefs[*target].slug);
                }
                Part::Brief {
                    target,
                    text: Some(text),
                } => {
                    let _ = write!(out, "[[{}|{text}]]", self.briefs[*target].slug);
                }
                Part::BriefFile { target, text } => {
                    let to = &self.briefs[*target];
                    // Relative to the linking brief's folder, as an editor
                    // writes it.
                    let path = match from {
                        Some(b) if b.year() == to.year() => format!("{}.md", to.slug),
                        _ => format!("../{}/{}.md", to.year(), to.slug),
                    };
                    let _ = write!(out, "[{text}]({path})");
                }
                Part::Source(s) => {
                    let _ = write!(out, "[[source:{}]]", self.sources[*s].id);
                }
                Part::Claimant(c) => {
                    let _ = write!(out, "[[claimant:{}]]", self.claimants[*c].id);
                }
                Part::Tag(t) => {
                    let _ = write!(out, "[[tag:{}]]", self.tags[*t]);
                }
                Part::Verdict(key) => {
                    let _ = write!(out, "[[verdict:{key}]]");
                }
            }
        }
        out
    }
}

/// A source's fields as YAML lines, each starting with `indent`.
fn source_fields(s: &Source, indent: &str) -> String {
    let mut y = String::new();
    let _ = writeln!(y, "{indent}url: {}", s.url);
    let _ = writeln!(y, "{indent}title: {}", quoted(&s.title));
    let _ = writeln!(y, "{indent}publisher: {}", quoted(&s.publisher));
    if let Some(a) = &s.author {
        let _ = writeln!(y, "{indent}author: {}", quoted(a));
    }
    if let Some(p) = s.published {
        let _ = writeln!(y, "{indent}published: {p}");
    }
    let _ = writeln!(y, "{indent}accessed: {}", s.accessed);
    if let Some(a) = &s.archived {
        let _ = writeln!(y, "{indent}archived: {a}");
    }
    let _ = writeln!(y, "{indent}kind: {}", s.kind);
    if let Some(n) = &s.notes {
        let _ = writeln!(y, "{indent}notes: {}", quoted(n));
    }
    y
}
