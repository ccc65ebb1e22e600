//! Markdown bodies → HTML, with citations and cross-links resolved.
//!
//! pulldown-cmark does the Markdown (CommonMark with tables, footnotes,
//! strikethrough, smart punctuation and `[[wiki links]]`); this module walks
//! its events and rewrites three things: citation groups in text, wiki-link
//! targets, and relative links to other briefs' `.md` files. It needs to
//! know which targets exist ([`LinkTargets`]) but nothing of templates.

pub mod citations;
pub mod crosslinks;
#[cfg(test)]
mod raw_html_tests;
pub mod removed;
pub mod sanitize;
pub mod text;

use crate::config::{RawHtml, RawHtmlMode};
use crate::diagnostics::Diagnostic;
use citations::Piece;
use crosslinks::Target;
use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};
use pulldown_cmark_escape::escape_html;

/// A link target that exists: where it is and what to call it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// URL path under the site (with the base path).
    pub url: String,
    /// Default link text: the brief's title, the source's title …
    pub title: String,
}

/// What the body may link to; implemented by the resolved site.
pub trait LinkTargets: Sync {
    /// Looks a cross-link target up; `Err` carries a "did you mean" hint.
    fn target(&self, target: Target<'_>) -> Result<Resolved, Option<String>>;
    /// Looks a brief up by its file (relative to the site root).
    fn brief_file(&self, path: &str) -> Result<Resolved, Option<String>>;
    /// Whether any source of the site has this id (for hints).
    fn source_exists(&self, id: &str) -> bool;
}

/// The Markdown to render and where it comes from.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// The body.
    pub body: &'a str,
    /// Its file, relative to the site root.
    pub file: &'a str,
    /// The file line of the body's first line.
    pub first_line: usize,
    /// The source ids the body may cite; `None` where citations are not
    /// allowed (free pages).
    pub declared: Option<&'a [&'a str]>,
    /// What to do with raw HTML (site settings `raw_html`, `embed_hosts`).
    pub raw_html: &'a RawHtml,
}

/// One cited source: its number and every place that cites it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cited {
    /// The source id.
    pub id: String,
    /// 1-based number, in order of first citation.
    pub number: usize,
    /// The id of each citation mark, in order.
    pub anchors: Vec<String>,
    /// The distinct locators used, in order.
    pub locators: Vec<String>,
}

/// A rendered body.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The HTML.
    pub html: String,
    /// The cited sources in number order.
    pub cited: Vec<Cited>,
    /// Unknown targets, bad citations …
    pub diagnostics: Vec<Diagnostic>,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_WIKILINKS
}

/// Renders a body: its HTML, what it cites and links, and its problems.
pub fn render(input: Input<'_>, targets: &dyn LinkTargets) -> Rendered {
    let mut walker = Walker {
        input,
        targets,
        out: Vec::new(),
        rendered: Rendered::default(),
        text: String::new(),
        text_start: None,
        cursor: 0,
        line_starts: None,
        raw_run: Vec::new(),
        sanitize: false,
    };
    let mut link_ends: Vec<bool> = Vec::new();
    let mut skip_text = false;
    let mut code = 0usize;
    let mut image = 0usize;
    for (event, range) in Parser::new_ext(input.body, options()).into_offset_iter() {
        if !matches!(event, Event::Html(_) | Event::InlineHtml(_)) {
            walker.finish_raw_run();
        }
        if let Event::Text(text) = &event
            && code == 0
            && image == 0
        {
            if !skip_text {
                walker.text_start.get_or_insert(range.start);
                walker.text.push_str(text);
            }
            continue;
        }
        walker.flush_text(!link_ends.is_empty());
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                code += 1;
                walker.out.push(Event::Start(Tag::CodeBlock(kind)));
            }
            Event::End(TagEnd::CodeBlock) => {
                code = code.saturating_sub(1);
                walker.out.push(Event::End(TagEnd::CodeBlock));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                image += 1;
                let dest_url = walker.checked_url(dest_url, range.start);
                walker.check_link_rule(&dest_url, true, range.start);
                walker.out.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::End(TagEnd::Image) => {
                image = image.saturating_sub(1);
                walker.out.push(Event::End(TagEnd::Image));
            }
            Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { has_pothole },
                dest_url,
                title,
                id,
            }) => match walker.wiki_link(&dest_url, range.start) {
                Some(resolved) => {
                    let text = resolved.title.clone();
                    walker.out.push(Event::Start(Tag::Link {
                        link_type: LinkType::Inline,
                        dest_url: resolved.url.into(),
                        title,
                        id,
                    }));
                    if !has_pothole {
                        walker.out.push(Event::Text(text.into()));
                        skip_text = true;
                    }
                    link_ends.push(true);
                }
                None => {
                    walker.out.push(Event::Text(CowStr::from(
                        input.body[range.clone()].to_string(),
                    )));
                    skip_text = true;
                    link_ends.push(false);
                }
            },
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = walker.markdown_link(dest_url, range.start);
                if !matches!(link_type, LinkType::Email) {
                    walker.check_link_rule(&dest_url, false, range.start);
                }
                walker.out.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
                link_ends.push(true);
            }
            Event::End(TagEnd::Link) => {
                skip_text = false;
                if link_ends.pop().unwrap_or(true) {
                    walker.out.push(Event::End(TagEnd::Link));
                }
            }
            Event::Html(_) | Event::InlineHtml(_) if input.raw_html.mode == RawHtmlMode::Omit => {
                walker
                    .out
                    .push(Event::InlineHtml(CowStr::from("<!-- raw HTML omitted -->")));
            }
            raw @ (Event::Html(_) | Event::InlineHtml(_))
                if input.raw_html.mode == RawHtmlMode::Sanitize =>
            {
                walker.sanitize = true;
                walker.raw_run.push(removed::Piece {
                    text: &input.body[range.clone()],
                    offset: range.start,
                });
                walker.out.push(raw);
            }
            other => {
                if !skip_text {
                    walker.out.push(other);
                }
            }
        }
    }
    walker.flush_text(false);
    walker.finish_raw_run();
    let mut html = String::with_capacity(input.body.len() * 3 / 2);
    let policy = walker.policy();
    pulldown_cmark::html::push_html(&mut html, walker.out.into_iter());
    if walker.sanitize {
        html = policy.clean(&html);
    }
    walker.rendered.html = html;
    walker.rendered
}

/// The scheme of a URL that would run script in a browser (`javascript:`,
/// `vbscript:`, `data:`), however it is cased or padded with the whitespace
/// and control characters that browsers skip. Entities are already decoded
/// by the Markdown parser.
pub fn script_scheme(url: &str) -> Option<&'static str> {
    let squeezed: String = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .take(12)
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript", "vbscript", "data"]
        .into_iter()
        .find(|s| squeezed.starts_with(s) && squeezed[s.len()..].starts_with(':'))
}

struct Walker<'a, 't> {
    input: Input<'a>,
    targets: &'t dyn LinkTargets,
    out: Vec<Event<'a>>,
    rendered: Rendered,
    /// Text gathered from consecutive text events.
    text: String,
    /// Body offset of the gathered text.
    text_start: Option<usize>,
    /// Where to look next in the body for a citation's position.
    cursor: usize,
    line_starts: Option<Vec<usize>>,
    /// Consecutive raw HTML events not yet scanned for removals.
    raw_run: Vec<removed::Piece<'a>>,
    /// Whether the rendered HTML must go through the sanitiser: it holds
    /// raw HTML, or a Markdown link the link rule refuses.
    sanitize: bool,
}

impl<'b> Walker<'b, '_> {
    fn position(&mut self, offset: usize) -> (usize, usize) {
        let body = self.input.body;
        let starts = self.line_starts.get_or_insert_with(|| {
            std::iter::once(0)
                .chain(body.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        let index = starts.partition_point(|&s| s <= offset).saturating_sub(1);
        let start = starts[index];
        let col = body.get(start..offset).map_or(0, |s| s.chars().count()) + 1;
        (self.input.first_line + index, col)
    }

    fn policy(&self) -> sanitize::Policy<'b> {
        sanitize::Policy {
            embed_hosts: &self.input.raw_html.embed_hosts,
        }
    }

    /// Warns, one line at a time, about what sanitising removes from the
    /// raw HTML gathered so far.
    fn finish_raw_run(&mut self) {
        if self.raw_run.is_empty() {
            return;
        }
        let run = std::mem::take(&mut self.raw_run);
        let mut removals = removed::scan(&run, self.policy()).into_iter().peekable();
        while let Some(first) = removals.next() {
            let (line, col) = self.position(first.offset);
            let mut what = vec![first.what];
            while let Some(next) = removals.next_if(|r| self.position(r.offset).0 == line) {
                what.push(next.what);
            }
            self.rendered.diagnostics.push(
                Diagnostic::warning(
                    self.input.file,
                    line,
                    col,
                    format!("raw HTML removed: {}", what.join(", ")),
                )
                .with_help(
                    "`raw_html: sanitize` keeps only the allowlist of the README's security section",
                ),
            );
        }
    }

    /// In `raw_html: sanitize`, a Markdown link or image must follow the
    /// same URL rule as raw HTML; one that does not loses its address.
    fn check_link_rule(&mut self, dest: &str, image: bool, offset: usize) {
        if self.input.raw_html.mode != RawHtmlMode::Sanitize {
            return;
        }
        let verdict = if image {
            sanitize::image_allowed(dest)
        } else {
            sanitize::link_allowed(dest)
        };
        let Err(refusal) = verdict else {
            return;
        };
        self.sanitize = true;
        let (what, allowed) = if image {
            ("an image", "http:, https: or a path of the site")
        } else {
            ("a link", "http:, https:, mailto: or a page of the site")
        };
        let why = match refusal {
            sanitize::Refusal::Scheme(scheme) => format!("a `{scheme}:` URL"),
            _ => "an address that is not a valid URL".to_string(),
        };
        let (line, col) = self.position(offset);
        self.rendered.diagnostics.push(
            Diagnostic::warning(
                self.input.file,
                line,
                col,
                format!("{what} to {why} loses its address"),
            )
            .with_help(format!("{what} may point to {allowed}")),
        );
    }

    fn error(&mut self, offset: usize, message: String, help: Option<String>) {
        let (line, col) = self.position(offset);
        self.rendered
            .diagnostics
            .push(Diagnostic::error(self.input.file, line, col, message).with_optional_help(help));
    }

    /// The body offset of `needle`, searched from the last citation found.
    fn locate(&mut self, needle: &str, fallback: usize) -> usize {
        let from = self.cursor.max(fallback).min(self.input.body.len());
        match self.input.body[from..].find(needle) {
            Some(i) => {
                self.cursor = from + i + needle.len();
                from + i
            }
            None => fallback,
        }
    }

    fn flush_text(&mut self, in_link: bool) {
        let Some(start) = self.text_start.take() else {
            return;
        };
        let text = std::mem::take(&mut self.text);
        if text.contains("[[") {
            // pulldown-cmark turns every closed `[[…]]` into a link, so
            // brackets left in text are a cross-link never closed.
            let offset = self.locate("[[", start);
            self.error(
                offset,
                "a cross-link `[[` is never closed with `]]`".to_string(),
                Some("write `[[slug]]` or `[[slug|text]]` on one line".to_string()),
            );
        }
        if !text.contains("[@") {
            self.out.push(Event::Text(text.into()));
            return;
        }
        for piece in citations::scan(&text) {
            match piece {
                Piece::Text(t) => self.out.push(Event::Text(t.to_string().into())),
                Piece::Malformed { at, raw, reason } => {
                    let offset = self.locate(raw, start);
                    let _ = at;
                    self.error(offset, format!("malformed citation: {reason}"), None);
                    self.out.push(Event::Text(raw.to_string().into()));
                }
                Piece::Group { cites, .. } => {
                    let needle = format!("[@{}", cites[0].id);
                    let offset = self.locate(&needle, start);
                    if in_link {
                        self.error(
                            offset,
                            "a citation cannot sit inside the text of a link".to_string(),
                            Some("move the citation after the link".to_string()),
                        );
                        continue;
                    }
                    let html = self.citation_group(&cites, offset);
                    self.out.push(Event::InlineHtml(html.into()));
                }
            }
        }
    }

    fn citation_group(&mut self, cites: &[citations::Cite<'_>], offset: usize) -> String {
        let mut html = String::from("<sup class=\"citation\">[");
        for (i, cite) in cites.iter().enumerate() {
            if !self.check_cite(cite.id, offset) {
                continue;
            }
            let cited = &mut self.rendered.cited;
            let index = match cited.iter().position(|c| c.id == cite.id) {
                Some(i) => i,
                None => {
                    cited.push(Cited {
                        id: cite.id.to_string(),
                        number: cited.len() + 1,
                        anchors: Vec::new(),
                        locators: Vec::new(),
                    });
                    cited.len() - 1
                }
            };
            let entry = &mut cited[index];
            let anchor = format!("cite-{}-{}", entry.number, entry.anchors.len() + 1);
            if i > 0 {
                html.push_str("; ");
            }
            html.push_str(&format!(
                "<a href=\"#ref-{}\" id=\"{}\">{}",
                entry.number, anchor, entry.number
            ));
            if let Some(locator) = cite.locator {
                html.push_str(", ");
                let _ = escape_html(&mut html, locator);
                if !entry.locators.iter().any(|l| l == locator) {
                    entry.locators.push(locator.to_string());
                }
            }
            html.push_str("</a>");
            entry.anchors.push(anchor);
        }
        html.push_str("]</sup>");
        html
    }

    /// Whether `id` may be cited here; records the error otherwise.
    fn check_cite(&mut self, id: &str, offset: usize) -> bool {
        let Some(declared) = self.input.declared else {
            self.error(
                offset,
                format!("free pages cannot cite sources (`[@{id}]`)"),
                Some(
                    "cite sources in briefs; link to a source page with `[[source:id]]`"
                        .to_string(),
                ),
            );
            return false;
        };
        if declared.contains(&id) {
            return true;
        }
        let help = if self.targets.source_exists(id) {
            Some(format!("add `{id}` to the brief's `sources` list"))
        } else {
            crate::diagnostics::suggest(id, declared.iter().copied())
        };
        self.error(
            offset,
            format!("`[@{id}]` cites a source this brief does not declare in `sources`"),
            help,
        );
        false
    }

    fn wiki_link(&mut self, dest: &str, offset: usize) -> Option<Resolved> {
        let target = match crosslinks::parse_target(dest) {
            Ok(t) => t,
            Err(message) => {
                self.error(offset, message, None);
                return None;
            }
        };
        match self.targets.target(target) {
            Ok(resolved) => {
                if let Target::Brief(_) = target {}
                Some(resolved)
            }
            Err(help) => {
                self.error(
                    offset,
                    format!(
                        "cross-link to an unknown {} `{}`",
                        target.kind(),
                        target.name()
                    ),
                    help,
                );
                None
            }
        }
    }

    /// `dest`, or `#` with an error when its scheme can run script.
    fn checked_url<'a>(&mut self, dest: CowStr<'a>, offset: usize) -> CowStr<'a> {
        match script_scheme(&dest) {
            Some(scheme) => {
                self.error(
                    offset,
                    format!("a link to a `{scheme}:` URL is not allowed"),
                    Some("link to http:, https:, mailto: or a page of the site".to_string()),
                );
                CowStr::from("#")
            }
            None => dest,
        }
    }

    fn markdown_link<'a>(&mut self, dest: CowStr<'a>, offset: usize) -> CowStr<'a> {
        let dest = self.checked_url(dest, offset);
        let Some((path, fragment)) = crosslinks::relative_markdown(self.input.file, &dest) else {
            return dest;
        };
        match self.targets.brief_file(&path) {
            Ok(resolved) => {
                let mut url = resolved.url;
                if let Some(f) = fragment {
                    url.push('#');
                    url.push_str(f);
                }
                url.into()
            }
            Err(help) => {
                self.error(
                    offset,
                    format!("link to `{dest}`: no brief at {path}"),
                    help,
                );
                dest
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Targets where `a`, `b` and `c` exist as everything.
    struct Stub;
    impl LinkTargets for Stub {
        fn target(&self, target: Target<'_>) -> Result<Resolved, Option<String>> {
            match target.name() {
                "a" | "b" | "c" => Ok(Resolved {
                    url: format!("/{}/{}/", target.kind(), target.name()),
                    title: format!("T<{}>", target.name()),
                }),
                _ => Err(None),
            }
        }
        fn brief_file(&self, _: &str) -> Result<Resolved, Option<String>> {
            Err(None)
        }
        fn source_exists(&self, id: &str) -> bool {
            id == "z"
        }
    }

    /// Whether every element opened in `html` is closed, in order.
    fn balanced(html: &str) -> bool {
        const VOID: &[&str] = &["br", "hr", "img", "input", "meta", "link"];
        let mut stack: Vec<String> = Vec::new();
        let mut rest = html;
        while let Some(i) = rest.find('<') {
            rest = &rest[i + 1..];
            if rest.starts_with("!--") {
                match rest.find("-->") {
                    Some(j) => rest = &rest[j + 3..],
                    None => return false,
                }
                continue;
            }
            let end = rest.find('>').unwrap_or(rest.len());
            let tag = &rest[..end];
            let closing = tag.starts_with('/');
            let name: String = tag
                .trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            if closing {
                if stack.pop().as_deref() != Some(name.as_str()) {
                    return false;
                }
            } else if !VOID.contains(&name.as_str()) && !tag.ends_with('/') {
                stack.push(name);
            }
            rest = &rest[end.min(rest.len())..];
        }
        stack.is_empty()
    }

    fn markdown_piece() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-z ]{0,12}",
            Just("[@a]".to_string()),
            Just("[@a; @b, p. 4]".to_string()),
            Just("[@zz]".to_string()),
            Just("[@".to_string()),
            Just("[[a]]".to_string()),
            Just("[[b|text]]".to_string()),
            Just("[[tag:c]]".to_string()),
            Just("[[nope".to_string()),
            Just("`[@a]`".to_string()),
            Just("\n\n".to_string()),
            Just("\n- ".to_string()),
            Just("\n> ".to_string()),
            Just("\n# ".to_string()),
            Just("*".to_string()),
            Just("[^1]\n\n[^1]: note [@b]\n".to_string()),
            Just("\n| x | [@c] |\n|---|---|\n| 1 | 2 |\n".to_string()),
            Just("[link](https://x.org)".to_string()),
            Just("]".to_string()),
            Just(";".to_string()),
            Just("@".to_string()),
            "[\\[\\]@;,|:a-z\n ]{0,20}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        #[test]
        fn any_body_renders_to_balanced_html_without_panicking(parts in proptest::collection::vec(markdown_piece(), 0..40)) {
            let body = parts.concat();
            let declared = ["a", "b", "c"];
            let input = Input { body: &body, file: "f.md", first_line: 1, declared: Some(&declared), raw_html: &RawHtml::default() };
            let out = render(input, &Stub);
            prop_assert!(balanced(&out.html), "unbalanced:\n{}\nfrom:\n{:?}", out.html, body);
            // Every mark has its reference and numbers are 1..n in order.
            for (k, cited) in out.cited.iter().enumerate() {
                prop_assert_eq!(cited.number, k + 1);
                for anchor in &cited.anchors {
                    let needle = format!("id=\"{}\"", anchor);
                    prop_assert!(out.html.contains(&needle));
                }
            }
        }

        #[test]
        fn the_citation_scanner_never_panics_and_keeps_all_text(text in "\\PC{0,200}") {
            let pieces = citations::scan(&text);
            let total: usize = pieces.iter().map(|p| match p {
                citations::Piece::Text(t) => t.len(),
                citations::Piece::Malformed { raw, .. } => raw.len(),
                citations::Piece::Group { .. } => 0,
            }).sum();
            prop_assert!(total <= text.len());
        }
    }

    #[test]
    fn script_schemes_in_any_disguise() {
        for url in [
            "javascript:alert(1)",
            " JaVaScRiPt:x",
            "java\tscript:x",
            "java\nscript:x",
            "\u{1}javascript:x",
            "VBSCRIPT:x",
            "data:text/html,x",
        ] {
            assert!(script_scheme(url).is_some(), "{url:?}");
        }
        for url in [
            "https://x.org/javascript:",
            "/page/",
            "mailto:a@b.c",
            "#data:",
            "datastore.html",
        ] {
            assert_eq!(script_scheme(url), None, "{url:?}");
        }
    }
}
