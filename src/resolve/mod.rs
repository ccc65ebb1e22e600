//! RESOLVE: [`Content`] → [`Site`], the link graph.
//!
//! Takes every file's validated content and the settings; checks what links
//! files together (declared and cited sources, claimants, related briefs,
//! cross-links, duplicate slugs), renders the Markdown bodies once every
//! target is known (in parallel), and builds the indexes that list pages
//! need (sources → briefs, claimants, tags, verdicts, related briefs). It
//! knows nothing of templates or files on disk.

mod bodies;
pub mod site;
pub mod targets;
mod taxonomies;

pub use bodies::Bodies;

/// What resolve keeps between runs of a long-running session: rendered
/// bodies, and the related briefs of the last run with what they were made
/// of. The default keeps nothing.
#[derive(Default)]
pub struct Memo {
    /// Rendered bodies.
    pub bodies: Bodies,
    related: taxonomies::RelatedMemo,
}

impl Memo {
    /// A memo that keeps results for the next run.
    pub fn kept() -> Memo {
        Memo {
            bodies: Bodies::kept(),
            related: taxonomies::RelatedMemo::default(),
        }
    }
}
pub use site::{Body, BriefNode, ClaimantNode, PageNode, Site, SourceNode, TagNode};

use crate::config::SiteConfig;
use crate::content::{Brief, Content, Source};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::{self, Input};
use crate::urls;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::sync::Arc;
use targets::{Targets, nearest};

/// RESOLVE: the content and settings → the site; `drafts` keeps draft
/// briefs and pages in it. Every body is rendered here, through `bodies`,
/// which keeps what it rendered for the next run (a build passes an empty
/// one). The problems found are in the site ([`Site::problems`]).
pub fn resolve(content: Content, config: SiteConfig, drafts: bool, kept: &mut Memo) -> Site {
    let keep = kept.bodies.keeps();
    let bodies = &mut kept.bodies;
    let mut diagnostics = Diagnostics::new();
    let Content {
        briefs,
        bodies: texts,
        sources,
        claimants,
        pages,
    } = content;

    let mut targets = Targets::default();
    check_unique(
        briefs.iter().map(|b| (b.slug.as_str(), b.file.as_str())),
        "brief slug",
        &mut diagnostics,
    );
    check_unique(
        pages.iter().map(|p| (p.slug.as_str(), p.file.as_str())),
        "page slug",
        &mut diagnostics,
    );
    for b in &briefs {
        targets.brief_files.insert(b.file.clone(), b.slug.clone());
    }
    let (mut briefs, left_out): (Vec<_>, Vec<_>) = briefs
        .into_iter()
        .zip(texts)
        .partition(|(b, _)| drafts || !b.draft);
    targets.drafts = left_out.iter().map(|(b, _)| b.slug.clone()).collect();
    briefs.sort_by(|(a, _), (b, _)| b.date.cmp(&a.date).then_with(|| a.slug.cmp(&b.slug)));
    let (briefs, texts): (Vec<Arc<Brief>>, Vec<Arc<str>>) = briefs.into_iter().unzip();
    let pages: Vec<_> = pages.into_iter().filter(|p| drafts || !p.draft).collect();

    let sources = collect_sources(sources, &briefs, &mut diagnostics);
    check_declared(&briefs, &sources, &mut diagnostics);
    let claimant_ids = taxonomies::claimant_ids(&claimants, &briefs);
    let claimant_map = taxonomies::claimants(claimants, &briefs, &claimant_ids, &config);
    let tag_map = taxonomies::tags(&briefs, &config);

    for b in &briefs {
        targets.briefs.insert(
            b.slug.clone(),
            Targets::entry(&config, urls::brief(&b.slug), &b.title),
        );
    }
    for (id, s) in &sources {
        targets.sources.insert(
            id.clone(),
            Targets::entry(&config, urls::source(id), &s.title),
        );
    }
    for (id, c) in &claimant_map {
        targets.claimants.insert(
            id.clone(),
            markdown::Resolved {
                url: c.url.clone(),
                title: c.claimant.name.clone(),
            },
        );
    }
    for (slug, t) in &tag_map {
        targets.tags.insert(
            slug.clone(),
            markdown::Resolved {
                url: t.url.clone(),
                title: t.name.clone(),
            },
        );
    }
    for v in &config.verdicts {
        targets.verdicts.insert(
            v.key.to_lowercase(),
            Targets::entry(&config, urls::verdict(&v.key), &v.label),
        );
    }

    targets.seal();
    bodies.begin();
    let memo = &*bodies;
    let rendered: Vec<Arc<bodies::RenderedBody>> = briefs
        .par_iter()
        .zip(texts)
        .map(|(b, text)| render_brief(memo, &config, &targets, b, &text))
        .collect();
    let page_html: Vec<Arc<bodies::RenderedBody>> = pages
        .par_iter()
        .map(|p| {
            memo.render(
                Input {
                    body: &p.body,
                    file: &p.file,
                    first_line: p.body_line,
                    declared: None,
                    raw_html: &config.raw_html,
                },
                &p.body,
                &targets,
            )
        })
        .collect();
    bodies.finish();

    let related = taxonomies::related(
        &briefs,
        &targets,
        &mut diagnostics,
        keep.then_some(&mut kept.related),
    );
    let nodes: Vec<Arc<BriefNode>> = briefs
        .into_iter()
        .zip(rendered)
        .zip(related.into_iter().zip(claimant_ids))
        .map(|((brief, rendered), (related, claimant))| {
            let url = config.url(&urls::brief(&brief.slug));
            let tags = taxonomies::tag_slugs(&brief.tags);
            Arc::new(node(brief, &rendered, url, claimant, tags, related))
        })
        .collect();
    let pages = pages
        .into_iter()
        .zip(page_html)
        .map(|(page, rendered)| PageNode {
            url: config.url(&urls::page(&page.slug)),
            page,
            body: rendered.body.clone(),
            problems: rendered.diagnostics.clone(),
        })
        .collect();

    taxonomies::index(
        config,
        nodes,
        sources,
        claimant_map,
        tag_map,
        pages,
        targets,
        diagnostics,
    )
}

/// Renders the body of `brief` through `bodies`.
fn render_brief(
    bodies: &Bodies,
    config: &SiteConfig,
    targets: &Targets,
    brief: &Brief,
    text: &Arc<str>,
) -> Arc<bodies::RenderedBody> {
    let declared: Vec<&str> = brief.sources.iter().map(|d| d.id.as_str()).collect();
    bodies.render(
        Input {
            body: text,
            file: &brief.file,
            first_line: brief.body_line,
            declared: Some(&declared),
            raw_html: &config.raw_html,
        },
        text,
        targets,
    )
}

/// A brief's node: what its rendered body cites, and the warning for each
/// declared source it does not.
fn node(
    brief: Arc<Brief>,
    rendered: &bodies::RenderedBody,
    url: String,
    claimant: String,
    tags: Vec<String>,
    related: Vec<usize>,
) -> BriefNode {
    let mut problems = rendered.diagnostics.clone();
    let uncited: Vec<String> = brief
        .sources
        .iter()
        .filter(|d| !rendered.cited.iter().any(|c| c.id == d.id))
        .map(|d| d.id.clone())
        .collect();
    for id in &uncited {
        let (line, col) = brief.source_pos(id);
        problems.push(
            Diagnostic::warning(
                &brief.file,
                line,
                col,
                format!("source `{id}` is declared but never cited"),
            )
            .with_help(format!(
                "cite it in the body with `[@{id}]`, or remove it from `sources`"
            )),
        );
    }
    BriefNode {
        brief,
        url,
        claimant,
        tags,
        body: rendered.body.clone(),
        cited: rendered.cited.clone(),
        uncited,
        related,
        problems,
    }
}

/// A brief whose body or leaf fields were edited: its index in the
/// previous site, the brief, and its body text.
pub type Edit = (usize, Arc<Brief>, Arc<str>);

/// Whether two versions of a brief place it the same way in the link
/// graph: same file, slug, date, claimant, verdict, tags, sources, related
/// briefs, appearance and draft state (with the positions of what could be
/// reported). What else may differ (title, claim, summary, dates of
/// updates and claims, authors, corrections, the body) changes what the
/// brief's pages show, not which pages list it or how.
pub fn same_graph(a: &Brief, b: &Brief) -> bool {
    a.file == b.file
        && a.slug == b.slug
        && a.date == b.date
        && a.claimant == b.claimant
        && a.verdict == b.verdict
        && a.tags == b.tags
        && a.sources == b.sources
        && a.related == b.related
        && a.related_at == b.related_at
        && a.appearance == b.appearance
        && a.appearance_at == b.appearance_at
        && a.draft == b.draft
}

/// RESOLVE for edits that leave the link graph as it was ([`same_graph`]
/// holds for every edited brief): the site is `previous` with the edited
/// briefs' nodes made again. A changed title is also link text: the link
/// targets take it, and every kept body that asked for it is rendered
/// again ([`Bodies`] knows which by the questions it recorded).
pub fn patch(previous: &Site, edits: &[Edit], bodies: &Bodies) -> Site {
    let mut site = previous.clone();
    let retitled: Vec<&Edit> = edits
        .iter()
        .filter(|(i, b, _)| previous.briefs[*i].brief.title != b.title)
        .collect();
    if !retitled.is_empty() {
        let mut targets = (*previous.targets).clone();
        for (_, b, _) in &retitled {
            targets.briefs.insert(
                b.slug.clone(),
                Targets::entry(&site.config, urls::brief(&b.slug), &b.title),
            );
        }
        targets.seal();
        site.targets = Arc::new(targets);
    }
    let remake = |old: &BriefNode, brief: Arc<Brief>, rendered: &bodies::RenderedBody| {
        Arc::new(node(
            brief,
            rendered,
            old.url.clone(),
            old.claimant.clone(),
            old.tags.clone(),
            old.related.clone(),
        ))
    };
    if !retitled.is_empty() {
        let refreshed: Vec<(usize, Arc<bodies::RenderedBody>)> = site
            .briefs
            .par_iter()
            .enumerate()
            .filter_map(|(j, n)| Some((j, bodies.refresh(&n.brief.file, &site.targets)?)))
            .collect();
        for (j, rendered) in refreshed {
            let old = site.briefs[j].clone();
            site.briefs[j] = remake(&old, old.brief.clone(), &rendered);
        }
        let refreshed: Vec<_> = (site.pages.iter())
            .map(|p| bodies.refresh(&p.page.file, &site.targets))
            .collect();
        if refreshed.iter().any(Option::is_some) {
            let pages: Vec<PageNode> = (site.pages.iter().zip(refreshed))
                .map(|(p, rendered)| match rendered {
                    Some(rendered) => PageNode {
                        body: rendered.body.clone(),
                        problems: rendered.diagnostics.clone(),
                        ..p.clone()
                    },
                    None => p.clone(),
                })
                .collect();
            site.pages = Arc::new(pages);
        }
    }
    for (i, brief, text) in edits {
        let rendered = render_brief(bodies, &site.config, &site.targets, brief, text);
        let old = previous.briefs[*i].clone();
        // An unchanged front matter stays the same value, so that what
        // reads only front matter (the sitemap …) can tell it is unchanged.
        let brief = if old.brief == *brief {
            old.brief.clone()
        } else {
            brief.clone()
        };
        site.briefs[*i] = remake(&old, brief, &rendered);
    }
    site
}

/// Reports every name that appears in more than one file.
fn check_unique<'a>(
    items: impl Iterator<Item = (&'a str, &'a str)>,
    what: &str,
    diagnostics: &mut Diagnostics,
) {
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for (name, file) in items {
        if let Some(first) = seen.get(name) {
            diagnostics.push(
                Diagnostic::error(
                    file,
                    1,
                    1,
                    format!("the {what} `{name}` is already used by {first}"),
                )
                .with_help("give one of them another `slug:` in its front matter"),
            );
        } else {
            seen.insert(name, file);
        }
    }
}

/// File sources plus inline ones; the same id declared twice must agree.
fn collect_sources(
    files: Vec<Arc<Source>>,
    briefs: &[Arc<Brief>],
    diagnostics: &mut Diagnostics,
) -> BTreeMap<String, Arc<Source>> {
    let mut sources: BTreeMap<String, Arc<Source>> =
        files.into_iter().map(|s| (s.id.clone(), s)).collect();
    let mut inline: Vec<(&Brief, &Arc<Source>)> = briefs
        .iter()
        .flat_map(|b| {
            b.sources
                .iter()
                .filter_map(move |d| d.inline.as_ref().map(|s| (&**b, s)))
        })
        .collect();
    inline.sort_by(|a, b| a.1.declared_at.cmp(&b.1.declared_at));
    for (brief, source) in inline {
        match sources.get(&source.id) {
            None => {
                sources.insert(source.id.clone(), source.clone());
            }
            Some(existing) => {
                let differ: Vec<&str> = existing
                    .comparable()
                    .iter()
                    .zip(source.comparable().iter())
                    .filter(|(a, b)| a.1 != b.1)
                    .map(|(a, _)| a.0)
                    .collect();
                if !differ.is_empty() {
                    let (line, col) = brief.declaration_pos(&source.id);
                    diagnostics.push(
                        Diagnostic::error(&brief.file, line, col, format!("source `{}` is also declared at {} with a different {}", source.id, existing.declared_at, differ.join(", ")))
                            .with_help("make both declarations agree field for field, or declare the source once in content/sources/"),
                    );
                }
            }
        }
    }
    sources
}

/// Every declared source and `appearance` must exist.
fn check_declared(
    briefs: &[Arc<Brief>],
    sources: &BTreeMap<String, Arc<Source>>,
    diagnostics: &mut Diagnostics,
) {
    for b in briefs {
        for d in b.sources.iter().filter(|d| d.inline.is_none()) {
            if !sources.contains_key(&d.id) {
                let (line, col) = d.at;
                let help = nearest(&d.id, sources).or_else(|| {
                    Some(format!(
                        "create content/sources/{}.yaml, or declare the source inline",
                        d.id
                    ))
                });
                diagnostics.push(
                    Diagnostic::error(&b.file, line, col, format!("unknown source `{}`", d.id))
                        .with_optional_help(help),
                );
            }
        }
        if let Some(id) = &b.appearance
            && !sources.contains_key(id)
        {
            let (line, col) = b.appearance_at;
            diagnostics.push(
                Diagnostic::error(
                    &b.file,
                    line,
                    col,
                    format!("`appearance` names an unknown source `{id}`"),
                )
                .with_optional_help(nearest(id, sources)),
            );
        }
    }
}
