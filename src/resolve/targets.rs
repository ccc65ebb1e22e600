//! Lookup tables of everything a body can link to, and "did you mean"
//! hints when a target is missing.

use crate::config::SiteConfig;
use crate::diagnostics::suggest;
use crate::markdown::crosslinks::Target;
use crate::markdown::{LinkTargets, Resolved};
use crate::slug;
use std::collections::{BTreeMap, BTreeSet};

/// Every link target of the site, by the name editors write.
#[derive(Debug, Default, Clone)]
pub struct Targets {
    /// Brief slug → (URL, title), published briefs (and drafts with --drafts).
    pub briefs: BTreeMap<String, Resolved>,
    /// Brief file → slug, for relative `.md` links.
    pub brief_files: BTreeMap<String, String>,
    /// Slugs of drafts left out of this build, for a clearer hint.
    pub drafts: BTreeSet<String>,
    /// Source id → (URL, title).
    pub sources: BTreeMap<String, Resolved>,
    /// Claimant id → (URL, name).
    pub claimants: BTreeMap<String, Resolved>,
    /// Tag slug → (URL, name).
    pub tags: BTreeMap<String, Resolved>,
    /// Verdict key → (URL, label).
    pub verdicts: BTreeMap<String, Resolved>,
    /// A fingerprint of all of the above, once complete ([`Targets::seal`]).
    pub fingerprint: u128,
}

impl Targets {
    /// Computes the fingerprint, once every target is in: equal
    /// fingerprints mean every lookup gets the same answer.
    pub fn seal(&mut self) {
        use std::hash::Hash;
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        for map in [
            &self.briefs,
            &self.sources,
            &self.claimants,
            &self.tags,
            &self.verdicts,
        ] {
            map.len().hash(&mut h);
            for (k, r) in map {
                (k, &r.url, &r.title).hash(&mut h);
            }
        }
        self.brief_files.hash(&mut h);
        self.drafts.hash(&mut h);
        self.fingerprint = h.digest128();
    }

    /// A target at `path` under the site.
    pub fn entry(config: &SiteConfig, path: String, title: &str) -> Resolved {
        Resolved {
            url: config.url(&path),
            title: title.to_string(),
        }
    }
}

/// The nearest of `map`'s keys to `wanted`. Candidates are first narrowed to
/// those sharing a first character or of similar length, so a site with
/// many broken links and many targets does not cost a product of both.
pub fn nearest<V>(wanted: &str, map: &BTreeMap<String, V>) -> Option<String> {
    let first = wanted.chars().next();
    let len = wanted.len();
    let narrowed = map
        .keys()
        .filter(|k| k.chars().next() == first || k.len().abs_diff(len) <= 2)
        .take(5000)
        .map(String::as_str);
    suggest(wanted, narrowed)
}

impl LinkTargets for Targets {
    fn target(&self, target: Target<'_>) -> Result<Resolved, Option<String>> {
        let (map, key) = match target {
            Target::Brief(s) => {
                if self.drafts.contains(s) && !self.briefs.contains_key(s) {
                    return Err(Some(format!(
                        "`{s}` is a draft; publish it first, or build with --drafts"
                    )));
                }
                (&self.briefs, s.to_string())
            }
            Target::Source(s) => (&self.sources, s.to_string()),
            Target::Claimant(s) => (&self.claimants, s.to_string()),
            Target::Tag(s) => (&self.tags, slug::slugify(s)),
            Target::Verdict(s) => (&self.verdicts, s.to_lowercase()),
        };
        map.get(&key).cloned().ok_or_else(|| nearest(&key, map))
    }

    fn brief_file(&self, path: &str) -> Result<Resolved, Option<String>> {
        match self.brief_files.get(path) {
            Some(slug) if self.briefs.contains_key(slug) => Ok(self.briefs[slug].clone()),
            Some(slug) => Err(Some(format!(
                "`{slug}` is a draft; publish it first, or build with --drafts"
            ))),
            None => Err(nearest(path, &self.brief_files)),
        }
    }

    fn source_exists(&self, id: &str) -> bool {
        self.sources.contains_key(id)
    }
}
