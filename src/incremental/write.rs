//! WRITE for `watch`: an in-memory output onto the output folder.
//!
//! The first build replaces the folder atomically (staging folder, then
//! swap: [`crate::output::write_atomically`]). Later rebuilds have already
//! succeeded in memory when they get here, so they update the folder in
//! place, file by file: each changed file is written beside its target and
//! renamed over it (a reader never sees half a file), removed files are
//! deleted with the folders they leave empty. A failed rebuild never gets
//! here, so the folder keeps the last good site.

use super::Output;
use crate::fs;
use std::path::Path;

/// Replaces `out` with `output`, atomically.
pub fn write_all(out: &Path, output: &Output) -> crate::Result<()> {
    crate::output::write_atomically(out, |dir: &Path| {
        for (path, bytes) in output {
            fs::write(&dir.join(path), bytes)?;
        }
        Ok(())
    })
}

/// Writes the `changed` files of `output` into `out` and deletes `removed`.
pub fn update(
    out: &Path,
    output: &Output,
    changed: &[String],
    removed: &[String],
) -> anyhow::Result<()> {
    let pid = std::process::id();
    for path in changed {
        let Some(bytes) = output.get(path) else {
            continue;
        };
        let target = out.join(path);
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temp = target.with_file_name(format!(".{name}.tmp-{pid}"));
        fs::write(&temp, bytes)?;
        if let Err(e) = fs::rename(&temp, &target) {
            let _ = std::fs::remove_file(&temp);
            return Err(e);
        }
    }
    for path in removed {
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
    }
    Ok(())
}
