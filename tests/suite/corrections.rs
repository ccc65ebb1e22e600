//! Corrections with kinds, verdict history, retractions, the corrections
//! page and feed, transparency pages, policy rules, retired verdicts and the
//! claimant note, on the `record` fixture: built by the real binary, read
//! back with scraper, serde_json, roxmltree and feed-rs.

use crate::support::{SiteTest, attrs, brief, html, texts};
use serde_json::Value;

fn built() -> SiteTest {
    let t = SiteTest::fixture("record");
    t.run(&["build"]).ok();
    t
}

/// Every JSON-LD object of a page.
fn json_lds(t: &SiteTest, page: &str) -> Vec<Value> {
    let doc = html(&t.read(page));
    let sel = scraper::Selector::parse("script[type='application/ld+json']").unwrap();
    doc.select(&sel)
        .map(|e| serde_json::from_str(&e.text().collect::<String>()).unwrap())
        .collect()
}

/// The sitemap's `lastmod` of `loc`.
fn lastmod(t: &SiteTest, loc: &str) -> Option<String> {
    let text = t.read("public/sitemap.xml");
    let doc = roxmltree::Document::parse(&text).unwrap();
    let url = doc
        .descendants()
        .filter(|n| n.has_tag_name("url"))
        .find(|n| {
            n.children()
                .any(|c| c.has_tag_name("loc") && c.text() == Some(loc))
        })
        .unwrap_or_else(|| panic!("{loc} not in the sitemap"));
    url.children()
        .find(|c| c.has_tag_name("lastmod"))
        .and_then(|c| c.text())
        .map(str::to_string)
}

const HOSTILE: &str = "<script>alert('note')</script> & \"quoted\" ]]> </summary> <b>bold</b>";

#[test]
fn every_kind_of_correction_shows_on_the_brief_page_with_its_kind_and_date() {
    let t = built();
    let doc = html(&t.read("public/briefs/kinds/index.html"));
    assert_eq!(
        texts(&doc, ".corrections__list li .correction__kind"),
        ["Correction", "Clarification", "Update", "Verdict changed"]
    );
    assert_eq!(
        attrs(&doc, ".corrections__list li time", "datetime"),
        ["2025-01-11", "2025-01-12", "2025-01-13", "2025-01-14"]
    );
    assert_eq!(
        attrs(&doc, ".corrections__list li", "id"),
        [
            "correction-1",
            "correction-2",
            "correction-3",
            "correction-4"
        ]
    );
    // The hostile note is text, never markup.
    assert_eq!(texts(&doc, "#correction-4 .corrections__note"), [HOSTILE]);
    assert!(texts(&doc, "main script").is_empty());
    assert!(texts(&doc, ".corrections__list b").is_empty());
    // The earlier verdict, struck through, as a text badge beside the current one.
    assert_eq!(
        texts(&doc, ".claim-card__badge > a .verdict-badge"),
        ["Verdict: False"]
    );
    assert_eq!(
        texts(&doc, ".verdict-history del .verdict-badge"),
        ["Verdict: Mixed"]
    );
    assert_eq!(
        texts(&doc, ".verdict-history"),
        ["Earlier verdict, until 14 January 2025: Verdict: Mixed until 14 January 2025"]
    );
    // The corrections page and its feed are linked, in the head and the log.
    assert!(
        attrs(&doc, "link[rel=alternate]", "href")
            .contains(&"/record/corrections/feed.xml".to_string())
    );
    let links = attrs(&doc, ".corrections__more a", "href");
    assert_eq!(
        links,
        ["/record/corrections/", "/record/corrections/feed.xml"]
    );
    // A brief without corrections links no corrections feed.
    let plain = html(&t.read("public/briefs/plain/index.html"));
    assert!(
        !attrs(&plain, "link[rel=alternate]", "href")
            .iter()
            .any(|h| h.contains("corrections"))
    );
    assert!(texts(&plain, ".corrections__list li").is_empty());
}

#[test]
fn the_newest_correction_dates_the_brief_everywhere() {
    let t = built();
    let page = "public/briefs/kinds/index.html";
    let lds = json_lds(&t, page);
    assert_eq!(lds.len(), 1);
    assert_eq!(lds[0]["@type"], "ClaimReview");
    assert_eq!(lds[0]["datePublished"], "2025-01-10");
    assert_eq!(lds[0]["dateModified"], "2025-01-14");
    let doc = html(&t.read(page));
    assert_eq!(
        attrs(&doc, "meta[property='article:modified_time']", "content"),
        ["2025-01-14T00:00:00Z"]
    );
    assert_eq!(
        lastmod(&t, "https://example.org/record/briefs/kinds/").as_deref(),
        Some("2025-01-14")
    );
    assert_eq!(
        lastmod(&t, "https://example.org/record/corrections/").as_deref(),
        Some("2025-02-05")
    );
    let feed = feed_rs::parser::parse(t.read("public/feed.xml").as_bytes()).unwrap();
    let entry = feed
        .entries
        .iter()
        .find(|e| e.id == "https://example.org/record/briefs/kinds/")
        .unwrap();
    assert_eq!(
        entry.updated.unwrap().to_rfc3339(),
        "2025-01-14T00:00:00+00:00"
    );
    // Each entry of the log is a CorrectionComment of the ClaimReview.
    let log = lds[0]["correction"].as_array().unwrap();
    let kinds: Vec<(&str, &str, &str)> = log
        .iter()
        .map(|c| {
            assert_eq!(c["@type"], "CorrectionComment");
            (
                c["additionalType"].as_str().unwrap(),
                c["name"].as_str().unwrap(),
                c["datePublished"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("correction", "Correction", "2025-01-11"),
            ("clarification", "Clarification", "2025-01-12"),
            ("update", "Update", "2025-01-13"),
            ("verdict-change", "Verdict changed", "2025-01-14")
        ]
    );
    assert_eq!(log[3]["text"], HOSTILE, "the note survives JSON intact");
    assert_eq!(
        log[3]["url"],
        "https://example.org/record/briefs/kinds/#correction-4"
    );
    // Inside <script>, the note cannot end the element.
    let raw = t.read(page);
    assert!(!raw.contains("</script><b>") && !raw.contains("<script>alert"));
    // A brief never corrected has no dateModified.
    let plain = json_lds(&t, "public/briefs/plain/index.html");
    assert!(plain[0].get("dateModified").is_none(), "{}", plain[0]);
    assert!(plain[0].get("correction").is_none(), "{}", plain[0]);
}

#[test]
fn the_corrections_page_lists_every_correction_newest_first() {
    let t = built();
    let doc = html(&t.read("public/corrections/index.html"));
    assert_eq!(
        texts(&doc, ".corrections-log__item .correction__kind"),
        [
            "Retraction",
            "Verdict changed",
            "Update",
            "Clarification",
            "Correction"
        ]
    );
    assert_eq!(
        attrs(&doc, ".corrections-log__item time", "datetime"),
        [
            "2025-02-05",
            "2025-01-14",
            "2025-01-13",
            "2025-01-12",
            "2025-01-11"
        ]
    );
    assert_eq!(
        attrs(&doc, ".corrections-log__title a", "href"),
        [
            "/record/briefs/retracted/#correction-1",
            "/record/briefs/kinds/#correction-4",
            "/record/briefs/kinds/#correction-3",
            "/record/briefs/kinds/#correction-2",
            "/record/briefs/kinds/#correction-1"
        ]
    );
    assert_eq!(
        texts(&doc, ".corrections-log__title")[..2],
        ["A retracted brief", "Every kind of correction"]
    );
    assert_eq!(
        texts(&doc, ".corrections-log__verdicts"),
        ["Verdict changed from Mixed to False."]
    );
    assert_eq!(
        texts(&doc, ".corrections-log__note")[1],
        HOSTILE,
        "the note is escaped"
    );
    assert!(texts(&doc, "main script").is_empty());
    assert!(
        attrs(&doc, "link[rel=alternate]", "href")
            .contains(&"/record/corrections/feed.xml".to_string())
    );
    assert_eq!(
        attrs(&doc, ".page-header__feed a", "href"),
        ["/record/corrections/feed.xml"]
    );
    // Every link of the site resolves, the correction anchors included.
    let broken = crate::support::broken_links(&t.path().join("public"), "/record/");
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn the_corrections_feed_is_valid_atom_newest_first() {
    let t = built();
    let text = t.read("public/corrections/feed.xml");
    roxmltree::Document::parse(&text).unwrap();
    let feed = feed_rs::parser::parse(text.as_bytes()).unwrap();
    assert_eq!(feed.title.unwrap().content, "Record Desk: corrections");
    assert_eq!(
        feed.updated.unwrap().to_rfc3339(),
        "2025-02-05T00:00:00+00:00"
    );
    let ids: Vec<&str> = feed.entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "https://example.org/record/briefs/retracted/#correction-1",
            "https://example.org/record/briefs/kinds/#correction-4",
            "https://example.org/record/briefs/kinds/#correction-3",
            "https://example.org/record/briefs/kinds/#correction-2",
            "https://example.org/record/briefs/kinds/#correction-1"
        ]
    );
    let titles: Vec<String> = feed
        .entries
        .iter()
        .map(|e| e.title.clone().unwrap().content)
        .collect();
    assert_eq!(titles[0], "Retraction: A retracted brief");
    assert_eq!(titles[1], "Verdict changed: Every kind of correction");
    assert_eq!(titles[4], "Correction: Every kind of correction");
    let summary = feed.entries[1].summary.clone().unwrap().content;
    assert_eq!(
        summary,
        format!("Verdict changed from Mixed to False. {HOSTILE}")
    );
    let terms: Vec<String> = feed
        .entries
        .iter()
        .map(|e| e.categories[0].term.clone())
        .collect();
    assert_eq!(
        terms,
        [
            "retraction",
            "verdict-change",
            "update",
            "clarification",
            "correction"
        ]
    );
}

#[test]
fn a_retraction_keeps_the_page_with_a_notice_and_drops_its_claim_review() {
    let t = built();
    let doc = html(&t.read("public/briefs/retracted/index.html"));
    assert_eq!(
        texts(&doc, ".retraction-notice h2"),
        ["Retracted on 5 February 2025"]
    );
    assert_eq!(
        texts(&doc, ".retraction-notice__note"),
        ["The document this brief relied on was forged."]
    );
    // The notice comes first in the article.
    let first = scraper::Selector::parse("article > :first-child").unwrap();
    assert_eq!(
        doc.select(&first).next().unwrap().value().attr("class"),
        Some("retraction-notice")
    );
    assert!(json_lds(&t, "public/briefs/retracted/index.html").is_empty());
    let data: Value = serde_json::from_str(&t.read("public/claimreview.json")).unwrap();
    let urls: Vec<&str> = data["dataFeedElement"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["url"].as_str().unwrap())
        .collect();
    assert_eq!(
        urls,
        [
            "https://example.org/record/briefs/old-rating/",
            "https://example.org/record/briefs/kinds/",
            "https://example.org/record/briefs/plain/"
        ]
    );
    // Kept in every list, marked.
    for page in [
        "public/index.html",
        "public/claimants/jane-doe/index.html",
        "public/verdicts/true/index.html",
        "public/sources/beta/index.html",
    ] {
        let doc = html(&t.read(page));
        assert_eq!(
            texts(&doc, ".brief-item.is-retracted .brief-item__title"),
            ["A retracted brief"],
            "{page}"
        );
        assert_eq!(
            texts(&doc, ".brief-item.is-retracted .retracted-label"),
            ["Retracted"],
            "{page}"
        );
    }
    // Its verdict no longer counts in the claimant's tally.
    let claimant = html(&t.read("public/claimants/jane-doe/index.html"));
    assert_eq!(
        texts(&claimant, ".tally__table tbody th"),
        ["Verdict: False"]
    );
    // The site's feed marks it too.
    let feed = feed_rs::parser::parse(t.read("public/feed.xml").as_bytes()).unwrap();
    let entry = feed
        .entries
        .iter()
        .find(|e| e.id == "https://example.org/record/briefs/retracted/")
        .unwrap();
    assert_eq!(
        entry.title.clone().unwrap().content,
        "Retracted: A retracted brief"
    );
    assert!(entry.categories.iter().any(|c| c.term == "retracted"));
}

#[test]
fn transparency_pages_are_linked_from_every_brief_the_footer_and_the_organization() {
    let t = built();
    let want = [
        "/record/methodology/",
        "/record/corrections-policy/",
        "/record/ownership-funding/",
        "/record/ethics/",
        "/record/contact/",
    ];
    for slug in ["kinds", "retracted", "old-rating", "plain"] {
        let doc = html(&t.read(&format!("public/briefs/{slug}/index.html")));
        assert_eq!(
            attrs(&doc, ".brief__transparency a", "href"),
            want,
            "{slug}"
        );
    }
    for page in [
        "public/index.html",
        "public/corrections/index.html",
        "public/404.html",
    ] {
        let doc = html(&t.read(page));
        assert_eq!(
            attrs(&doc, ".site-footer__transparency a", "href"),
            want,
            "{page}"
        );
    }
    let home = json_lds(&t, "public/index.html");
    assert_eq!(home.len(), 1);
    let org = &home[0];
    assert_eq!(org["@context"], "https://schema.org");
    assert_eq!(org["@type"], "Organization");
    assert_eq!(org["name"], "Record Desk");
    let expected = serde_json::json!({
        "publishingPrinciples": "https://example.org/record/methodology/",
        "verificationFactCheckingPolicy": "https://example.org/record/methodology/",
        "correctionsPolicy": "https://example.org/record/corrections-policy/",
        "ownershipFundingInfo": "https://example.org/record/ownership-funding/",
        "ethicsPolicy": "https://example.org/record/ethics/",
    });
    for (key, url) in expected.as_object().unwrap() {
        assert_eq!(&org[key], url, "{key}");
        // The ClaimReview's author is the same Organization.
        let review = &json_lds(&t, "public/briefs/kinds/index.html")[0];
        assert_eq!(&review["author"][key], url, "{key}");
    }
    assert_eq!(
        org["contactPoint"],
        serde_json::json!({"@type": "ContactPoint", "url": "https://example.org/record/contact/"})
    );
}

#[test]
fn an_unmapped_or_draft_transparency_page_is_not_linked() {
    let t = SiteTest::fixture("record");
    t.write(
        "content/pages/ethics.md",
        "---\ntitle: Ethics\ndraft: true\n---\nSoon.\n",
    );
    let yaml = t.read("site.yaml").replace("  contact: contact\n", "");
    t.write("site.yaml", &yaml);
    let run = t.run(&["build"]).ok();
    assert!(
        run.stderr.contains(
            "site.yaml:15:11: warning: `transparency.ethics` names the page `ethics`, which is missing or a draft"
        ),
        "{}",
        run.stderr
    );
    let doc = html(&t.read("public/index.html"));
    assert_eq!(
        attrs(&doc, ".site-footer__transparency a", "href"),
        [
            "/record/methodology/",
            "/record/corrections-policy/",
            "/record/ownership-funding/"
        ]
    );
    let org = &json_lds(&t, "public/index.html")[0];
    assert!(org.get("ethicsPolicy").is_none());
    assert!(org.get("contactPoint").is_none());
}

/// `check`'s report on the record site with `policy` and extra files.
fn policy_report(policy: &str, files: &[(&str, &str)]) -> (i32, String) {
    let t = SiteTest::fixture("record");
    let yaml = format!("{}policy:\n{policy}", t.read("site.yaml"));
    t.write("site.yaml", &yaml);
    for (path, text) in files {
        t.write(path, text);
    }
    let run = t.run(&["check"]);
    (run.code, run.stderr)
}

/// A brief that breaks every rule about one brief.
const THIN: (&str, &str) = (
    "content/briefs/thin.md",
    "---\ntitle: Thin\ndate: 2025-01-20\nclaim: It is so.\nclaimant: Jane Doe\nverdict: \"true\"\nsources: [alpha]\n---\nSee [@alpha].\n",
);

#[test]
fn each_policy_rule_is_an_error_by_default_with_exact_diagnostics() {
    let cases = [
        (
            "  min_sources: 2\n",
            "content/briefs/thin.md:7:1: error: the brief declares 1 source, fewer than 2\n  help: the desk's policy requires this (policy: min_sources: 2)\n",
        ),
        (
            "  min_publishers: 2\n",
            "content/briefs/thin.md:7:1: error: the brief's sources come from 1 publisher, fewer than 2\n  help: the desk's policy requires this (policy: min_publishers: 2)\n",
        ),
        (
            "  require_claim_date: true\n",
            "content/briefs/thin.md:1:1: error: the brief has no `claim_date`\n  help: the desk's policy requires this (policy: require_claim_date)\n",
        ),
        (
            "  require_appearance: true\n",
            "content/briefs/thin.md:1:1: error: the brief has no `appearance`\n  help: the desk's policy requires this (policy: require_appearance)\n",
        ),
    ];
    for (rule, want) in cases {
        let (code, report) = policy_report(rule, &[THIN]);
        assert_eq!(code, 1, "{rule}: {report}");
        assert_eq!(report, format!("{want}1 error, 0 warnings\n"), "{rule}");
        // The fixture's own briefs keep every rule: without the thin brief, all is well.
        let (code, report) = policy_report(rule, &[]);
        assert_eq!(code, 0, "{rule}: {report}");
    }
}

#[test]
fn with_level_warning_each_policy_rule_is_reported_but_does_not_fail() {
    let (code, report) = policy_report(
        "  level: warning\n  min_sources: 2\n  min_publishers: 2\n  require_claim_date: true\n  require_appearance: true\n",
        &[THIN],
    );
    assert_eq!(code, 0, "{report}");
    assert_eq!(
        report,
        "content/briefs/thin.md:1:1: warning: the brief has no `appearance`\n  help: the desk's policy requires this (policy: require_appearance)\n\
content/briefs/thin.md:1:1: warning: the brief has no `claim_date`\n  help: the desk's policy requires this (policy: require_claim_date)\n\
content/briefs/thin.md:7:1: warning: the brief declares 1 source, fewer than 2\n  help: the desk's policy requires this (policy: min_sources: 2)\n\
content/briefs/thin.md:7:1: warning: the brief's sources come from 1 publisher, fewer than 2\n  help: the desk's policy requires this (policy: min_publishers: 2)\n\
0 errors, 4 warnings\nno errors: the site is ready to build\n"
    );
}

#[test]
fn drafts_are_exempt_from_the_policy_rules() {
    let draft = THIN.1.replace("---\nSee", "draft: true\n---\nSee");
    let (code, report) = policy_report("  min_sources: 2\n", &[(THIN.0, &draft)]);
    assert_eq!(code, 0, "{report}");
}

#[test]
fn require_transparency_at_both_levels() {
    let missing = "---\ntitle: Ethics\ndraft: true\n---\nSoon.\n";
    let t = SiteTest::fixture("record");
    let yaml = t.read("site.yaml").replace("  contact: contact\n", "")
        + "policy:\n  require_transparency: true\n";
    t.write("site.yaml", &yaml);
    t.write("content/pages/ethics.md", missing);
    let run = t.run(&["check"]).code(1);
    assert_eq!(
        run.stderr,
        "site.yaml:11:1: error: `transparency` maps no page to `contact`\n  help: the desk's policy requires this (policy: require_transparency)\n\
site.yaml:15:11: error: `transparency.ethics` names the page `ethics`, which is missing or a draft\n  help: the desk's policy requires this (policy: require_transparency)\n\
2 errors, 0 warnings\n"
    );
    t.run(&["build"]).code(1);
    assert!(!t.exists("public"), "a failed build writes nothing");
    t.write(
        "site.yaml",
        &yaml.replace(
            "require_transparency: true",
            "require_transparency: true\n  level: warning",
        ),
    );
    let run = t.run(&["build"]).ok();
    assert!(
        run.stderr
            .contains("site.yaml:11:1: warning: `transparency` maps no page to `contact`"),
        "{}",
        run.stderr
    );
    assert!(t.exists("public/index.html"));
}

#[test]
fn bad_policy_and_transparency_settings_are_errors_at_their_line() {
    let t = SiteTest::fixture("record");
    let yaml = t.read("site.yaml").replace(
        "  ethics: ethics\n  contact: contact\n",
        "  contacts: contact\n  ethics: Our Ethics\n",
    ) + "policy:\n  level: strict\n";
    t.write("site.yaml", &yaml);
    let run = t.run(&["check"]).code(1);
    assert!(run.stderr.contains("site.yaml:15:3: error: unknown transparency page `contacts`\n  help: did you mean `contact`?"), "{}", run.stderr);
    assert!(run.stderr.contains("site.yaml:16:11: error: `transparency.ethics` must be the slug of a free page\n  help: write the slug of a page under content/pages/, e.g. `our-ethics`"), "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "site.yaml:17:1: error: `policy`: `level` must be `error` or `warning`, not `strict`"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn bad_corrections_are_errors_at_their_line_with_a_hint() {
    let t = SiteTest::fixture("record");
    t.write(
        "content/briefs/bad.md",
        &brief(
            "title: Bad log\ndate: 2025-01-20\nclaim: It is so.\nclaimant: Jane Doe\nverdict: \"true\"\nsources: [alpha]\ncorrections:\n  - date: 2025-01-21\n    kind: retractoin\n    note: a\n  - date: 2025-01-22\n    kind: verdict-change\n    note: b\n  - date: 2025-01-23\n    kind: verdict-change\n    previous_verdict: halftrue\n    note: c\n  - date: 2025-01-24\n    previous_verdict: mixed\n    note: d",
            "See [@alpha].",
        ),
    );
    let run = t.run(&["check"]).code(1);
    assert_eq!(
        run.stderr,
        "content/briefs/bad.md:10:11: error: unknown correction kind `retractoin`\n  help: did you mean `retraction`?\n\
content/briefs/bad.md:12:5: error: a `verdict-change` correction needs `previous_verdict`\n  help: add `previous_verdict: KEY`, the verdict the brief had before the change\n\
content/briefs/bad.md:17:23: error: `previous_verdict` `halftrue` is not on the verdict scale\n  help: did you mean `half-true`?\n\
content/briefs/bad.md:20:23: error: `previous_verdict` belongs to a `verdict-change`, not a `correction`\n  help: write `kind: verdict-change`, or remove `previous_verdict`\n\
4 errors, 0 warnings\n"
    );
}

#[test]
fn a_retired_verdict_holds_before_its_date_and_is_an_error_after() {
    let t = built();
    // Dated before the retirement: rendered as before.
    let doc = html(&t.read("public/briefs/old-rating/index.html"));
    assert_eq!(
        texts(&doc, ".claim-card__badge .verdict-badge"),
        ["Verdict: Half true"]
    );
    let page = html(&t.read("public/verdicts/half-true/index.html"));
    assert_eq!(
        texts(&page, ".page-header__retired"),
        [
            "Retired on 1 March 2025: briefs published since then do not use this verdict; its replacement is Mixed. The briefs below keep the verdict they were given."
        ]
    );
    assert_eq!(
        attrs(&page, ".page-header__retired a", "href"),
        ["/record/verdicts/mixed/"]
    );
    assert_eq!(
        texts(&page, ".brief-item__title"),
        ["Rated before the scale changed"]
    );
    let scale = html(&t.read("public/verdicts/index.html"));
    assert_eq!(
        texts(&scale, ".verdict-scale__retired"),
        ["Retired on 1 March 2025, replaced by Mixed"]
    );
    // On or after the date: an error naming the replacement.
    let original = t.read("content/briefs/old-rating.md");
    for date in ["2025-03-01", "2025-04-02"] {
        let late = original.replace("date: 2025-02-15", &format!("date: {date}"));
        t.write("content/briefs/old-rating.md", &late);
        let run = t.run(&["check"]).code(1);
        assert_eq!(
            run.stderr,
            format!(
                "content/briefs/old-rating.md:8:10: error: verdict `half-true` was retired on 2025-03-01; a brief dated {date} cannot use it\n  help: use its replacement, `mixed`\n1 error, 0 warnings\n"
            )
        );
    }
}

#[test]
fn bad_retirements_are_errors_in_site_yaml() {
    let t = SiteTest::fixture("record");
    let yaml = t
        .read("site.yaml")
        .replace(
            "retired: 2025-03-01, replaced_by: mixed",
            "retired: March, replaced_by: mixd",
        )
        .replace(
            "color: \"#a16207\" }\n  - { key: \"false\"",
            "color: \"#a16207\", replaced_by: \"true\" }\n  - { key: \"false\"",
        );
    t.write("site.yaml", &yaml);
    let run = t.run(&["check"]).code(1);
    assert!(
        run.stderr
            .contains("site.yaml:8:79: error: `retired`: `March` is not a valid date"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("error: `replaced_by` names `mixd`, which is not on the scale\n  help: did you mean `mixed`?"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("error: verdict `mixed` has `replaced_by` but no `retired` date"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_claimant_page_says_claims_are_chosen_not_sampled() {
    let t = built();
    let doc = html(&t.read("public/claimants/jane-doe/index.html"));
    let note = texts(&doc, ".tally__note");
    assert_eq!(note.len(), 1);
    assert!(note[0].contains("not at random"), "{note:?}");
    let yaml = format!(
        "{}claimant_note: \"We pick claims <em>that matter</em>; shares are not a score.\"\n",
        t.read("site.yaml")
    );
    t.write("site.yaml", &yaml);
    t.run(&["build"]).ok();
    let doc = html(&t.read("public/claimants/jane-doe/index.html"));
    assert_eq!(
        texts(&doc, ".tally__note"),
        ["We pick claims <em>that matter</em>; shares are not a score."]
    );
}

#[test]
fn init_writes_starter_transparency_pages_marked_as_text_to_replace() {
    let t = SiteTest::empty();
    crate::support::verity([std::ffi::OsStr::new("init"), t.path().as_os_str()]).ok();
    for slug in [
        "methodology",
        "corrections-policy",
        "ownership-funding",
        "ethics",
        "contact",
    ] {
        let text = t.read(&format!("content/pages/{slug}.md"));
        assert!(
            text.contains(
                "Starter text written by `verity init`: replace this page before you publish."
            ),
            "{slug}: {text}"
        );
    }
    let check = t.run(&["check"]).ok();
    assert!(
        check.stderr.contains(
            "content/pages/ethics.md:5:1: warning: this page still holds the starter text of `verity init`\n  help: write the desk's own text here before you publish"
        ),
        "{}",
        check.stderr
    );
    t.run(&["build"]).ok();
    let org = &json_lds(&t, "public/index.html")[0];
    assert_eq!(
        org["correctionsPolicy"],
        "https://factcheck.example.org/corrections-policy/"
    );
    assert_eq!(
        org["ownershipFundingInfo"],
        "https://factcheck.example.org/ownership-funding/"
    );
    let doc = html(&t.read("public/briefs/blinken-aid-threat/index.html"));
    assert_eq!(texts(&doc, ".brief__transparency a").len(), 5);
}

#[test]
fn the_example_desk_shows_each_kind_and_every_transparency_page() {
    let t = SiteTest::example();
    t.run(&["build"]).ok();
    let kinds: Vec<String> = texts(
        &html(&t.read("public/corrections/index.html")),
        ".corrections-log__item .correction__kind",
    );
    for kind in ["Verdict changed", "Clarification", "Update"] {
        assert!(kinds.iter().any(|k| k == kind), "{kind}: {kinds:?}");
    }
    let doc = html(&t.read("public/index.html"));
    assert_eq!(texts(&doc, ".site-footer__transparency a").len(), 5);
    let check = t.run(&["check"]).ok();
    assert!(!check.stderr.contains("starter text"), "{}", check.stderr);
}

#[test]
fn search_results_mark_a_retracted_brief() {
    let t = built();
    let meta: Value = serde_json::from_str(&t.read("public/search/m/0.json")).unwrap();
    let marked: Vec<(&str, bool)> = meta
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["url"].as_str().unwrap(),
                d.get("retracted") == Some(&Value::Bool(true)),
            )
        })
        .collect();
    assert_eq!(marked.len(), 4, "{marked:?}");
    for (url, retracted) in marked {
        assert_eq!(retracted, url == "/record/briefs/retracted/", "{url}");
    }
    let script = t.read("public/search/search.js");
    assert!(script.contains("\"retracted-label\", \"Retracted\""));
}
