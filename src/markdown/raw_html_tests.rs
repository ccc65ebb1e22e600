//! Raw HTML in bodies, rendered through [`super::render`] and read back with
//! a real HTML parser (scraper): one case per allowlist class, one per
//! forbidden class, the usual XSS cheat-sheet classes, embeds, each
//! `raw_html` mode, and the warnings.

use super::crosslinks::Target;
use super::*;
use crate::config::{RawHtml, RawHtmlMode};
use crate::diagnostics::Severity;
use scraper::{Html, Selector};

struct Targets;
impl LinkTargets for Targets {
    fn target(&self, target: Target<'_>) -> Result<Resolved, Option<String>> {
        Ok(Resolved {
            url: format!("/desk/{}/{}/", target.kind(), target.name()),
            title: format!("T {}", target.name()),
        })
    }
    fn brief_file(&self, _: &str) -> Result<Resolved, Option<String>> {
        Err(None)
    }
    fn source_exists(&self, _: &str) -> bool {
        true
    }
}

fn settings(mode: RawHtmlMode, hosts: &[&str]) -> RawHtml {
    RawHtml {
        mode,
        embed_hosts: hosts.iter().map(|h| h.to_string()).collect(),
    }
}

fn render_with(body: &str, raw_html: &RawHtml) -> (Html, Rendered) {
    let declared = ["src"];
    let rendered = render(
        Input {
            body,
            file: "b.md",
            first_line: 10,
            declared: Some(&declared),
            raw_html,
        },
        &Targets,
    );
    (Html::parse_fragment(&rendered.html), rendered)
}

/// The default mode, no embed hosts.
fn sanitized(body: &str) -> Html {
    render_with(body, &RawHtml::default()).0
}

fn select<'d>(doc: &'d Html, css: &str) -> Vec<scraper::ElementRef<'d>> {
    let selector = Selector::parse(css).unwrap_or_else(|e| panic!("{css}: {e:?}"));
    doc.select(&selector).collect()
}

fn text(doc: &Html, css: &str) -> Vec<String> {
    select(doc, css)
        .iter()
        .map(|e| e.text().collect::<String>())
        .collect()
}

fn attr(doc: &Html, css: &str, name: &str) -> Vec<String> {
    select(doc, css)
        .iter()
        .filter_map(|e| e.value().attr(name).map(str::to_string))
        .collect()
}

/// Nothing in `doc` can run script or load a foreign document: no script,
/// style, object, embed, form, frame or svg; no `on*` attribute, `srcdoc`
/// or `style` beyond table alignment; no URL with a script or data scheme.
#[track_caller]
fn assert_inert(doc: &Html, case: &str) {
    for css in [
        "script", "style", "object", "embed", "form", "iframe", "frame", "svg", "math", "base",
        "meta", "link", "input", "button", "textarea", "template",
    ] {
        assert!(select(doc, css).is_empty(), "{case}: <{css}> survived");
    }
    for element in select(doc, "*") {
        for (name, value) in element.value().attrs() {
            assert!(!name.starts_with("on"), "{case}: {name}={value:?} survived");
            assert!(name != "srcdoc", "{case}: srcdoc survived");
            if name == "href" || name == "src" || name == "cite" {
                assert_eq!(
                    script_scheme(value),
                    None,
                    "{case}: {name}={value:?} survived"
                );
            }
        }
    }
}

#[test]
fn figures_and_images() {
    let doc = sanitized(
        "<figure>\n<img src=\"/desk/chart.png\" alt=\"Chart\" width=\"640\" height=\"480\" onerror=\"x()\">\n<figcaption>Source: <a href=\"https://stats.example/t\">stats</a></figcaption>\n</figure>\n",
    );
    assert_eq!(attr(&doc, "figure > img", "src"), ["/desk/chart.png"]);
    assert_eq!(attr(&doc, "figure > img", "alt"), ["Chart"]);
    assert_eq!(attr(&doc, "figure > img", "width"), ["640"]);
    assert_eq!(attr(&doc, "figure > img", "height"), ["480"]);
    assert!(attr(&doc, "img", "onerror").is_empty());
    assert_eq!(text(&doc, "figure > figcaption"), ["Source: stats"]);
    assert_eq!(
        attr(&doc, "figcaption a", "href"),
        ["https://stats.example/t"]
    );
}

#[test]
fn details_wrap_markdown_across_events() {
    let doc = sanitized(
        "<details open>\n<summary>How we checked</summary>\n\nWe asked *three* agencies [@src].\n\n</details>\n\nAfter.\n",
    );
    assert_eq!(text(&doc, "details > summary"), ["How we checked"]);
    assert_eq!(attr(&doc, "details", "open"), [""]);
    assert_eq!(text(&doc, "details > p > em"), ["three"]);
    assert_eq!(attr(&doc, "details sup.citation a", "id"), ["cite-1-1"]);
    assert_eq!(text(&doc, "details + p"), ["After."]);
}

#[test]
fn inline_text_semantics() {
    let doc = sanitized(
        "The <abbr title=\"World Health Organization\">WHO</abbr> said <mark>this</mark> about H<sub>2</sub>O and x<sup>2</sup> <small>(roughly)</small> on <time datetime=\"2025-03-01\">1 March</time>.\n",
    );
    assert_eq!(
        attr(&doc, "p > abbr", "title"),
        ["World Health Organization"]
    );
    assert_eq!(text(&doc, "p > mark"), ["this"]);
    assert_eq!(text(&doc, "p > sub"), ["2"]);
    assert_eq!(text(&doc, "p > sup"), ["2"]);
    assert_eq!(text(&doc, "p > small"), ["(roughly)"]);
    assert_eq!(attr(&doc, "p > time", "datetime"), ["2025-03-01"]);
}

#[test]
fn corrections_inline() {
    let doc = sanitized(
        "Turnout was <del datetime=\"2025-03-02T10:00Z\">61%</del> <ins datetime=\"2025-03-02T10:00Z\" cite=\"https://desk.example/corrections\">59%</ins>.\n",
    );
    assert_eq!(attr(&doc, "del", "datetime"), ["2025-03-02T10:00Z"]);
    assert_eq!(text(&doc, "del"), ["61%"]);
    assert_eq!(attr(&doc, "ins", "datetime"), ["2025-03-02T10:00Z"]);
    assert_eq!(
        attr(&doc, "ins", "cite"),
        ["https://desk.example/corrections"]
    );
}

#[test]
fn tables_and_their_parts() {
    let doc = sanitized(
        "<table>\n<caption>Turnout</caption>\n<colgroup><col span=\"2\"></colgroup>\n<thead><tr><th scope=\"col\" colspan=\"2\" style=\"color:red\">Year</th></tr></thead>\n<tbody><tr><td rowspan=\"2\">2024</td><td>59%</td></tr></tbody>\n<tfoot><tr><td>Total</td></tr></tfoot>\n</table>\n",
    );
    assert_eq!(text(&doc, "table > caption"), ["Turnout"]);
    assert_eq!(attr(&doc, "table > colgroup > col", "span"), ["2"]);
    assert_eq!(attr(&doc, "thead th", "scope"), ["col"]);
    assert_eq!(attr(&doc, "thead th", "colspan"), ["2"]);
    assert!(attr(&doc, "th", "style").is_empty());
    assert_eq!(attr(&doc, "tbody td", "rowspan"), ["2"]);
    assert_eq!(text(&doc, "tfoot td"), ["Total"]);
}

#[test]
fn quotations_with_their_source() {
    let doc = sanitized(
        "<blockquote cite=\"https://gov.example/speech\">\n<p>We never said that.</p>\n</blockquote>\n",
    );
    assert_eq!(
        attr(&doc, "blockquote", "cite"),
        ["https://gov.example/speech"]
    );
    assert_eq!(text(&doc, "blockquote > p"), ["We never said that."]);
}

#[test]
fn links_keep_only_web_mail_and_site_addresses() {
    let doc = sanitized(
        "<a id=a1 href=\"https://a.example/\">1</a> <a id=a2 href=\"http://a.example/\">2</a> <a href=\"mailto:desk@a.example\">3</a> <a href=\"/desk/briefs/x/\">4</a> <a href=\"../x/#s\">5</a> <a href=\"ftp://a.example/f\">6</a> <a href=\"tel:+100\">7</a>\n",
    );
    assert_eq!(
        attr(&doc, "a", "href"),
        [
            "https://a.example/",
            "http://a.example/",
            "mailto:desk@a.example",
            "/desk/briefs/x/",
            "../x/#s"
        ]
    );
    assert_eq!(text(&doc, "a"), ["1", "2", "3", "4", "5", "6", "7"]);
    // Ids other than Verity's own citation anchors go.
    assert!(attr(&doc, "a", "id").is_empty());
}

#[test]
fn every_forbidden_class_goes() {
    let cases = [
        ("script", "<script>alert(1)</script>\n\nok\n"),
        ("style", "<style>body{display:none}</style>\n\nok\n"),
        (
            "object",
            "<object data=\"https://x.example/f.swf\">ok</object>\n",
        ),
        ("embed", "<embed src=\"https://x.example/f.swf\">\n\nok\n"),
        (
            "form",
            "<form action=\"https://x.example/\"><input name=q><button>Go</button></form>\n\nok\n",
        ),
        (
            "on* attribute",
            "<p onclick=\"alert(1)\" onmouseover=\"alert(2)\">ok</p>\n",
        ),
        (
            "srcdoc",
            "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>\n\nok\n",
        ),
        (
            "javascript: URL",
            "<a href=\"javascript:alert(1)\">ok</a>\n",
        ),
        ("vbscript: URL", "<a href=\"vbscript:msgbox(1)\">ok</a>\n"),
        (
            "data: URL on a link",
            "<a href=\"data:text/html,<script>alert(1)</script>\">ok</a>\n",
        ),
        (
            "data: image",
            "<img src=\"data:image/png;base64,iVBORw0KGgo=\" alt=\"ok\">\n",
        ),
        (
            "data: svg image",
            "<img src=\"data:image/svg+xml,<svg onload=alert(1)>\" alt=\"ok\">\n",
        ),
        (
            "iframe without embed hosts",
            "<iframe src=\"https://www.youtube-nocookie.com/embed/x\"></iframe>\n\nok\n",
        ),
        ("base", "<base href=\"https://x.example/\">\n\nok\n"),
        (
            "meta refresh",
            "<meta http-equiv=\"refresh\" content=\"0;url=https://x.example/\">\n\nok\n",
        ),
        (
            "style attribute",
            "<p style=\"background:url(https://x.example/t.png)\">ok</p>\n",
        ),
        (
            "class and id",
            "<p class=\"site-header\" id=\"search-form\">ok</p>\n",
        ),
    ];
    for (case, body) in cases {
        let doc = sanitized(body);
        assert_inert(&doc, case);
        for element in select(&doc, "*") {
            for (name, _) in element.value().attrs() {
                assert!(
                    !["style", "class", "id", "action", "data"].contains(&name),
                    "{case}: {name} survived"
                );
            }
        }
        assert!(
            select(&doc, "img")
                .iter()
                .all(|i| i.value().attr("src").is_none()),
            "{case}: an image source survived"
        );
        assert!(
            select(&doc, "a")
                .iter()
                .all(|a| a.value().attr("href").is_none()),
            "{case}: a link survived"
        );
        let visible: String = doc.root_element().text().collect();
        assert!(
            !visible.contains("alert"),
            "{case}: script text shown: {visible:?}"
        );
        let kept = text(&doc, "p, a").join("") + &attr(&doc, "img", "alt").join("");
        assert!(
            kept.contains("ok"),
            "{case}: the harmless part went too: {kept:?}"
        );
    }
}

#[test]
fn xss_cheat_sheet_classes() {
    let cases = [
        ("mixed case script", "<ScRiPt>alert(1)</sCrIpT>\n"),
        ("mixed case handler", "<IMG SRC=x.png OnErRoR=alert(1)>\n"),
        (
            "mixed case scheme",
            "<a HREF=\"JaVaScRiPt:alert(1)\">x</a>\n",
        ),
        (
            "decimal entities",
            "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">x</a>\n",
        ),
        (
            "hex entities without semicolons",
            "<a href=\"&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)\">x</a>\n",
        ),
        (
            "tab entity in scheme",
            "<a href=\"jav&#x09;ascript:alert(1)\">x</a>\n",
        ),
        (
            "newline in scheme",
            "<a href=\"java\nscript:alert(1)\">x</a>\n",
        ),
        (
            "named colon entity",
            "<a href=\"javascript&colon;alert(1)\">x</a>\n",
        ),
        (
            "leading spaces and controls",
            "<a href=\" &#1; javascript:alert(1)\">x</a>\n",
        ),
        ("svg script", "<svg><script>alert(1)</script></svg>\n"),
        ("svg onload", "<svg onload=alert(1)><circle r=1 /></svg>\n"),
        (
            "svg animate href",
            "<svg><a><animate attributeName=href values=javascript:alert(1) /><text y=9>x</text></a></svg>\n",
        ),
        (
            "math mglyph style",
            "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>\n",
        ),
        (
            "noscript smuggling",
            "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>\n",
        ),
        ("unclosed img", "Text <img src=x onerror=alert(1)\n"),
        ("unclosed script", "<script>alert(1)\n\nMore text.\n"),
        (
            "unclosed anchor",
            "<a href=\"javascript:alert(1)\">never closed\n\nNext.\n",
        ),
        (
            "unquoted attribute soup",
            "<img src=x onerror=alert(1)//>\n",
        ),
        (
            "empty comment opener",
            "<!--><script>alert(1)</script>-->\n",
        ),
        (
            "comment hiding a tag",
            "<!-- <img src=x onerror=alert(1)> -->\n\nok\n",
        ),
        (
            "conditional comment",
            "<!--[if IE]><script>alert(1)</script><![endif]-->\n",
        ),
        (
            "bang comment close",
            "<!-- x --!><script>alert(1)</script>\n",
        ),
        (
            "broken comment",
            "<!-- a -- ><img src=x onerror=alert(1)>\n",
        ),
        ("null byte in tag", "<scr\u{0}ipt>alert(1)</script>\n"),
        ("double open", "<<script>alert(1)//<</script>\n"),
        (
            "attribute breakout",
            "<abbr title=\"\"><script>alert(1)</script>\">x</abbr>\n",
        ),
        (
            "iframe javascript src",
            "<iframe src=\"javascript:alert(1)\"></iframe>\n",
        ),
        (
            "textarea breakout",
            "<textarea></textarea><img src=x onerror=alert(1)></textarea>\n",
        ),
    ];
    for (case, body) in cases {
        for hosts in [&[][..], &["www.youtube-nocookie.com"][..]] {
            let (doc, _) = render_with(body, &settings(RawHtmlMode::Sanitize, hosts));
            assert_inert(&doc, case);
        }
    }
}

#[test]
fn verity_markup_survives_beside_raw_html() {
    let body = "Claim [@src, p. 4] and [[older]] and [site](/desk/x/) <mark>m</mark>.\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n\nNote[^n] and[^two words].\n\n[^n]: The note.\n\n[^two words]: Another.\n\n```rust\nlet x = 1;\n```\n";
    let (doc, rendered) = render_with(body, &RawHtml::default());
    let (plain, _) = render_with(body, &settings(RawHtmlMode::Trusted, &[]));
    assert!(
        rendered.diagnostics.is_empty(),
        "{:?}",
        rendered.diagnostics
    );
    for (css, name) in [
        ("sup.citation a", "href"),
        ("sup.citation a", "id"),
        ("a[href='/desk/brief/older/']", "href"),
        ("a[href='/desk/x/']", "href"),
        ("th", "style"),
        ("td", "style"),
        ("sup.footnote-reference a", "href"),
        ("div.footnote-definition", "id"),
        ("sup.footnote-definition-label", "class"),
        ("pre > code", "class"),
    ] {
        assert!(!attr(&plain, css, name).is_empty(), "{css} {name}");
        assert_eq!(
            attr(&doc, css, name),
            attr(&plain, css, name),
            "{css} {name}"
        );
    }
    assert_eq!(text(&doc, "sup.citation"), ["[1, p. 4]"]);
    assert_eq!(text(&doc, "p > mark"), ["m"]);
}

#[test]
fn embeds_only_from_listed_https_hosts() {
    let hosts = settings(RawHtmlMode::Sanitize, &["www.youtube-nocookie.com"]);
    let (doc, rendered) = render_with(
        "<iframe width=\"560\" height=\"315\" src=\"https://www.youtube-nocookie.com/embed/abc\" title=\"Video\" allow=\"autoplay; camera\" sandbox=\"allow-top-navigation\" allowfullscreen onload=\"x()\"></iframe>\n\n\
         <iframe src=\"https://evil.example/embed/abc\"></iframe>\n\n\
         <iframe src=\"http://www.youtube-nocookie.com/embed/abc\"></iframe>\n\n\
         <iframe src=\"https://www.youtube-nocookie.com.evil.example/embed/abc\"></iframe>\n\n\
         <iframe src=\"https://user@www.youtube-nocookie.com/embed/abc\"></iframe>\n",
        &hosts,
    );
    let frames = select(&doc, "iframe");
    assert_eq!(frames.len(), 1, "{}", rendered.html);
    let frame = frames[0].value();
    assert_eq!(
        frame.attr("src"),
        Some("https://www.youtube-nocookie.com/embed/abc")
    );
    assert_eq!(frame.attr("width"), Some("560"));
    assert_eq!(frame.attr("height"), Some("315"));
    assert_eq!(frame.attr("title"), Some("Video"));
    assert_eq!(
        frame.attr("sandbox"),
        Some("allow-scripts allow-same-origin allow-presentation allow-popups")
    );
    assert_eq!(
        frame.attr("allow"),
        Some("fullscreen; picture-in-picture; encrypted-media")
    );
    assert_eq!(frame.attr("loading"), Some("lazy"));
    assert_eq!(
        frame.attr("referrerpolicy"),
        Some("strict-origin-when-cross-origin")
    );
    assert_eq!(frame.attr("onload"), None);
    assert_eq!(frame.attr("allowfullscreen"), None);
    let warnings: Vec<&str> = rendered
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        warnings,
        [
            "raw HTML removed: `allow` on <iframe>, `sandbox` on <iframe>, `allowfullscreen` on <iframe>, `onload` on <iframe>",
            "raw HTML removed: <iframe> from `evil.example` (only the hosts in `embed_hosts` may be embedded)",
            "raw HTML removed: <iframe> with a `http:` address (embeds must be https)",
            "raw HTML removed: <iframe> from `www.youtube-nocookie.com.evil.example` (only the hosts in `embed_hosts` may be embedded)",
            "raw HTML removed: <iframe> from `www.youtube-nocookie.com` (only the hosts in `embed_hosts` may be embedded)",
        ]
    );
}

#[test]
fn each_mode() {
    let body = "<span class=\"x\" onclick=\"go()\">inline</span> text\n\n<div class=\"block\">block</div>\n";
    let (trusted, out) = render_with(body, &settings(RawHtmlMode::Trusted, &[]));
    assert_eq!(attr(&trusted, "span.x", "onclick"), ["go()"]);
    assert_eq!(text(&trusted, "div.block"), ["block"]);
    assert!(out.diagnostics.is_empty());

    let (none, out) = render_with(body, &settings(RawHtmlMode::Omit, &[]));
    assert!(select(&none, "span, div").is_empty());
    assert_eq!(text(&none, "p"), ["inline text"]);
    assert!(out.html.contains("<!-- raw HTML omitted -->"));
    assert!(out.diagnostics.is_empty());

    let (clean, out) = render_with(body, &RawHtml::default());
    assert_eq!(text(&clean, "p > span"), ["inline"]);
    assert!(attr(&clean, "span", "class").is_empty());
    assert!(attr(&clean, "span", "onclick").is_empty());
    assert_eq!(text(&clean, "div"), ["block"]);
    assert!(attr(&clean, "div", "class").is_empty());
    assert_eq!(out.diagnostics.len(), 2);
}

#[test]
fn warnings_name_what_went_at_its_line() {
    let body = "Intro.\n\n<div>\n  <img src=\"a.png\" alt=\"a\"\n       onerror=\"x()\">\n<script>bad()</script>\n</div>\n\nSee <a href=\"javascript:go()\" onclick=\"y()\">this</a> and [ftp](ftp://files.example/f).\n";
    let (_, rendered) = render_with(body, &RawHtml::default());
    let got: Vec<(Severity, usize, usize, &str)> = rendered
        .diagnostics
        .iter()
        .map(|d| (d.severity, d.line, d.col, d.message.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (
                Severity::Warning,
                13,
                3,
                "raw HTML removed: `onerror` on <img>"
            ),
            (
                Severity::Warning,
                15,
                1,
                "raw HTML removed: <script> and its content"
            ),
            (
                Severity::Warning,
                18,
                5,
                "raw HTML removed: `href` on <a> (a `javascript:` URL), `onclick` on <a>"
            ),
            (
                Severity::Warning,
                18,
                58,
                "a link to a `ftp:` URL loses its address"
            ),
        ]
    );
    // A clean body warns of nothing.
    let (_, rendered) = render_with(
        "<mark>fine</mark> [ok](https://x.example/)\n",
        &RawHtml::default(),
    );
    assert!(rendered.diagnostics.is_empty());
}
