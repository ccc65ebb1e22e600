//! `_headers`: the HTTP response headers of a published site, in the file
//! format Netlify and Cloudflare Pages read from the root of the published
//! folder (other hosts ignore the file; `docs/publishing.md` says how to set
//! the same headers there).
//!
//! Each rule is a path pattern on its own line, then indented
//! `Name: value` lines. A request gets the headers of every rule whose
//! pattern matches, and both hosts join the values of a header set by two
//! matching rules, so here each header comes from one rule only: the
//! security headers from `/*`, `Cache-Control` from the rules for the
//! theme's assets and the search index (no two of which match one path).
//!
//! Decisions:
//! - **The policy** allows what the built-in theme does and nothing more:
//!   everything from the site's own origin, no plugins, forms
//!   posting only to the site. The theme has no inline script (the JSON-LD
//!   `<script type="application/ld+json">` is data, which a policy does not
//!   govern) and no `<style>` element, but it does colour verdicts through
//!   `style="--verdict: …"` attributes, as Markdown tables align columns
//!   with `style="text-align: …"`: `style-src-attr 'unsafe-inline'` allows
//!   those attributes, and only them. A browser without CSP level 3 falls
//!   back to `default-src 'self'`, and the pages lose only those colours.
//!   Framing by other sites is refused on every page but the embed pages
//!   (see [`file()`]).
//!   The players of `embed_hosts` (the only iframes the sanitiser keeps)
//!   are allowed as frames, from those hosts over https only. Images,
//!   fonts and scripts from other hosts are blocked, and so is inline
//!   script that `raw_html: trusted` lets through: a desk that needs them
//!   sets `headers: false` and writes its own policy.
//! - **Caching.** The stylesheet and the search script keep their names
//!   from build to build, so browsers may use them for an hour and then
//!   ask again. The search index's chunks are fetched with the build's hash
//!   in the query (`t/0.json?v=…`), so a browser may keep them for good;
//!   the manifest that names the hash (`search/index.json`) is revalidated
//!   on every use. Pages get the host's default (revalidated).
//! - Paths are those of the published folder served at the root of the
//!   host, as these two hosts serve it, whatever the sub-path of `base_url`.
//! - A site's own `static/_headers` replaces this file, as
//!   `static/verity.css` replaces the theme's stylesheet.

use crate::config::SiteConfig;

/// The file's name, at the root of the output.
pub const FILE: &str = "_headers";

/// The Content-Security-Policy the built-in theme satisfies, for a site
/// without `embed_hosts`. It says nothing of framing: see [`file()`].
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; object-src 'none'; \
     base-uri 'self'; form-action 'self'; style-src-attr 'unsafe-inline'";

/// The policy for `config`'s site: [`CONTENT_SECURITY_POLICY`], plus
/// `frame-src` for the hosts of `embed_hosts`.
pub fn content_security_policy(config: &SiteConfig) -> String {
    let hosts = &config.raw_html.embed_hosts;
    if hosts.is_empty() {
        return CONTENT_SECURITY_POLICY.to_string();
    }
    let frames: Vec<String> = hosts.iter().map(|h| format!("https://{h}")).collect();
    format!("{CONTENT_SECURITY_POLICY}; frame-src {}", frames.join(" "))
}

/// The path patterns of every page that no other site may frame: each
/// page of the site is at `/`, one folder or two folders deep
/// (`/sources/`, `/briefs/<slug>/`, `/page/2/` …), or is the 404 page. A
/// brief's embed page (`/briefs/<slug>/embed/`, three deep) matches none
/// of them, so other sites can frame it. A `:name` segment matches one
/// whole segment, on both hosts.
pub const UNFRAMED: &[&str] = &["/", "/:section/", "/:section/:item/", "/404.html"];

/// The `_headers` file for `config`'s site; `None` when `headers: false`.
///
/// Framing is refused page by page with `X-Frame-Options: DENY` rather
/// than by `frame-ancestors` in the policy: a host sends every header of
/// every rule that matches, and joins two values of one header, so the
/// policy of `/*` could not be loosened for the embed pages; a second
/// policy would only add restrictions. The embed pages, matched by no
/// rule of [`UNFRAMED`], are the only pages other sites may frame.
pub fn file(config: &SiteConfig) -> Option<String> {
    if !config.headers {
        return None;
    }
    let policy = content_security_policy(config);
    let every_file = [
        ("Content-Security-Policy", policy.as_str()),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
        (
            "Permissions-Policy",
            "camera=(), microphone=(), geolocation=()",
        ),
    ];
    let mut rules: Vec<(&str, &[(&str, &str)])> = vec![("/*", &every_file)];
    rules.extend(
        UNFRAMED
            .iter()
            .map(|p| (*p, &[("X-Frame-Options", "DENY")] as &[(&str, &str)])),
    );
    rules.extend([
        (
            "/verity.css",
            &[("Cache-Control", "public, max-age=3600")] as &[_],
        ),
        (
            "/search/search.js",
            &[("Cache-Control", "public, max-age=3600")],
        ),
        ("/search/index.json", &[("Cache-Control", "no-cache")]),
        (
            "/search/t/*",
            &[("Cache-Control", "public, max-age=31536000, immutable")],
        ),
        (
            "/search/m/*",
            &[("Cache-Control", "public, max-age=31536000, immutable")],
        ),
    ]);
    let mut out = String::from(
        "# Response headers for Netlify and Cloudflare Pages, written by `verity build`.\n\
         # Set `headers: false` in site.yaml to stop writing it, or put your own in static/_headers.\n",
    );
    for (path, headers) in rules {
        out.push('\n');
        out.push_str(path);
        out.push('\n');
        for (name, value) in headers {
            out.push_str(&format!("  {name}: {value}\n"));
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_unless_the_site_says_no() {
        let mut config = SiteConfig::default_for("https://example.org/desk");
        let text = file(&config).unwrap();
        assert!(text.contains(&format!(
            "/*\n  Content-Security-Policy: {CONTENT_SECURITY_POLICY}\n"
        )));
        config.headers = false;
        assert_eq!(file(&config), None);
    }

    #[test]
    fn embedded_players_may_be_framed_from_their_hosts_only() {
        let mut config = SiteConfig::default_for("https://example.org");
        config.raw_html.embed_hosts =
            vec!["www.youtube-nocookie.com".into(), "player.example".into()];
        let policy = content_security_policy(&config);
        assert!(policy.starts_with(CONTENT_SECURITY_POLICY));
        assert!(
            policy.ends_with("; frame-src https://www.youtube-nocookie.com https://player.example")
        );
        assert!(file(&config).unwrap().contains(&policy));
    }
}
