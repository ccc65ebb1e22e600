//! The editorial rules of `site.yaml`'s `policy:` block, checked by
//! `verity check` and `verity build` (and every run of `watch` and
//! `serve`) on the resolved site. The rule about sources' archived copies
//! lives with the sources ([`crate::sources::policy`]); the rest is here.
//!
//! Every rule is off unless set. A finding is an error, or a warning with
//! `policy.level: warning`; its help line names the rule. Rules about a
//! brief apply to published briefs only: a draft is work in progress.
//! `require_transparency` is about the site, not one brief, so each missing
//! page is reported once, at its line of `site.yaml`.

use crate::config::{PolicyLevel, TransparencyPage};
use crate::content::Brief;
use crate::diagnostics::Diagnostic;
use crate::resolve::Site;
use std::collections::BTreeSet;

/// Every finding of the rules of `policy:` on `site`, plus a warning for
/// each `transparency:` page that is not published (it is not linked) and
/// for each published page that still holds `verity init`'s starter text.
pub fn check(site: &Site) -> Vec<Diagnostic> {
    let policy = &site.config.policy;
    let finding = |file: &str, (line, col): (usize, usize), message: String, rule: &str| {
        let d = match policy.level {
            PolicyLevel::Error => Diagnostic::error(file, line, col, message),
            PolicyLevel::Warning => Diagnostic::warning(file, line, col, message),
        };
        d.with_help(format!("the desk's policy requires this (policy: {rule})"))
    };
    let mut out = Vec::new();
    for node in site.briefs.iter().filter(|n| !n.brief.draft) {
        let b: &Brief = &node.brief;
        if let Some(min) = policy.min_sources
            && b.sources.len() < min
        {
            out.push(finding(
                &b.file,
                b.sources_at,
                format!(
                    "the brief declares {} source{}, fewer than {min}",
                    b.sources.len(),
                    plural(b.sources.len())
                ),
                &format!("min_sources: {min}"),
            ));
        }
        if let Some(min) = policy.min_publishers {
            let publishers: BTreeSet<String> = b
                .sources
                .iter()
                .filter_map(|d| site.sources.get(&d.id))
                .map(|s| s.source.publisher.trim().to_lowercase())
                .collect();
            if publishers.len() < min {
                out.push(finding(
                    &b.file,
                    b.sources_at,
                    format!(
                        "the brief's sources come from {} publisher{}, fewer than {min}",
                        publishers.len(),
                        plural(publishers.len())
                    ),
                    &format!("min_publishers: {min}"),
                ));
            }
        }
        if policy.require_claim_date && b.claim_date.is_none() {
            out.push(finding(
                &b.file,
                b.front_at,
                "the brief has no `claim_date`".to_string(),
                "require_claim_date",
            ));
        }
        if policy.require_appearance && b.appearance.is_none() {
            out.push(finding(
                &b.file,
                b.front_at,
                "the brief has no `appearance`".to_string(),
                "require_appearance",
            ));
        }
    }
    let transparency = &site.config.transparency;
    for page in TransparencyPage::ALL {
        let mapped = transparency
            .pages
            .iter()
            .find(|(p, _, _)| *p == page)
            .map(|(_, slug, at)| (slug.as_str(), *at));
        let published = |slug: &str| {
            site.pages
                .iter()
                .any(|p| p.page.slug == slug && !p.page.draft)
        };
        let key = page.key();
        match mapped {
            Some((slug, at)) if !published(slug) => {
                let message = format!(
                    "`transparency.{key}` names the page `{slug}`, which is missing or a draft"
                );
                out.push(if policy.require_transparency {
                    finding("site.yaml", at, message, "require_transparency")
                } else {
                    Diagnostic::warning("site.yaml", at.0, at.1, message).with_help(format!(
                        "write content/pages/{slug}.md (not a draft); until then the theme does not link it"
                    ))
                });
            }
            None if policy.require_transparency => out.push(finding(
                "site.yaml",
                transparency.at.unwrap_or(site.config.policy_at),
                format!("`transparency` maps no page to `{key}`"),
                "require_transparency",
            )),
            _ => {}
        }
    }
    out.extend(starter_text(site));
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The transparency pages the theme links and the Organization names:
/// each mapped page that is published, with its URL path, in the order of
/// [`TransparencyPage::ALL`].
pub fn transparency_pages(site: &Site) -> Vec<(TransparencyPage, String)> {
    TransparencyPage::ALL
        .into_iter()
        .filter_map(|page| {
            let slug = site.config.transparency.slug(page)?;
            site.pages
                .iter()
                .find(|p| p.page.slug == slug && !p.page.draft)
                .map(|p| (page, p.url.clone()))
        })
        .collect()
}

/// A warning for each published page that still holds the starter text of
/// `verity init`, at the line that says so.
pub fn starter_text(site: &Site) -> Vec<Diagnostic> {
    site.pages
        .iter()
        .filter(|p| !p.page.draft)
        .filter_map(|p| {
            let k = p
                .page
                .body
                .lines()
                .position(|l| l.contains(crate::scaffold::STARTER_MARK))?;
            Some(
                Diagnostic::warning(
                    &p.page.file,
                    p.page.body_line + k,
                    1,
                    "this page still holds the starter text of `verity init`",
                )
                .with_help("write the desk's own text here before you publish"),
            )
        })
        .collect()
}
