//! The allowlist for raw HTML in bodies (`raw_html: sanitize`, the default),
//! and the sanitiser that applies it: ammonia, which parses as browsers do
//! (html5ever) and writes back only what the allowlist permits.
//!
//! **What is sanitised.** A body's *whole* rendered HTML, not each raw HTML
//! fragment: pulldown-cmark hands raw HTML over in pieces (`<details>` in
//! one event, `</details>` in another, Markdown between), so only the
//! finished HTML has the structure a browser will see. The allowlist
//! therefore also holds exactly the markup Verity writes for Markdown
//! (paragraphs, lists, tables with `text-align`, footnotes, citation marks
//! with their `cite-N-M` anchors, `language-*` classes on code), so that
//! markup passes unchanged. A body without raw HTML, whose Markdown links
//! all satisfy the URL rule below, is not parsed again: sanitising it would
//! change nothing (`markdown::walk` decides).
//!
//! **The allowlist** (see [`TAGS`]): Markdown's own vocabulary; figures and
//! captions; `details`/`summary`; `abbr`, `mark`, `sub`, `sup`, `small`,
//! `time`; `ins`/`del` with `datetime`; tables and their parts;
//! `blockquote` with `cite`; `img` with `alt`, `width`, `height`; `a`.
//! Every element may carry `title` and `lang`.
//!
//! **URLs.** Links (`a href`, in raw HTML and in Markdown alike) may be
//! `http:`, `https:`, `mailto:` or relative to the site; images and `cite`
//! attributes `http:`, `https:` or relative. `data:` URLs are refused
//! everywhere, `data:image/*` in `img` included: an image as a data URL
//! cannot run script, but it bloats every copy of the page and the feed,
//! bypasses the site's own files, and one rule ("no `data:`") is the same
//! as the one Markdown links and images already follow.
//!
//! **Embeds.** `<iframe>` is kept only when its `src` is an `https:` URL on
//! a host listed in `embed_hosts:`. Each kept iframe gets, whatever it
//! said: `sandbox="allow-scripts allow-same-origin allow-presentation
//! allow-popups"` (what video and post players need to play and to open
//! their own site in a new tab; no forms, no top navigation, no modals, no
//! downloads; `allow-same-origin` is safe because the frame is another
//! site, and `site.yaml` refuses the site's own host), `allow="fullscreen;
//! picture-in-picture; encrypted-media"`, `loading="lazy"` and
//! `referrerpolicy="strict-origin-when-cross-origin"` (players refuse to
//! play without knowing the embedding origin; nothing of the path leaks).
//!
//! **Never:** `script`, `style`, `object`, `embed`, `form` and every other
//! element not listed, any `on*` attribute, `srcdoc`, `style` (except the
//! `text-align` Markdown tables write), ids (except the ones Verity writes),
//! classes (likewise), `javascript:`, `vbscript:` and `data:` URLs.
//! Comments are removed silently: they are notes between editors.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

/// Attributes any allowed element may carry.
const GENERIC: &[&str] = &["title", "lang"];

/// Allowed elements and the attributes each may carry besides `title` and
/// `lang`, which every element may carry.
/// `iframe` is added when `embed_hosts` lists a host.
pub const TAGS: &[(&str, &[&str])] = &[
    // Markdown's vocabulary: what Verity writes, and what editors may write
    // by hand in HTML.
    ("p", &[]),
    ("br", &[]),
    ("hr", &[]),
    ("h1", &[]),
    ("h2", &[]),
    ("h3", &[]),
    ("h4", &[]),
    ("h5", &[]),
    ("h6", &[]),
    ("em", &[]),
    ("strong", &[]),
    ("b", &[]),
    ("i", &[]),
    ("s", &[]),
    ("q", &["cite"]),
    ("cite", &[]),
    ("kbd", &[]),
    ("code", &["class"]),
    ("pre", &[]),
    ("ul", &[]),
    ("ol", &["start"]),
    ("li", &[]),
    ("dl", &[]),
    ("dt", &[]),
    ("dd", &[]),
    ("span", &[]),
    // Footnote definitions (`id` is the footnote's label).
    ("div", &["class", "id"]),
    ("a", &["href", "id"]),
    ("img", &["src", "alt", "width", "height"]),
    // Fact-check furniture.
    ("figure", &[]),
    ("figcaption", &[]),
    ("details", &["open"]),
    ("summary", &[]),
    ("abbr", &[]),
    ("mark", &[]),
    ("sub", &[]),
    // Citation marks and footnote references.
    ("sup", &["class"]),
    ("small", &[]),
    ("time", &["datetime"]),
    ("ins", &["datetime", "cite"]),
    ("del", &["datetime", "cite"]),
    ("blockquote", &["cite"]),
    ("table", &[]),
    ("caption", &[]),
    ("colgroup", &["span"]),
    ("col", &["span"]),
    ("thead", &[]),
    ("tbody", &[]),
    ("tfoot", &[]),
    ("tr", &[]),
    ("th", &["colspan", "rowspan", "scope", "style"]),
    ("td", &["colspan", "rowspan", "style"]),
];

/// The attributes of an embedded iframe an editor may set.
const IFRAME: &[&str] = &["src", "width", "height"];

/// The attributes every kept iframe gets, whatever it said.
const IFRAME_FORCED: &[(&str, &str)] = &[
    (
        "sandbox",
        "allow-scripts allow-same-origin allow-presentation allow-popups",
    ),
    ("allow", "fullscreen; picture-in-picture; encrypted-media"),
    ("loading", "lazy"),
    ("referrerpolicy", "strict-origin-when-cross-origin"),
];

/// Elements removed together with everything inside them (the others
/// leave their text behind when they go).
const DROPPED_WITH_CONTENT: &[&str] = &[
    "script", "style", "template", "noscript", "title", "textarea", "xmp", "noembed", "noframes",
];

/// Classes Verity writes (citation marks, footnotes); `code` may also
/// carry one `language-*` class.
const CLASSES: &[(&str, &[&str])] = &[
    (
        "sup",
        &[
            "citation",
            "footnote-reference",
            "footnote-definition-label",
        ],
    ),
    ("div", &["footnote-definition"]),
];

/// Why an attribute does not survive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The element may not carry it at all.
    Attribute,
    /// A URL whose scheme is not allowed there (the scheme, lowercase).
    Scheme(String),
    /// An iframe whose `src` is not an `https:` URL on an embed host.
    Host(String),
    /// The attribute is allowed, but not with this value.
    Value,
}

/// The raw-HTML policy of one site: the allowlist above plus its embed
/// hosts.
#[derive(Debug, Clone, Copy)]
pub struct Policy<'a> {
    /// Hosts whose iframes are kept.
    pub embed_hosts: &'a [String],
}

impl Policy<'_> {
    /// Whether elements named `tag` are kept.
    pub fn allows_tag(&self, tag: &str) -> bool {
        (tag == "iframe" && !self.embed_hosts.is_empty()) || TAGS.iter().any(|(t, _)| *t == tag)
    }

    /// Whether a removed `tag` takes its content with it.
    pub fn drops_content(&self, tag: &str) -> bool {
        DROPPED_WITH_CONTENT.contains(&tag) || (tag == "iframe" && self.embed_hosts.is_empty())
    }

    /// The value `attr` keeps on an allowed `tag` (possibly trimmed, for
    /// classes), or why it goes. The one decision both the sanitiser and
    /// the warnings use.
    pub fn attribute<'v>(
        &self,
        tag: &str,
        attr: &str,
        value: &'v str,
    ) -> Result<Cow<'v, str>, Refusal> {
        if tag == "iframe" {
            if !IFRAME.contains(&attr) && !GENERIC.contains(&attr) {
                return Err(Refusal::Attribute);
            }
        } else {
            let listed = TAGS
                .iter()
                .find(|(t, _)| *t == tag)
                .is_some_and(|(_, attrs)| attrs.contains(&attr));
            if !listed && !GENERIC.contains(&attr) {
                return Err(Refusal::Attribute);
            }
        }
        match (tag, attr) {
            ("iframe", "src") => self.embed_src(value).map(Cow::Borrowed),
            ("a", "href") => url(value, &["http", "https", "mailto"]).map(Cow::Borrowed),
            (_, "src" | "cite") => url(value, &["http", "https"]).map(Cow::Borrowed),
            (_, "class") => classes(tag, value),
            ("a", "id") => cite_anchor(value)
                .then_some(Cow::Borrowed(value))
                .ok_or(Refusal::Value),
            // A footnote's label, as pulldown-cmark writes it (spaces and all).
            (_, "id") => (!value.is_empty())
                .then_some(Cow::Borrowed(value))
                .ok_or(Refusal::Value),
            (_, "style") => text_align(value)
                .then_some(Cow::Borrowed(value))
                .ok_or(Refusal::Value),
            ("ol", "start") | (_, "span" | "colspan" | "rowspan" | "width" | "height") => {
                (!value.is_empty() && value.trim().bytes().all(|b| b.is_ascii_digit()))
                    .then_some(Cow::Borrowed(value))
                    .ok_or(Refusal::Value)
            }
            _ => Ok(Cow::Borrowed(value)),
        }
    }

    fn embed_src<'v>(&self, value: &'v str) -> Result<&'v str, Refusal> {
        let parsed = url::Url::parse(value.trim()).map_err(|_| Refusal::Host(String::new()))?;
        let host = parsed.host_str().unwrap_or_default().to_ascii_lowercase();
        let listed = self.embed_hosts.contains(&host);
        if parsed.scheme() == "https"
            && listed
            && parsed.port().is_none()
            && parsed.username().is_empty()
            && parsed.password().is_none()
        {
            Ok(value)
        } else if parsed.scheme() != "https" {
            Err(Refusal::Scheme(parsed.scheme().to_string()))
        } else {
            Err(Refusal::Host(host))
        }
    }

    /// Sanitises a body's rendered HTML.
    pub fn clean(&self, html: &str) -> String {
        let out = self.builder().clean(html).to_string();
        if self.embed_hosts.is_empty() {
            out
        } else {
            finish_iframes(&out)
        }
    }

    fn builder(&self) -> ammonia::Builder<'static> {
        let mut tags: HashSet<&'static str> = TAGS.iter().map(|(t, _)| *t).collect();
        let mut tag_attributes: HashMap<&'static str, HashSet<&'static str>> = TAGS
            .iter()
            .map(|(t, attrs)| (*t, attrs.iter().copied().collect()))
            .collect();
        let mut dropped: HashSet<&'static str> = DROPPED_WITH_CONTENT.iter().copied().collect();
        if self.embed_hosts.is_empty() {
            dropped.insert("iframe");
        } else {
            tags.insert("iframe");
            tag_attributes.insert("iframe", IFRAME.iter().copied().collect());
        }
        let hosts = self.embed_hosts.to_vec();
        let mut builder = ammonia::Builder::default();
        builder
            .tags(tags)
            .clean_content_tags(dropped)
            .tag_attributes(tag_attributes)
            .tag_attribute_values(HashMap::new())
            .set_tag_attribute_values(HashMap::new())
            .generic_attributes(GENERIC.iter().copied().collect())
            .url_schemes(["http", "https", "mailto"].into_iter().collect())
            .url_relative(ammonia::UrlRelative::PassThrough)
            .link_rel(None)
            .strip_comments(true)
            .attribute_filter(move |tag, attr, value| {
                let policy = Policy {
                    embed_hosts: &hosts,
                };
                policy
                    .attribute(tag, attr, value)
                    .ok()
                    .map(|v| Cow::Owned(v.into_owned()))
            });
        builder
    }
}

/// Whether a Markdown link's destination satisfies the link rule; a body
/// with one that does not is sanitised (which removes the `href`).
pub fn link_allowed(dest: &str) -> Result<(), Refusal> {
    url(dest, &["http", "https", "mailto"]).map(|_| ())
}

/// Whether a Markdown image's source satisfies the image rule.
pub fn image_allowed(dest: &str) -> Result<(), Refusal> {
    url(dest, &["http", "https"]).map(|_| ())
}

/// `value` if it is relative or has one of `schemes`, parsed as browsers
/// do (tabs and newlines ignored, entities already decoded).
fn url<'v>(value: &'v str, schemes: &[&str]) -> Result<&'v str, Refusal> {
    match url::Url::parse(value) {
        Ok(u) if schemes.contains(&u.scheme()) => Ok(value),
        Ok(u) => Err(Refusal::Scheme(u.scheme().to_string())),
        Err(url::ParseError::RelativeUrlWithoutBase) => Ok(value),
        Err(_) => Err(Refusal::Value),
    }
}

/// The allowed classes of `value` on `tag`; none is a refusal.
fn classes<'v>(tag: &str, value: &'v str) -> Result<Cow<'v, str>, Refusal> {
    let allowed = |class: &str| {
        (tag == "code" && class.len() > "language-".len() && class.starts_with("language-"))
            || CLASSES
                .iter()
                .any(|(t, list)| *t == tag && list.contains(&class))
    };
    let kept: Vec<&str> = value
        .split_ascii_whitespace()
        .filter(|c| allowed(c))
        .collect();
    if kept.is_empty() {
        Err(Refusal::Value)
    } else if kept.len() == value.split_ascii_whitespace().count() {
        Ok(Cow::Borrowed(value))
    } else {
        Ok(Cow::Owned(kept.join(" ")))
    }
}

/// `cite-N-M`, the id of a citation mark.
fn cite_anchor(value: &str) -> bool {
    let mut parts = value.split('-');
    parts.next() == Some("cite")
        && parts
            .by_ref()
            .take(2)
            .filter(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
            .count()
            == 2
        && parts.next().is_none()
}

/// `text-align: left|center|right`, as Markdown tables write it.
fn text_align(value: &str) -> bool {
    let squeezed: String = value
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    let squeezed = squeezed.trim_end_matches(';');
    ["text-align:left", "text-align:center", "text-align:right"].contains(&squeezed)
}

/// Removes every `<iframe>` left without a `src` (its `src` was refused),
/// gives the others [`IFRAME_FORCED`] (always in that order, so a build is
/// reproducible), and drops the content of all (browsers never show it).
///
/// ammonia decides attribute by attribute, so it can drop a refused `src`
/// but not the element. This pass reads ammonia's own serialisation, whose
/// shape is fixed: a `<` outside an attribute value always starts a tag
/// (text has `&lt;`), attribute values are always in double quotes (with
/// `&quot;` inside), comments are gone, and the only element with raw text
/// that can remain is `iframe`.
fn finish_iframes(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        rest = &rest[lt..];
        let end = tag_end(rest);
        let tag = &rest[..end];
        rest = &rest[end..];
        if !tag.starts_with("<iframe") || !tag[7..].starts_with([' ', '>', '/']) {
            out.push_str(tag);
            continue;
        }
        // Skip the iframe's raw text up to its end tag.
        let close = rest.find("</iframe>").map_or(rest.len(), |i| i + 9);
        rest = &rest[close..];
        if has_attribute(tag, "src") {
            out.push_str(tag.trim_end_matches('>').trim_end_matches('/').trim_end());
            for (name, value) in IFRAME_FORCED {
                out.push_str(&format!(" {name}=\"{value}\""));
            }
            out.push_str("></iframe>");
        }
    }
    out.push_str(rest);
    out
}

/// The length of the tag at the start of `s` (up to and with its `>`),
/// skipping `>` inside double-quoted attribute values.
fn tag_end(s: &str) -> usize {
    let mut quoted = false;
    for (i, c) in s.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '>' if !quoted => return i + 1,
            _ => {}
        }
    }
    s.len()
}

/// Whether a serialised start tag has attribute `name`.
fn has_attribute(tag: &str, name: &str) -> bool {
    let mut quoted = false;
    let mut at_name = false;
    let bytes = tag.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b' ' if !quoted => at_name = true,
            _ if at_name => {
                at_name = false;
                let rest = &tag[i..];
                if rest.starts_with(name) && rest[name.len()..].starts_with(['=', ' ', '>', '/']) {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(hosts: &[String]) -> Policy<'_> {
        Policy { embed_hosts: hosts }
    }

    #[test]
    fn verity_markup_survives_unchanged() {
        let html = "<p>A<sup class=\"citation\">[<a href=\"#ref-1\" id=\"cite-1-1\">1, p. 4</a>]</sup></p>\n\
            <table><thead><tr><th style=\"text-align: left\">x</th></tr></thead><tbody>\n<tr><td style=\"text-align: right\">1</td></tr>\n</tbody></table>\n\
            <pre><code class=\"language-rust\">x</code></pre>\n\
            <ol start=\"3\">\n<li><a href=\"/desk/briefs/x/\" title=\"T\">x</a></li>\n</ol>\n\
            <div class=\"footnote-definition\" id=\"n\"><sup class=\"footnote-definition-label\">1</sup>\n<p>note<sup class=\"footnote-reference\"><a href=\"#n\">1</a></sup></p>\n</div>\n";
        assert_eq!(policy(&[]).clean(html), html);
    }

    #[test]
    fn iframes_from_other_hosts_vanish_with_their_content() {
        let hosts = vec!["player.example".to_string()];
        let out = policy(&hosts).clean(
            "<iframe src=\"https://evil.example/x\">a</iframe><p title=\"<iframe src=x>\">t</p>\
             <iframe src=\"https://player.example/v\">fallback</iframe>",
        );
        assert_eq!(
            out,
            "<p title=\"&lt;iframe src=x&gt;\">t</p><iframe src=\"https://player.example/v\" \
             sandbox=\"allow-scripts allow-same-origin allow-presentation allow-popups\" \
             allow=\"fullscreen; picture-in-picture; encrypted-media\" loading=\"lazy\" \
             referrerpolicy=\"strict-origin-when-cross-origin\"></iframe>"
        );
    }

    #[test]
    fn citation_anchor_ids_only() {
        assert!(cite_anchor("cite-1-12"));
        assert!(!cite_anchor("cite-1"));
        assert!(!cite_anchor("cite-1-2-3"));
        assert!(!cite_anchor("cite-a-2"));
        assert!(!cite_anchor("search-input"));
    }
}
