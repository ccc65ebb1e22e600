//! The indexes list pages need: claimants, tags, verdicts, sources → briefs,
//! and related briefs. Every function here is linear in the number of
//! briefs (times the few tags and sources each brief has).

use super::site::{BriefNode, ClaimantNode, PageNode, Site, SourceNode, TagNode};
use super::targets::{Targets, nearest};
use crate::config::SiteConfig;
use crate::content::{Brief, Claimant, Source};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::{slug, urls};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// How many related briefs a brief shows at most (explicit ones always).
const RELATED: usize = 4;

/// The claimant id of each brief: a profile matched by id, else by name
/// (case-insensitive), else the slug of the name as written.
pub(super) fn claimant_ids(profiles: &[Arc<Claimant>], briefs: &[Arc<Brief>]) -> Vec<String> {
    let ids: std::collections::HashSet<&str> = profiles.iter().map(|c| c.id.as_str()).collect();
    let by_name: HashMap<String, &str> = profiles
        .iter()
        .map(|c| (c.name.to_lowercase(), c.id.as_str()))
        .collect();
    briefs
        .iter()
        .map(|b| {
            let written = b.claimant.trim();
            if ids.contains(written) {
                written.to_string()
            } else if let Some(id) = by_name.get(&written.to_lowercase()) {
                id.to_string()
            } else {
                slug::slugify(written)
            }
        })
        .collect()
}

/// Every claimant: the profiles, plus a bare entry for each name without one.
pub(super) fn claimants(
    profiles: Vec<Arc<Claimant>>,
    briefs: &[Arc<Brief>],
    ids: &[String],
    config: &SiteConfig,
) -> BTreeMap<String, ClaimantNode> {
    let mut map: BTreeMap<String, ClaimantNode> = profiles
        .into_iter()
        .map(|c| {
            (
                c.id.clone(),
                ClaimantNode {
                    url: config.url(&urls::claimant(&c.id)),
                    claimant: c,
                    briefs: Vec::new(),
                },
            )
        })
        .collect();
    for (b, id) in briefs.iter().zip(ids) {
        map.entry(id.clone()).or_insert_with(|| ClaimantNode {
            url: config.url(&urls::claimant(id)),
            claimant: Arc::new(Claimant {
                id: id.clone(),
                name: b.claimant.trim().to_string(),
                kind: "person".to_string(),
                description: None,
                role: None,
                url: None,
                same_as: Vec::new(),
            }),
            briefs: Vec::new(),
        });
    }
    map
}

/// Tag slugs of one brief, in the order written, without duplicates.
pub(super) fn tag_slugs(tags: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(tags.len());
    for t in tags {
        let s = slug::slugify(t);
        if !s.is_empty() && !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

/// Every tag, named as first written (in the briefs' order).
pub(super) fn tags(briefs: &[Arc<Brief>], config: &SiteConfig) -> BTreeMap<String, TagNode> {
    let mut map = BTreeMap::new();
    for b in briefs {
        for t in &b.tags {
            let s = slug::slugify(t);
            if s.is_empty() {
                continue;
            }
            map.entry(s.clone()).or_insert_with(|| TagNode {
                name: t.trim().to_string(),
                url: config.url(&urls::tag(&s)),
                briefs: Vec::new(),
            });
        }
    }
    map
}

/// Related briefs of each brief: its explicit `related` first, then those
/// sharing the most sources (worth 2) and tags (worth 1), newest first on
/// ties, up to [`RELATED`]. Sources and tags become small integers with an
/// inverted index, and each brief scores its neighbours in a reused dense
/// array, in parallel.
pub(super) fn related(
    briefs: &[Arc<Brief>],
    targets: &Targets,
    diagnostics: &mut Diagnostics,
    memo: Option<&mut RelatedMemo>,
) -> Vec<Vec<usize>> {
    let Some(memo) = memo else {
        return score_related(briefs, targets, diagnostics).0;
    };
    let inputs = related_inputs(briefs, targets);
    if let Some((seen, lists, problems)) = &memo.0
        && *seen == inputs
    {
        diagnostics.extend(problems.clone());
        return lists.clone();
    }
    let mut problems = Diagnostics::new();
    let (lists, _) = score_related(briefs, targets, &mut problems);
    diagnostics.extend(problems.clone());
    memo.0 = Some((inputs, lists.clone(), problems));
    lists
}

/// The related briefs of the last run, with the fingerprint of what they
/// were made of ([`related_inputs`]).
#[derive(Default)]
pub(super) struct RelatedMemo(Option<(u128, Vec<Vec<usize>>, Diagnostics)>);

/// A fingerprint of everything related briefs depend on: each brief's
/// slug, sources, tags and `related` list (with its position, for the
/// messages), in order, and the drafts left out (for the hints).
fn related_inputs(briefs: &[Arc<Brief>], targets: &Targets) -> u128 {
    use std::hash::Hash;
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for b in briefs {
        (&b.slug, &b.file, &b.tags, &b.related).hash(&mut h);
        b.related_at.hash(&mut h);
        for d in &b.sources {
            d.id.hash(&mut h);
        }
    }
    targets.drafts.hash(&mut h);
    h.digest128()
}

/// The related briefs of each brief, and the work it took (briefs scored,
/// for the test that keeps it linear).
fn score_related(
    briefs: &[Arc<Brief>],
    targets: &Targets,
    diagnostics: &mut Diagnostics,
) -> (Vec<Vec<usize>>, u64) {
    use rayon::prelude::*;
    let index_of: HashMap<&str, usize> = briefs
        .iter()
        .enumerate()
        .map(|(i, b)| (b.slug.as_str(), i))
        .collect();
    let mut keys: HashMap<String, u32> = HashMap::new();
    let mut postings: Vec<Vec<u32>> = Vec::new();
    // Per brief: (key, weight) of each source and tag.
    let features: Vec<Vec<(u32, u32)>> = briefs
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let sources = b.sources.iter().map(|d| (format!("s:{}", d.id), 2));
            let tags = tag_slugs(&b.tags)
                .into_iter()
                .map(|t| (format!("t:{t}"), 1));
            let mut own: Vec<(u32, u32)> = Vec::new();
            for (key, weight) in sources.chain(tags) {
                let next = keys.len() as u32;
                let k = *keys.entry(key).or_insert(next);
                if k as usize == postings.len() {
                    postings.push(Vec::new());
                }
                if !own.iter().any(|(o, _)| *o == k) {
                    postings[k as usize].push(i as u32);
                    own.push((k, weight));
                }
            }
            own
        })
        .collect();
    // A source or tag on many briefs would make every one of them score
    // every other: such "heavy" ones are looked up in a bit set instead,
    // and briefs that share only them are met by walking their lists.
    let mut heavy: Vec<Option<usize>> = vec![None; postings.len()];
    let mut heavy_lists: Vec<&[u32]> = Vec::new();
    let mut heavy_sets: Vec<BitSet> = Vec::new();
    for (k, list) in postings.iter().enumerate() {
        if list.len() > HEAVY {
            heavy[k] = Some(heavy_lists.len());
            heavy_lists.push(list);
            heavy_sets.push(BitSet::of(list, briefs.len()));
        }
    }
    let results: Vec<(Vec<usize>, Vec<Diagnostic>, u64)> = briefs
        .par_iter()
        .enumerate()
        .map_init(
            || (vec![0u32; briefs.len()], Vec::<u32>::new()),
            |(score, touched), (i, b)| {
                let mut problems = Vec::new();
                let mut chosen: Vec<usize> = Vec::new();
                for r in &b.related {
                    let at = || b.related_pos(r);
                    match index_of.get(r.as_str()) {
                        Some(&j) if j != i => {
                            if !chosen.contains(&j) {
                                chosen.push(j)
                            }
                        }
                        Some(_) => {
                            let (line, col) = at();
                            problems.push(Diagnostic::error(
                                &b.file,
                                line,
                                col,
                                "a brief cannot be related to itself",
                            ))
                        }
                        None => {
                            let help = if targets.drafts.contains(r) {
                                Some(format!(
                                    "`{r}` is a draft; publish it first, or build with --drafts"
                                ))
                            } else {
                                nearest(r, &targets.briefs)
                            };
                            let (line, col) = at();
                            problems.push(
                                Diagnostic::error(
                                    &b.file,
                                    line,
                                    col,
                                    format!("`related` names an unknown brief `{r}`"),
                                )
                                .with_optional_help(help),
                            );
                        }
                    }
                }
                let mut work = 0u64;
                let mut heavy_own: Vec<(usize, u32)> = Vec::new();
                for &(k, weight) in &features[i] {
                    if let Some(h) = heavy[k as usize] {
                        heavy_own.push((h, weight));
                        continue;
                    }
                    work += postings[k as usize].len() as u64;
                    for &j in &postings[k as usize] {
                        if score[j as usize] == 0 {
                            touched.push(j);
                        }
                        score[j as usize] += weight;
                    }
                }
                let shared = |j: usize| -> u32 {
                    (heavy_own.iter())
                        .filter(|(h, _)| heavy_sets[*h].contains(j))
                        .map(|(_, w)| w)
                        .sum()
                };
                let mut ranked: Vec<(u32, usize)> = Vec::with_capacity(touched.len());
                for &j in touched.iter() {
                    let j = j as usize;
                    if j != i && !chosen.contains(&j) {
                        ranked.push((score[j] + shared(j), j));
                    }
                }
                // Briefs that share only widely shared sources and tags with
                // this one: met newest first, so the walk ends once enough
                // of them share all of those (no later one can beat them).
                let room = RELATED.saturating_sub(chosen.len());
                let most: u32 = heavy_own.iter().map(|(_, w)| w).sum();
                let mut enough = ranked.iter().filter(|(s, _)| *s > most).count();
                let mut cursors = vec![0usize; heavy_own.len()];
                while enough < room {
                    let next = (heavy_own.iter().zip(&cursors))
                        .filter_map(|((h, _), &c)| heavy_lists[*h].get(c).copied())
                        .min();
                    let Some(j) = next else { break };
                    work += 1;
                    for ((h, _), c) in heavy_own.iter().zip(cursors.iter_mut()) {
                        if heavy_lists[*h].get(*c) == Some(&j) {
                            *c += 1;
                        }
                    }
                    let j = j as usize;
                    if j == i || score[j] != 0 || chosen.contains(&j) {
                        continue;
                    }
                    let s = shared(j);
                    ranked.push((s, j));
                    if s == most {
                        enough += 1;
                    }
                }
                for &j in touched.iter() {
                    score[j as usize] = 0;
                }
                touched.clear();
                let order = |a: &(u32, usize), b: &(u32, usize)| b.0.cmp(&a.0).then(a.1.cmp(&b.1));
                if room > 0 && ranked.len() > room {
                    ranked.select_nth_unstable_by(room - 1, order);
                    ranked.truncate(room);
                }
                ranked.sort_by(order);
                chosen.extend(ranked.into_iter().take(room).map(|(_, j)| j));
                (chosen, problems, work)
            },
        )
        .collect();
    let work = results.iter().map(|r| r.2).sum();
    let lists = results
        .into_iter()
        .map(|(chosen, problems, _)| {
            diagnostics.extend(problems);
            chosen
        })
        .collect();
    (lists, work)
}

/// Briefs sharing one source or tag above which it is looked up rather
/// than walked when scoring related briefs.
const HEAVY: usize = 256;

/// A set of brief indices.
struct BitSet(Vec<u64>);

impl BitSet {
    fn of(members: &[u32], size: usize) -> BitSet {
        let mut words = vec![0u64; size.div_ceil(64)];
        for &m in members {
            words[m as usize / 64] |= 1 << (m % 64);
        }
        BitSet(words)
    }

    fn contains(&self, m: usize) -> bool {
        self.0.get(m / 64).is_some_and(|w| w >> (m % 64) & 1 == 1)
    }
}

/// Fills every index with the briefs' positions (briefs are newest first,
/// so every list is too).
#[allow(clippy::too_many_arguments)]
pub(super) fn index(
    config: SiteConfig,
    briefs: Vec<Arc<BriefNode>>,
    sources: BTreeMap<String, Arc<Source>>,
    mut claimants: BTreeMap<String, ClaimantNode>,
    mut tags: BTreeMap<String, TagNode>,
    pages: Vec<PageNode>,
    targets: Targets,
    problems: Diagnostics,
) -> Site {
    let mut sources: BTreeMap<String, SourceNode> = sources
        .into_iter()
        .map(|(id, source)| {
            (
                id.clone(),
                SourceNode {
                    url: config.url(&urls::source(&id)),
                    source,
                    briefs: Vec::new(),
                },
            )
        })
        .collect();
    let mut verdicts: Vec<(String, Vec<usize>)> = config
        .verdicts
        .iter()
        .map(|v| (v.key.clone(), Vec::new()))
        .collect();
    for (i, node) in briefs.iter().enumerate() {
        for d in &node.brief.sources {
            if let Some(s) = sources.get_mut(&d.id)
                && s.briefs.last() != Some(&i)
            {
                s.briefs.push(i);
            }
        }
        if let Some(c) = claimants.get_mut(&node.claimant) {
            c.briefs.push(i);
        }
        for t in &node.tags {
            if let Some(tag) = tags.get_mut(t) {
                tag.briefs.push(i);
            }
        }
        if let Some((_, list)) = verdicts.iter_mut().find(|(k, _)| *k == node.brief.verdict) {
            list.push(i);
        }
    }
    Site {
        config: Arc::new(config),
        briefs,
        sources: Arc::new(sources),
        claimants: Arc::new(claimants),
        tags: Arc::new(tags),
        verdicts: Arc::new(verdicts),
        pages: Arc::new(pages),
        targets: Arc::new(targets),
        problems: Arc::new(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{self, Changed};
    use crate::corpus::{Corpus, Options};

    /// The related briefs' work on a generated desk of `n` briefs where
    /// one source is cited by every brief and one tag is on every brief.
    fn work_with_one_source_and_tag_everywhere(n: usize) -> (u64, Vec<Vec<usize>>) {
        let mut corpus = Corpus::generate(Options { briefs: n, seed: 3 });
        for b in &mut corpus.briefs {
            if !b.tags.contains(&0) {
                b.tags.push(0);
            }
            if !b.sources.contains(&0) {
                b.sources.push(0);
            }
        }
        let dir = tempfile::tempdir().unwrap();
        corpus.write(dir.path()).unwrap();
        let config = crate::config::load(dir.path()).unwrap().unwrap();
        let mut files = content::Files::default();
        let loaded = content::load(dir.path(), &config, &mut files, &Changed::All).unwrap();
        let briefs = &loaded.value.briefs;
        assert_eq!(briefs.len(), n);
        let (lists, work) = score_related(briefs, &Targets::default(), &mut Diagnostics::new());
        (work, lists)
    }

    #[test]
    fn a_source_and_a_tag_on_every_brief_keep_related_briefs_linear() {
        let (small, lists) = work_with_one_source_and_tag_everywhere(600);
        let (large, _) = work_with_one_source_and_tag_everywhere(1200);
        // Twice the briefs: about twice the work (four times if every brief
        // scored every other through the shared source and tag).
        assert!(
            large < small * 3,
            "work grew from {small} to {large} for twice the briefs"
        );
        // Every brief still gets its full list: the shared source and tag
        // relate any two briefs.
        assert!(lists.iter().all(|l| l.len() == RELATED));
    }
}
