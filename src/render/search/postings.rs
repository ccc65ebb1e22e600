//! The index's terms and postings, kept between runs of `watch` and
//! `serve` so that a saved brief costs the index only that brief's terms.
//!
//! An [`Index`] remembers the published briefs it was made from (by
//! identity), every term's postings, and the bytes of every chunk. Made again for a site that differs from the last one only
//! in some briefs' nodes, at the same places (a save that kept the link
//! graph), it takes those briefs' old terms out of the postings and puts
//! their new ones in, then writes again only the chunks whose terms
//! changed. Anything else (briefs added, removed or reordered, new
//! settings or claimants) makes it from scratch. Either way the files are
//! the same function of the site: the tests compare them with a fresh
//! build after random edits.

use super::{
    Files, META_CHUNK, TERM_CHUNK_BYTES, TermMap, brief_terms, chunk_bytes, encode, entry_size,
    manifest, meta_bytes, utf16_cmp,
};
use crate::config::SiteConfig;
use crate::resolve::{BriefNode, ClaimantNode, Site};
use crate::urls;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::sync::{Arc, Weak};

/// Above this share of changed briefs, making the index from scratch is
/// cheaper than patching it.
const PATCH_AT_MOST: usize = 8;

/// A posting: the brief's number and the term's field bits in one number.
fn posting(doc: u32, bits: u8) -> u32 {
    doc << 4 | u32::from(bits)
}

/// A term chunk: its terms (by id, in order) and its JSON.
struct Chunk {
    terms: Box<[u32]>,
    bytes: Arc<[u8]>,
}

/// The search index of the last site it was made for.
#[derive(Default)]
pub struct Index {
    config: Option<Arc<SiteConfig>>,
    claimants: Option<Arc<BTreeMap<String, ClaimantNode>>>,
    /// Published briefs, by number. Held weakly, so that the index never
    /// keeps a site alive (after a change of settings, every node is new):
    /// a weak pointer still keeps its address from being reused, so the
    /// comparison by identity stays sound. A changed brief's old terms are
    /// made again from its old node (cheaper than keeping them); when that
    /// node is gone, the index is made from scratch.
    docs: Vec<Weak<BriefNode>>,
    /// Term → id.
    ids: TermMap<Box<str>, u32>,
    /// Id → term.
    names: Vec<Box<str>>,
    /// Per term id, its postings as `brief number · 16 + fields`, ascending.
    postings: Vec<Vec<u32>>,
    /// Per term id, its size in its chunk (see [`entry_size`]).
    sizes: Vec<usize>,
    /// Ids of the terms with postings, in the index's order.
    order: Vec<u32>,
    chunks: Vec<Chunk>,
    metas: Vec<Arc<[u8]>>,
}

impl Index {
    /// The index's files for `site`. With `keep`, what they were made from
    /// is kept for the next call; without, it is dropped.
    pub fn files(&mut self, site: &Site, keep: bool) -> Files {
        let published: Vec<Arc<BriefNode>> = (site.briefs.iter())
            .filter(|n| !n.brief.draft)
            .cloned()
            .collect();
        let same_frame = self
            .config
            .as_ref()
            .is_some_and(|c| Arc::ptr_eq(c, &site.config))
            && self
                .claimants
                .as_ref()
                .is_some_and(|c| Arc::ptr_eq(c, &site.claimants))
            && self.docs.len() == published.len();
        let changed: Vec<usize> = if same_frame {
            (0..published.len())
                .filter(|&d| !std::ptr::eq(self.docs[d].as_ptr(), Arc::as_ptr(&published[d])))
                .collect()
        } else {
            Vec::new()
        };
        let old: Option<Vec<Arc<BriefNode>>> =
            changed.iter().map(|&d| self.docs[d].upgrade()).collect();
        let patchable = same_frame && changed.len() * PATCH_AT_MOST <= published.len();
        let (dirty, changed) = match old {
            Some(old) if patchable => (self.patch(site, &published, &changed, &old), changed),
            _ => (self.remake(site, &published), Vec::new()),
        };
        self.config = Some(site.config.clone());
        self.claimants = Some(site.claimants.clone());
        let files = self.write(site, &published, &dirty, &changed);
        if !keep {
            *self = Index::default();
        }
        files
    }

    /// The id of `term`, made if new.
    fn intern(&mut self, term: String) -> u32 {
        if let Some(&id) = self.ids.get(term.as_str()) {
            return id;
        }
        let id = self.names.len() as u32;
        let term: Box<str> = term.into();
        self.ids.insert(term.clone(), id);
        self.names.push(term);
        self.postings.push(Vec::new());
        self.sizes.push(0);
        id
    }

    /// A brief's terms, by id, ascending.
    fn terms_of(&mut self, site: &Site, node: &BriefNode) -> Vec<(u32, u8)> {
        let mut list: Vec<(u32, u8)> = brief_terms(site, node)
            .into_iter()
            .map(|(term, bits)| (self.intern(term), bits))
            .collect();
        list.sort_unstable();
        list
    }

    /// Everything from scratch; returns every term as changed.
    fn remake(&mut self, site: &Site, published: &[Arc<BriefNode>]) -> Vec<bool> {
        *self = Index::default();
        // The briefs' terms are made in parallel, a batch at a time to
        // bound memory.
        for batch in published.chunks(256) {
            let per_doc: Vec<Vec<(String, u8)>> =
                batch.par_iter().map(|n| brief_terms(site, n)).collect();
            for doc_terms in per_doc {
                let doc = self.docs.len() as u32;
                for (term, bits) in doc_terms {
                    let id = self.intern(term);
                    self.postings[id as usize].push(posting(doc, bits));
                }
                self.docs.push(Arc::downgrade(&published[doc as usize]));
            }
        }
        let mut order: Vec<u32> = (0..self.names.len() as u32).collect();
        let names = &self.names;
        order.par_sort_unstable_by(|&a, &b| utf16_cmp(&names[a as usize], &names[b as usize]));
        self.order = order;
        vec![true; self.names.len()]
    }

    /// Replaces the terms of the briefs at `changed`; returns which terms
    /// changed.
    fn patch(
        &mut self,
        site: &Site,
        published: &[Arc<BriefNode>],
        changed: &[usize],
        old_nodes: &[Arc<BriefNode>],
    ) -> Vec<bool> {
        let mut dirty = vec![false; self.names.len()];
        let mut touched: Vec<u32> = Vec::new();
        for (&d, old_node) in changed.iter().zip(old_nodes) {
            let old = self.terms_of(site, old_node);
            let new = self.terms_of(site, &published[d]);
            dirty.resize(self.names.len(), false);
            let doc = d as u32;
            let (mut a, mut b) = (0, 0);
            while a < old.len() || b < new.len() {
                let take_old = b == new.len() || (a < old.len() && old[a].0 < new[b].0);
                let take_new = a == old.len() || (b < new.len() && new[b].0 < old[a].0);
                let (id, bits) = if take_old {
                    a += 1;
                    (old[a - 1].0, None)
                } else if take_new {
                    b += 1;
                    (new[b - 1].0, Some(new[b - 1].1))
                } else {
                    a += 1;
                    b += 1;
                    if old[a - 1].1 == new[b - 1].1 {
                        continue;
                    }
                    (new[b - 1].0, Some(new[b - 1].1))
                };
                let list = &mut self.postings[id as usize];
                match (list.binary_search_by_key(&doc, |&p| p >> 4), bits) {
                    (Ok(k), Some(bits)) => list[k] = posting(doc, bits),
                    (Ok(k), None) => {
                        list.remove(k);
                    }
                    (Err(k), Some(bits)) => list.insert(k, posting(doc, bits)),
                    (Err(_), None) => {}
                }
                dirty[id as usize] = true;
                touched.push(id);
            }
            self.docs[d] = Arc::downgrade(&published[d]);
        }
        // Terms that gained their first posting or lost their last one.
        touched.sort_unstable();
        touched.dedup();
        let names = &self.names;
        let by_name = |a: &u32, b: &u32| utf16_cmp(&names[*a as usize], &names[*b as usize]);
        for id in touched {
            let empty = self.postings[id as usize].is_empty();
            let at = self.order.binary_search_by(|probe| by_name(probe, &id));
            match (at, empty) {
                (Ok(k), true) => {
                    self.order.remove(k);
                }
                (Err(k), false) => self.order.insert(k, id),
                _ => {}
            }
        }
        dirty
    }

    /// The files, writing again only the chunks that `dirty` terms or
    /// `changed` briefs touch.
    fn write(
        &mut self,
        site: &Site,
        published: &[Arc<BriefNode>],
        dirty: &[bool],
        changed: &[usize],
    ) -> Files {
        for (id, &d) in dirty.iter().enumerate() {
            if d {
                let list = &self.postings[id];
                self.sizes[id] = entry_size(&self.names[id], &encode(list));
            }
        }
        // Cut the terms into chunks of about TERM_CHUNK_BYTES.
        let mut layout: Vec<Vec<u32>> = Vec::new();
        let mut size = 0;
        for &id in &self.order {
            let entry = self.sizes[id as usize];
            match layout.last_mut() {
                Some(chunk) if size + entry <= TERM_CHUNK_BYTES => {
                    chunk.push(id);
                    size += entry;
                }
                _ => {
                    layout.push(vec![id]);
                    size = entry;
                }
            }
        }
        let old = std::mem::take(&mut self.chunks);
        let (names, postings) = (&self.names, &self.postings);
        self.chunks = layout
            .into_par_iter()
            .enumerate()
            .map(|(i, terms)| {
                let kept = old
                    .get(i)
                    .filter(|c| *c.terms == *terms && !terms.iter().any(|&t| dirty[t as usize]));
                let bytes = match kept {
                    Some(c) => c.bytes.clone(),
                    None => {
                        let entries: Vec<(&str, Vec<u64>)> = terms
                            .iter()
                            .map(|&t| (&*names[t as usize], encode(&postings[t as usize])))
                            .collect();
                        chunk_bytes(&entries)
                    }
                };
                Chunk {
                    terms: terms.into(),
                    bytes,
                }
            })
            .collect();

        let meta_count = self.docs.len().div_ceil(META_CHUNK);
        let mut stale = vec![self.metas.len() != meta_count; meta_count];
        if self.metas.len() == meta_count {
            for &d in changed {
                stale[d / META_CHUNK] = true;
            }
        }
        self.metas.resize(meta_count, Arc::from(&[][..]));
        let docs = published;
        let fresh: Vec<(usize, Arc<[u8]>)> = (0..meta_count)
            .into_par_iter()
            .filter(|&k| stale[k])
            .map(|k| {
                let end = ((k + 1) * META_CHUNK).min(docs.len());
                (k, meta_bytes(site, &docs[k * META_CHUNK..end]))
            })
            .collect();
        for (k, bytes) in fresh {
            self.metas[k] = bytes;
        }

        let mut out: Files = Vec::with_capacity(1 + self.chunks.len() + meta_count);
        out.extend(
            (self.chunks.iter().enumerate())
                .map(|(i, c)| (urls::search_file(&format!("t/{i}.json")), c.bytes.clone())),
        );
        out.extend(
            (self.metas.iter().enumerate())
                .map(|(k, m)| (urls::search_file(&format!("m/{k}.json")), m.clone())),
        );
        let firsts = (self.chunks.iter())
            .map(|c| &*self.names[c.terms[0] as usize])
            .collect();
        let head = manifest(site, self.docs.len(), firsts, &out);
        out.insert(0, head);
        out
    }
}

#[cfg(test)]
mod tests {
    use crate::content::Changed;
    use crate::corpus::{Corpus, Options};
    use crate::session::Session;

    /// Saves that add words no brief had, drop words only one brief had and
    /// retitle a brief leave the kept index equal to one made from scratch.
    #[test]
    fn a_patched_index_is_the_index_made_from_scratch() {
        let dir = tempfile::tempdir().unwrap();
        let corpus = Corpus::generate(Options {
            briefs: 120,
            seed: 7,
        });
        corpus.write(dir.path()).unwrap();
        let mut session = Session::long_running(dir.path(), Default::default());
        let first = session.run(&Changed::All).ok().unwrap();
        assert!(!first.renderer.search_files().is_empty());
        // The last run's site stays alive while the next index is made, as
        // in `watch`, so its nodes can be compared and their terms undone.
        let mut previous = first;
        let paths: Vec<_> = corpus
            .published()
            .take(40)
            .map(|b| dir.path().join(b.file()))
            .collect();
        for (k, path) in paths.iter().enumerate() {
            let text = std::fs::read_to_string(path).unwrap();
            let edited = match k % 3 {
                // New words, one of them sorting first.
                0 => format!("{text}\n\naaaaquokka zyzzyva{k} quokka{k}\n"),
                // Most of the body gone.
                1 => {
                    text[..text.rfind("\n---\n").map_or(text.len(), |e| e + 5)].to_string()
                        + "Short.\n"
                }
                _ => text.replacen("title: ", &format!("title: Retitled{k} "), 1),
            };
            std::fs::write(path, edited).unwrap();
            let checked = session
                .run(&Changed::Paths(vec![path.clone()]))
                .ok()
                .unwrap();
            let kept = checked.renderer.search_files();
            let fresh = super::super::files(&checked.renderer.site);
            assert_eq!(kept.len(), fresh.len(), "save {k}");
            for ((kp, kb), (fp, fb)) in kept.iter().zip(&fresh) {
                assert_eq!(kp, fp, "save {k}");
                assert!(kb == fb, "save {k}: {kp} differs");
            }
            previous = checked;
        }
        drop(previous);
    }
}
