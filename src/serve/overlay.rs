//! What `serve` adds to served HTML: the live-reload script, and while the
//! last rebuild failed, an overlay listing its diagnostics over the last
//! good page. Never part of what `build` writes.

use crate::diagnostics::Diagnostics;
use std::fmt::Write as _;

const SCRIPT: &str = include_str!("livereload.js");

/// The element id of the error overlay (tests and users can find it).
pub const OVERLAY_ID: &str = "verity-error-overlay";

/// The script without its comment lines.
fn script() -> String {
    SCRIPT
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("")
}

/// The HTML inserted before `</body>` of a page served at build `build`.
pub fn injection(build: u64, errors: Option<&str>) -> String {
    let mut out = String::new();
    if let Some(errors) = errors {
        out.push_str(errors);
    }
    let _ = write!(
        out,
        "<script data-verity-livereload>{}</script>",
        script().replace("__VERITY_BUILD__", &build.to_string())
    );
    out
}

/// The overlay for a failed rebuild: every diagnostic as `verity check`
/// prints it (file:line:col, message, help), escaped.
pub fn overlay(diagnostics: &Diagnostics) -> String {
    overlay_text(&diagnostics.human())
}

/// The overlay showing `text` (plain text, escaped here).
pub fn overlay_text(text: &str) -> String {
    format!(
        concat!(
            "<div id=\"{id}\" role=\"alert\" style=\"position:fixed;inset:0;z-index:2147483647;",
            "overflow:auto;margin:0;padding:2rem;background:rgba(40,0,0,.94);color:#fff;",
            "font:15px/1.5 ui-monospace,monospace;text-align:left\">",
            "<p style=\"margin:0 0 1rem;font-weight:bold\">The last save broke the site; ",
            "this is the last good version. Fix the problems below and save again.</p>",
            "<pre style=\"margin:0;white-space:pre-wrap;color:#ffd7d7\">{text}</pre></div>"
        ),
        id = OVERLAY_ID,
        text = escape(text)
    )
}

/// Escapes text for HTML content and attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `html` with `insert` placed before its last `</body>` (or at the end).
pub fn inject(html: &[u8], insert: &str) -> Vec<u8> {
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + insert.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(insert.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injects_before_the_last_body_end() {
        let html = b"<html><body><p>x</p></BODY></html>";
        assert_eq!(
            String::from_utf8(inject(html, "<s>")).unwrap(),
            "<html><body><p>x</p><s></BODY></html>"
        );
        assert_eq!(inject(b"<p>", "<s>"), b"<p><s>");
    }

    #[test]
    fn overlay_text_is_escaped() {
        let o = overlay_text("a.md:1:2: error: `<script>` & \"x\"");
        assert!(o.contains("`&lt;script&gt;` &amp; &quot;x&quot;"));
        assert!(!o.contains("<script>"));
    }
}
