//! A memo of RENDER: each page's bytes, kept while its fingerprint holds.
//!
//! A page is a pure function of its template (with everything that
//! template extends, includes or imports) and its context. The fingerprint
//! is a 128-bit hash of both; a page is rendered again only when it
//! changed. Contexts are hashed value by value (maps without regard to
//! order), not serialised, and a context with a key that [`CONTEXT_KEYS`]
//! does not list gets no fingerprint, so such a page is always rendered: a
//! new key can cost speed, never correctness.
//!
//! The views that many pages share (a brief's summary in every list, each
//! source, the `site` value …) are hashed once per rebuild, and a context
//! that holds one is hashed with that result: tera values share their maps
//! behind an `Arc`, and while the shared views are alive no other map can
//! have the same address, so the address identifies the view.

use crate::render::views::Views;
use crate::render::{CONTEXT_KEYS, Filter, Theme};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex, OnceLock};
use tera::{Context, Value};
use xxhash_rust::xxh3::{Xxh3, xxh3_128, xxh3_128_with_seed};

/// A fingerprint of every template, by name: its text and the texts of
/// every template it reaches through `extends`, `include` and `import`.
/// A template that names another through an expression, or that defines
/// or uses components (which are global), depends on every template.
pub(crate) fn template_fingerprints(theme: &Theme) -> BTreeMap<String, u128> {
    let texts = theme.texts();
    let all: BTreeSet<&str> = texts.keys().map(String::as_str).collect();
    let direct: BTreeMap<&str, BTreeSet<&str>> = texts
        .iter()
        .map(|(name, text)| {
            let refs = references(text).map_or_else(
                || all.clone(),
                |r| {
                    r.into_iter()
                        .filter_map(|n| all.get(n.as_str()).copied())
                        .collect()
                },
            );
            (name.as_str(), refs)
        })
        .collect();
    texts
        .keys()
        .map(|name| {
            let mut reached: BTreeSet<&str> = BTreeSet::new();
            let mut stack = vec![name.as_str()];
            while let Some(n) = stack.pop() {
                if reached.insert(n) {
                    stack.extend(direct.get(n).into_iter().flatten().copied());
                }
            }
            let mut h = Xxh3::new();
            for n in reached {
                for s in [n, texts[n].as_str()] {
                    h.update(&(s.len() as u64).to_le_bytes());
                    h.update(s.as_bytes());
                }
            }
            (name.clone(), h.digest128())
        })
        .collect()
}

/// The templates a template names in `extends`, `include` and `import`
/// tags; `None` when it may reach others in ways this scan cannot see.
fn references(text: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    if text.contains("{{<") {
        return None;
    }
    let mut rest = text;
    while let Some(start) = rest.find("{%") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("%}") else { break };
        let tag = after[..end].trim_matches(|c: char| c == '-' || c.is_whitespace());
        rest = &after[end + 2..];
        let word = tag.split_whitespace().next().unwrap_or("");
        match word {
            "component" | "endcomponent" => return None,
            "extends" | "include" | "import" | "from" => {
                let names = literals(tag);
                if names.is_empty() {
                    return None;
                }
                out.extend(names);
            }
            _ => {}
        }
    }
    Some(out)
}

/// The quoted string literals in a tag.
fn literals(tag: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = tag.char_indices();
    while let Some((i, c)) = chars.next() {
        if c == '"' || c == '\'' || c == '`' {
            let rest = &tag[i + 1..];
            if let Some(j) = rest.find(c) {
                out.push(rest[..j].to_string());
                for _ in 0..=rest[..j].chars().count() {
                    chars.next();
                }
            }
        }
    }
    out
}

/// Hashes of the shared views of one rendering, by the address of their map.
type Shared = HashMap<usize, u128>;

fn address(map: &tera::value::Map) -> usize {
    std::ptr::from_ref(map) as usize
}

/// The render filter of one rebuild: renders the pages whose fingerprint
/// differs from the last good rebuild's, and writes down every page seen.
pub(crate) struct PageFilter<'a> {
    templates: BTreeMap<String, u128>,
    old: &'a HashMap<String, (u128, Arc<[u8]>)>,
    shared: OnceLock<Shared>,
    /// Every page of the site: output file and fingerprint.
    pub(crate) seen: Mutex<Vec<(String, Option<u128>)>>,
}

impl<'a> PageFilter<'a> {
    pub(crate) fn new(theme: &Theme, old: &'a HashMap<String, (u128, Arc<[u8]>)>) -> Self {
        PageFilter {
            templates: template_fingerprints(theme),
            old,
            shared: OnceLock::new(),
            seen: Mutex::new(Vec::new()),
        }
    }
}

impl Filter for PageFilter<'_> {
    fn shared(&self, site: &Value, views: &Views) {
        let mut table = Shared::new();
        // Inner views first: summaries hold claimants and verdicts, `site`
        // holds the verdicts.
        let leaves = views
            .verdicts
            .iter()
            .chain(views.claimants.values())
            .chain(views.tags.values())
            .chain(views.sources.values());
        for v in leaves {
            add(&mut table, v);
        }
        let summaries: Vec<(usize, u128)> = views
            .briefs
            .par_iter()
            .filter_map(|v| Some((address(v.as_map()?), value_hash(v, &table))))
            .collect();
        table.extend(summaries);
        add(&mut table, site);
        let _ = self.shared.set(table);
    }

    fn keep(&self, file: &str, template: &str, context: &Context) -> bool {
        let empty = Shared::new();
        let shared = self.shared.get().unwrap_or(&empty);
        let fp = self
            .templates
            .get(template)
            .and_then(|t| fingerprint(*t, context, shared));
        let unchanged =
            matches!((fp, self.old.get(file)), (Some(fp), Some((old, _))) if fp == *old);
        self.seen
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((file.to_string(), fp));
        !unchanged
    }
}

fn add(table: &mut Shared, v: &Value) {
    if let Some(map) = v.as_map() {
        let h = value_hash(v, table);
        table.insert(address(map), h);
    }
}

/// The fingerprint of a page, or `None` if its context holds a key this
/// module does not know.
fn fingerprint(template: u128, context: &Context, shared: &Shared) -> Option<u128> {
    let mut rest = context.clone();
    let mut acc = template;
    for key in CONTEXT_KEYS {
        if let Some(v) = rest.remove(key) {
            acc = acc.wrapping_add(pair(xxh3_128(key.as_bytes()), value_hash(&v, shared)));
        }
    }
    (rest == Context::new()).then_some(acc)
}

/// Hashes two hashes into one (order matters).
fn pair(a: u128, b: u128) -> u128 {
    let mut buf = [0u8; 32];
    buf[..16].copy_from_slice(&a.to_le_bytes());
    buf[16..].copy_from_slice(&b.to_le_bytes());
    xxh3_128(&buf)
}

/// A hash of a value. Maps are hashed without regard to their iteration
/// order (a sum of per-entry hashes), so no sorting or allocation is needed;
/// shared views are looked up, not walked.
fn value_hash(v: &Value, shared: &Shared) -> u128 {
    if let Some(s) = v.as_str() {
        xxh3_128_with_seed(s.as_bytes(), if v.is_safe() { 1 } else { 2 })
    } else if let Some(items) = v.as_array() {
        let mut acc = xxh3_128_with_seed(&(items.len() as u64).to_le_bytes(), 3);
        for item in items {
            acc = pair(acc, value_hash(item, shared));
        }
        acc
    } else if let Some(map) = v.as_map() {
        if let Some(h) = shared.get(&address(map)) {
            return *h;
        }
        let mut acc = xxh3_128_with_seed(&(map.len() as u64).to_le_bytes(), 4);
        for (k, v) in map {
            let key = match k.as_str() {
                Some(s) => xxh3_128(s.as_bytes()),
                None => xxh3_128(format!("{k:?}").as_bytes()),
            };
            acc = acc.wrapping_add(pair(key, value_hash(v, shared)));
        }
        acc
    } else if let Some(b) = v.as_bool() {
        xxh3_128_with_seed(&[u8::from(b)], 5)
    } else if let Some(n) = v.as_i128() {
        xxh3_128_with_seed(&n.to_le_bytes(), 6)
    } else if let Some(n) = v.as_u128() {
        xxh3_128_with_seed(&n.to_le_bytes(), 7)
    } else if let Some(n) = v.as_f64() {
        xxh3_128_with_seed(&n.to_bits().to_le_bytes(), 8)
    } else if let Some(b) = v.as_bytes() {
        xxh3_128_with_seed(b, 9)
    } else {
        xxh3_128_with_seed(&[u8::from(v.is_none())], 10)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shared_view_hashes_as_its_content() {
        let view = Value::from_serializable(&serde_json::json!({"title": "x", "n": 1}));
        let mut shared = Shared::new();
        add(&mut shared, &view);
        let copy = Value::from_serializable(&serde_json::json!({"title": "x", "n": 1}));
        let list = Value::from(vec![view.clone()]);
        let same = Value::from(vec![copy]);
        assert_eq!(value_hash(&list, &shared), value_hash(&same, &shared));
    }

    #[test]
    fn references_are_read_from_tags() {
        let t = r#"{% extends "base.html" %}{%- include "partials/a.html" -%}{% import 'm.html' as m %}"#;
        assert_eq!(
            references(t),
            Some(vec![
                "base.html".into(),
                "partials/a.html".into(),
                "m.html".into()
            ])
        );
        assert_eq!(references("{% include name %}"), None);
        assert_eq!(references("{% component x() %}{% endcomponent %}"), None);
        assert_eq!(references("<p>{{ a }}</p>"), Some(vec![]));
    }

    #[test]
    fn fingerprints_follow_the_context() {
        let mut a = Context::new();
        a.insert("page", &serde_json::json!({"title": "x", "n": [1, 2]}));
        let mut b = a.clone();
        let none = Shared::new();
        let fp = |t, c: &Context| fingerprint(t, c, &none);
        assert_eq!(fp(1, &a), fp(1, &b));
        assert_ne!(fp(1, &a), fp(2, &a));
        b.insert("page", &serde_json::json!({"title": "y", "n": [1, 2]}));
        assert_ne!(fp(1, &a), fp(1, &b));
        b.insert("unknown", &1);
        assert_eq!(fp(1, &b), None);
    }
}
