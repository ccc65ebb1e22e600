//! WRITE: pages and static files into the output folder, atomically.
//!
//! Everything is written into a staging folder beside the output
//! (`.public.tmp-<pid>`); only when all of it is written is the old output
//! moved aside and the staging folder renamed into its place. A build that
//! fails at any point removes its staging folder and leaves the previous
//! output exactly as it was; stale files of the previous build never survive
//! a successful one.

use crate::fs;
use anyhow::Context as _;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Refuses output folders that would overwrite the site's own files.
pub fn check_output_dir(root: &Path, out: &Path) -> anyhow::Result<()> {
    let root = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
    let out = std::path::absolute(out).unwrap_or_else(|_| out.to_path_buf());
    let protected = ["content", "templates", "static"].map(|d| root.join(d));
    if out == root || root.starts_with(&out) || protected.iter().any(|p| out.starts_with(p)) {
        anyhow::bail!(
            "refusing to write the site into {}: it would replace the site's own files; choose another --output",
            out.display()
        );
    }
    Ok(())
}

/// Runs `fill` on a fresh staging folder, then swaps it in as `out`.
///
/// Two builds of the same output never interleave: each holds an exclusive
/// lock on `.<name>.lock` beside the output (a second build waits for the
/// first). On Linux the swap is one `renameat2(RENAME_EXCHANGE)`, so there
/// is no instant at which `out` is missing; a build killed at any point
/// leaves the previous output complete, and the next build removes what the
/// killed one left behind.
pub fn write_atomically<T>(
    out: &Path,
    fill: impl FnOnce(&Path) -> crate::error::Result<T>,
) -> crate::error::Result<T> {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent)?;
    let lock_path = parent.join(format!(".{name}.lock"));
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .with_context(|| format!("cannot open {}", lock_path.display()))?;
    lock.lock()
        .with_context(|| format!("cannot lock {}", lock_path.display()))?;
    recover(&parent, &name, out)?;
    let pid = std::process::id();
    let staging = parent.join(format!(".{name}.tmp-{pid}"));
    fs::remove_dir_all(&staging)?;
    fs::create_dir_all(&staging)?;
    let value = match fill(&staging) {
        Ok(v) => v,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(e);
        }
    };
    let swapped = if out.exists() {
        exchange(&staging, out, &parent.join(format!(".{name}.old-{pid}")))
    } else {
        fs::rename(&staging, out).map(|()| None)
    };
    match swapped {
        Ok(previous) => {
            if let Some(previous) = previous {
                remove_tree(&previous)?;
            }
            Ok(value)
        }
        Err(e) => {
            let _ = std::fs::remove_dir_all(&staging);
            Err(e.into())
        }
    }
}

/// Puts `staging` in place of `out`; returns where the previous output now
/// is, for removal.
fn exchange(staging: &Path, out: &Path, old: &Path) -> anyhow::Result<Option<PathBuf>> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, staging, CWD, out, RenameFlags::EXCHANGE) {
            Ok(()) => return Ok(Some(staging.to_path_buf())),
            // Filesystems without RENAME_EXCHANGE: fall back to two renames.
            Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => {}
            Err(e) => {
                return Err(std::io::Error::from(e)).with_context(|| {
                    format!("cannot swap {} into {}", staging.display(), out.display())
                });
            }
        }
    }
    fs::rename(out, old)?;
    if let Err(e) = fs::rename(staging, out) {
        let _ = std::fs::rename(old, out);
        return Err(e);
    }
    Ok(Some(old.to_path_buf()))
}

/// Cleans up after a build that was killed: removes its staging and
/// previous-output folders, first moving a previous output back into place
/// if the kill came between the two renames of the fallback swap.
fn recover(parent: &Path, name: &str, out: &Path) -> anyhow::Result<()> {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Ok(());
    };
    let tmp = format!(".{name}.tmp-");
    let old = format!(".{name}.old-");
    for entry in entries.filter_map(Result::ok) {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        if file_name.starts_with(&old) && !out.exists() {
            fs::rename(&entry.path(), out)?;
        } else if file_name.starts_with(&tmp) || file_name.starts_with(&old) {
            remove_tree(&entry.path())?;
        }
    }
    Ok(())
}

/// Removes a whole output tree, unlinking its files on every core (a large
/// site's previous output holds tens of thousands of files).
fn remove_tree(dir: &Path) -> anyhow::Result<()> {
    use rayon::prelude::*;
    let files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .map(walkdir::DirEntry::into_path)
        .collect();
    files.par_iter().for_each(|f| {
        let _ = std::fs::remove_file(f);
    });
    fs::remove_dir_all(dir)
}

/// Writes one file under `dir`. When the previous output (`previous`) holds
/// the same bytes at the same path, the staging file becomes a hard link to
/// it instead: no data is written, and removing the previous output after
/// the swap frees nothing that is still in use. Rebuilding a large site
/// where little changed then costs reads and links, not writes.
pub fn write_file(
    dir: &Path,
    previous: Option<&Path>,
    path: &str,
    bytes: &[u8],
) -> anyhow::Result<()> {
    let target = dir.join(path);
    if let Some(old) = previous.map(|p| p.join(path))
        && same_bytes(&old, bytes)
    {
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)?;
        }
        if std::fs::hard_link(&old, &target).is_ok() {
            return Ok(());
        }
    }
    fs::write(&target, bytes)
}

/// Puts the file `from` (a cached share card) at `path` under `dir`: a
/// hard link, so no bytes are read or written; a copy when `from` is on
/// another file system (`std::fs::copy`, which clones the data where the
/// file system can).
pub fn link_file(dir: &Path, path: &str, from: &Path) -> anyhow::Result<()> {
    let target = dir.join(path);
    if let Some(parent) = target.parent() {
        fs::create_dir_all(parent)?;
    }
    if std::fs::hard_link(from, &target).is_ok() {
        return Ok(());
    }
    std::fs::copy(from, &target)
        .map(|_| ())
        .with_context(|| format!("cannot copy {} to {}", from.display(), target.display()))
}

/// Whether the file at `path` holds exactly `bytes` (a missing file does not).
fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    use std::io::Read;
    let Ok(mut file) = std::fs::File::open(path) else {
        return false;
    };
    if file
        .metadata()
        .map(|m| m.len() != bytes.len() as u64 || !m.is_file())
        .unwrap_or(true)
    {
        return false;
    }
    let mut existing = Vec::with_capacity(bytes.len());
    file.read_to_end(&mut existing).is_ok() && existing == bytes
}

/// The files of `root/static/`: output path → file. Links are not
/// followed (a link is left out, as is anything that is not a file).
pub fn static_files(root: &Path) -> anyhow::Result<BTreeMap<String, PathBuf>> {
    let from = root.join("static");
    let mut files = BTreeMap::new();
    if !from.is_dir() {
        return Ok(files);
    }
    for entry in walkdir::WalkDir::new(&from).sort_by_file_name() {
        let entry = entry.with_context(|| format!("cannot list {}", from.display()))?;
        if entry.file_type().is_file() {
            files.insert(fs::relative(&from, entry.path()), entry.into_path());
        }
    }
    Ok(files)
}

/// Copies the static files into `dir`.
pub fn copy_static(files: &BTreeMap<String, PathBuf>, dir: &Path) -> anyhow::Result<()> {
    for (rel, from) in files {
        let target = dir.join(rel);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)?;
        }
        std::fs::copy(from, &target)
            .with_context(|| format!("cannot copy {} to {}", from.display(), target.display()))?;
    }
    Ok(())
}
