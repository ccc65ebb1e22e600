//! File-system helpers whose errors always name the path.

use anyhow::{Context, Result};
use std::path::Path;

/// Reads a whole file as bytes.
pub fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}

/// Reads a text file that Verity itself needs (not content): decoded, BOM
/// stripped, CRLF turned into LF.
pub fn read_text(path: &Path) -> Result<String> {
    let bytes = read(path)?;
    decode_text(bytes).map_err(|(line, col)| {
        anyhow::anyhow!(
            "{}:{line}:{col}: the file is not valid UTF-8",
            path.display()
        )
    })
}

/// Decodes UTF-8 as editors save it: a leading byte-order mark is dropped
/// and Windows line endings become `\n` (so lines and columns are the same
/// as the editor shows). Invalid UTF-8 gives the 1-based line and column of
/// the first bad byte.
pub fn decode_text(bytes: Vec<u8>) -> std::result::Result<String, (usize, usize)> {
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let bytes = e.as_bytes();
            let valid = e.utf8_error().valid_up_to();
            let before = String::from_utf8_lossy(&bytes[..valid]);
            let line = before.matches('\n').count() + 1;
            let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            return Err((line, col));
        }
    };
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text
    })
}

/// Writes a file, creating its parent folders.
pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent() {
        create_dir_all(parent)?;
    }
    std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))
}

/// Creates a folder and its parents.
pub fn create_dir_all(path: &Path) -> Result<()> {
    std::fs::create_dir_all(path)
        .with_context(|| format!("cannot create folder {}", path.display()))
}

/// Removes a folder and everything in it; a missing folder is fine.
pub fn remove_dir_all(path: &Path) -> Result<()> {
    match std::fs::remove_dir_all(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(e).with_context(|| format!("cannot remove {}", path.display()))
        }
        _ => Ok(()),
    }
}

/// Renames a file or folder.
pub fn rename(from: &Path, to: &Path) -> Result<()> {
    std::fs::rename(from, to)
        .with_context(|| format!("cannot move {} to {}", from.display(), to.display()))
}

/// The path relative to `root`, with `/` separators, for messages and URLs.
pub fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_and_crlf_are_normalised() {
        let text = decode_text(b"\xef\xbb\xbf---\r\ntitle: x\r\n".to_vec()).unwrap();
        assert_eq!(text, "---\ntitle: x\n");
    }

    #[test]
    fn invalid_utf8_has_a_position() {
        assert_eq!(decode_text(b"ok\nab\xff".to_vec()), Err((2, 3)));
    }
}
