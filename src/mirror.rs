//! WRITE for `watch`: the output folder, kept equal to what a fresh build
//! would write, touching only what changed.
//!
//! The first run writes the whole site atomically, as `build` does. Each
//! later run compares every route's fingerprint with the one it had; only
//! routes whose fingerprint changed are rendered, and of their files only
//! those whose bytes differ from the folder's are written, each beside its
//! target and renamed over it (a reader never sees half a file). Files no
//! route or static file makes any more are deleted, with the folders they
//! leave empty. A failed run never gets here, so the folder keeps the last
//! good site.

use crate::fs;
use crate::render::{Reads, Renderer, Route};
use crate::session::Checked;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// What one run wrote.
#[derive(Debug, Default, Clone, Copy)]
pub struct Written {
    /// Routes rendered (their fingerprint changed).
    pub rendered: usize,
    /// Routes in the site.
    pub routes: usize,
    /// Files written or deleted.
    pub files: usize,
}

/// What a route last wrote, and what that was made from.
struct Known {
    fingerprint: u128,
    reads: Arc<Reads>,
    files: Vec<String>,
}

/// The output folder of a `watch`, and what each route last wrote there.
pub struct Mirror {
    out: PathBuf,
    /// Route → what it last wrote; `None` before the first complete write.
    routes: Option<HashMap<Route, Known>>,
    /// The renderer of the last complete write (kept so that the briefs its
    /// fingerprints read stay alive and can be compared by identity).
    last: Option<Arc<Renderer>>,
    /// The static files last copied.
    statics: Option<Arc<BTreeMap<String, PathBuf>>>,
}

impl Mirror {
    /// The mirror of a folder that nothing has been written to yet.
    pub fn new(out: &Path) -> Mirror {
        Mirror {
            out: out.to_path_buf(),
            routes: None,
            last: None,
            statics: None,
        }
    }

    /// Brings the folder to the site of `checked`.
    pub fn update(&mut self, checked: &Checked) -> crate::error::Result<Written> {
        let renderer = &checked.renderer;
        let routes = renderer.routes();
        let fingerprints = self.fingerprints(renderer, &routes);
        let Some(mut old) = self.routes.take() else {
            return self.write_all(checked, routes, fingerprints);
        };
        let stale: Vec<usize> = (0..routes.len())
            .filter(|&k| {
                old.get(&routes[k])
                    .is_none_or(|known| known.fingerprint != fingerprints[k].0)
            })
            .collect();
        let out = &self.out;
        let files: Mutex<Vec<(usize, String)>> = Mutex::new(Vec::new());
        let changed = std::sync::atomic::AtomicUsize::new(0);
        let failures: Vec<crate::render::RenderError> = stale
            .par_iter()
            .filter_map(|&k| {
                let sink = |path: &str, bytes: &[u8]| {
                    lock(&files).push((k, path.to_string()));
                    if replace(out, path, bytes)? {
                        changed.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    }
                    Ok(())
                };
                renderer.render(&routes[k], &sink).err()
            })
            .collect();
        if let Err(e) = crate::render::report(failures) {
            // Forget what was written: the next run renders every route again.
            self.last = None;
            return Err(e);
        }
        let mut fresh: HashMap<usize, Vec<String>> = HashMap::new();
        for (k, path) in lock(&files).drain(..) {
            fresh.entry(k).or_default().push(path);
        }
        // Files that may have no route any more: those of routes rendered
        // again or gone. A route not rendered again writes what it wrote.
        let mut maybe_gone: Vec<String> = Vec::new();
        let mut written: HashSet<String> = HashSet::new();
        let total = routes.len();
        let mut next = HashMap::with_capacity(total);
        for (k, (route, (fingerprint, reads))) in routes.into_iter().zip(fingerprints).enumerate() {
            let last = old.remove(&route);
            let files = match fresh.remove(&k) {
                Some(files) => {
                    maybe_gone.extend(last.map(|kn| kn.files).unwrap_or_default());
                    written.extend(files.iter().cloned());
                    files
                }
                None => last.map(|kn| kn.files).unwrap_or_default(),
            };
            let known = Known {
                fingerprint,
                reads,
                files,
            };
            next.insert(route, known);
        }
        maybe_gone.extend(old.into_values().flat_map(|kn| kn.files));
        let mut count = changed.into_inner();
        let old_statics = self.statics.take();
        if !old_statics
            .as_ref()
            .is_some_and(|s| Arc::ptr_eq(s, &checked.statics))
        {
            for (rel, from) in checked.statics.iter() {
                if replace(out, rel, &fs::read(from)?)? {
                    count += 1;
                }
            }
            maybe_gone.extend(old_statics.iter().flat_map(|s| s.keys().cloned()));
        }
        self.statics = Some(checked.statics.clone());
        // Delete what no route or static file makes any more.
        let mut gone: Vec<String> = maybe_gone
            .into_iter()
            .filter(|f| !written.contains(f) && !checked.statics.contains_key(f))
            .collect();
        gone.sort_unstable();
        gone.dedup();
        for path in &gone {
            remove(out, path)?;
        }
        count += gone.len();
        self.routes = Some(next);
        self.last = Some(renderer.clone());
        Ok(Written {
            rendered: stale.len(),
            routes: total,
            files: count,
        })
    }

    /// The fingerprint of every route, and the briefs it read. When the last
    /// site and this one differ only in some briefs (a save that kept the
    /// link graph), a route keeps its last fingerprint unless it read one
    /// of those; the debug build checks each kept one against a fresh one.
    fn fingerprints(&self, renderer: &Arc<Renderer>, routes: &[Route]) -> Vec<(u128, Arc<Reads>)> {
        let fresh = |r: &Route| {
            let (fingerprint, reads) = renderer.fingerprint_noting(r);
            (fingerprint, Arc::new(reads))
        };
        let kept = (self.last.as_ref()).filter(|last| renderer.same_frame(last));
        let (Some(last), Some(known)) = (kept, &self.routes) else {
            return routes.par_iter().map(fresh).collect();
        };
        let changed: Vec<bool> = (renderer.site.briefs.iter())
            .zip(&last.site.briefs)
            .map(|(a, b)| !Arc::ptr_eq(a, b))
            .collect();
        let any = changed.iter().any(|&c| c);
        let front_matter = (renderer.site.briefs.iter())
            .zip(&last.site.briefs)
            .any(|(a, b)| !Arc::ptr_eq(&a.brief, &b.brief));
        let still = |reads: &Reads| match reads {
            Reads::All => !any,
            Reads::FrontMatter => !front_matter,
            Reads::Briefs(list) => !list.iter().any(|&i| changed[i as usize]),
        };
        routes
            .par_iter()
            .map(|r| match known.get(r) {
                Some(k) if still(&k.reads) => {
                    debug_assert_eq!(
                        k.fingerprint,
                        renderer.fingerprint(r),
                        "{r:?} read a brief it did not note"
                    );
                    (k.fingerprint, k.reads.clone())
                }
                _ => fresh(r),
            })
            .collect()
    }

    /// The first run: the whole site, swapped in atomically.
    fn write_all(
        &mut self,
        checked: &Checked,
        routes: Vec<Route>,
        fingerprints: Vec<(u128, Arc<Reads>)>,
    ) -> crate::error::Result<Written> {
        let renderer = &checked.renderer;
        let files: Mutex<Vec<(usize, String)>> = Mutex::new(Vec::new());
        crate::output::write_atomically(&self.out, |dir: &Path| {
            let failures: Vec<crate::render::RenderError> = (0..routes.len())
                .into_par_iter()
                .filter_map(|k| {
                    let sink = |path: &str, bytes: &[u8]| {
                        lock(&files).push((k, path.to_string()));
                        fs::write(&dir.join(path), bytes)
                    };
                    renderer.render(&routes[k], &sink).err()
                })
                .collect();
            crate::render::report(failures)?;
            crate::output::copy_static(&checked.statics, dir)?;
            Ok(())
        })?;
        let mut by_route: Vec<Vec<String>> = vec![Vec::new(); routes.len()];
        for (k, path) in lock(&files).drain(..) {
            by_route[k].push(path);
        }
        let count = routes.len();
        self.routes = Some(
            routes
                .into_iter()
                .zip(fingerprints.into_iter().zip(by_route))
                .map(|(route, ((fingerprint, reads), files))| {
                    let known = Known {
                        fingerprint,
                        reads,
                        files,
                    };
                    (route, known)
                })
                .collect(),
        );
        self.last = Some(renderer.clone());
        self.statics = Some(checked.statics.clone());
        Ok(Written {
            rendered: count,
            routes: count,
            files: count,
        })
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Writes `bytes` at `path` under `out` unless the file holds them already;
/// the new file is written beside its target and renamed over it. Returns
/// whether it wrote.
fn replace(out: &Path, path: &str, bytes: &[u8]) -> anyhow::Result<bool> {
    let target = out.join(path);
    if std::fs::read(&target).is_ok_and(|old| old == bytes) {
        return Ok(false);
    }
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = target.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    fs::write(&temp, bytes)?;
    if let Err(e) = fs::rename(&temp, &target) {
        let _ = std::fs::remove_file(&temp);
        return Err(e);
    }
    Ok(true)
}

/// Deletes `path` under `out` and the folders it leaves empty.
fn remove(out: &Path, path: &str) -> anyhow::Result<()> {
    let target = out.join(path);
    match std::fs::remove_file(&target) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            return Err(anyhow::anyhow!("cannot remove {}: {e}", target.display()));
        }
        _ => {}
    }
    let mut dir = target.parent();
    while let Some(d) = dir {
        if d == out || std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
    Ok(())
}
