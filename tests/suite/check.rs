//! Bad input: every case breaks the `basic` fixture in one way and expects
//! the exact diagnostic lines, exit status 1, and the previous `public/`
//! left byte for byte as it was.

use crate::support::{SiteTest, THIRD, THIRD_FRONT, brief as third};

struct Case {
    name: &'static str,
    files: Vec<(&'static str, String)>,
    /// Lines the report must contain, exactly.
    expect: Vec<&'static str>,
}

fn case(name: &'static str, files: Vec<(&'static str, String)>, expect: Vec<&'static str>) -> Case {
    Case {
        name,
        files,
        expect,
    }
}

fn cases() -> Vec<Case> {
    let cite_ok = "Only one citation [@beta-article].";
    vec![
        case(
            "unknown front-matter key",
            vec![(THIRD, third(&THIRD_FRONT.replace("title:", "titel:"), cite_ok))],
            vec![
                "content/briefs/2025/third.md:1:1: error: missing required key `title`",
                "content/briefs/2025/third.md:2:1: error: unknown key `titel` in the front matter",
                "  help: did you mean `title`?",
            ],
        ),
        case(
            "unknown verdict",
            vec![(THIRD, third(&THIRD_FRONT.replace("verdict: mixed", "verdict: acurate"), cite_ok))],
            vec!["content/briefs/2025/third.md:6:10: error: unknown verdict `acurate`", "  help: did you mean `accurate`?"],
        ),
        case(
            "citation of an undeclared, mistyped source",
            vec![(THIRD, third(THIRD_FRONT, "Cites [@beta-articel] here."))],
            vec![
                "content/briefs/2025/third.md:10:7: error: `[@beta-articel]` cites a source this brief does not declare in `sources`",
                "  help: did you mean `beta-article`?",
            ],
        ),
        case(
            "citation of a site source not declared by the brief",
            vec![(THIRD, third(THIRD_FRONT, "Cites [@beta-article] and\n[@alpha-report, p. 2]."))],
            vec![
                "content/briefs/2025/third.md:11:1: error: `[@alpha-report]` cites a source this brief does not declare in `sources`",
                "  help: add `alpha-report` to the brief's `sources` list",
            ],
        ),
        case(
            "declared source that no file defines",
            vec![(THIRD, third(&THIRD_FRONT.replace("sources: [beta-article]", "sources: [beta-article, alpha-reprot]"), cite_ok))],
            vec!["content/briefs/2025/third.md:8:25: error: unknown source `alpha-reprot`", "  help: did you mean `alpha-report`?"],
        ),
        case(
            "cross-link to a missing brief",
            vec![(THIRD, third(THIRD_FRONT, "See [[oldr]]. [@beta-article]"))],
            vec!["content/briefs/2025/third.md:10:5: error: cross-link to an unknown brief `oldr`", "  help: did you mean `older`?"],
        ),
        case(
            "cross-links to a missing source, claimant, tag and verdict",
            vec![(THIRD, third(THIRD_FRONT, "[@beta-article] [[source:beta-artcle]]\n[[claimant:jane-do]] [[tag:econom]] [[verdict:flase]]"))],
            vec![
                "content/briefs/2025/third.md:10:17: error: cross-link to an unknown source `beta-artcle`",
                "  help: did you mean `beta-article`?",
                "content/briefs/2025/third.md:11:1: error: cross-link to an unknown claimant `jane-do`",
                "  help: did you mean `jane-doe`?",
                "content/briefs/2025/third.md:11:22: error: cross-link to an unknown tag `econom`",
                "  help: did you mean `economy`?",
                "content/briefs/2025/third.md:11:37: error: cross-link to an unknown verdict `flase`",
                "  help: did you mean `false`?",
            ],
        ),
        case(
            "relative link to a missing brief file",
            vec![(THIRD, third(THIRD_FRONT, "[@beta-article] [old](../2024/oldr.md)"))],
            vec![
                "content/briefs/2025/third.md:10:17: error: link to `../2024/oldr.md`: no brief at content/briefs/2024/oldr.md",
                "  help: did you mean `content/briefs/2024/older.md`?",
            ],
        ),
        case(
            "invalid YAML",
            vec![(THIRD, third("title: [unclosed\ndate: 2025-02-01", cite_ok))],
            vec!["content/briefs/2025/third.md:3:5: error: invalid YAML in the front matter: illegal placement of ':' indicator, while the list `[unclosed` is still open"],
        ),
        case(
            "front matter never closed",
            vec![(THIRD, format!("---\n{THIRD_FRONT}\nBody\n"))],
            vec!["content/briefs/2025/third.md:1:1: error: the front matter is never closed", "  help: add a line `---` after the last key, before the Markdown body"],
        ),
        case(
            "no front matter",
            vec![(THIRD, "Just text.\n".to_string())],
            vec!["content/briefs/2025/third.md:1:1: error: the file does not start with front matter"],
        ),
        case(
            "missing claim and empty sources",
            vec![(THIRD, third(&THIRD_FRONT.replace("claim: Someone else said it.\n", "").replace("[beta-article]", "[]"), "No citations."))],
            vec![
                "content/briefs/2025/third.md:1:1: error: missing required key `claim`",
                "content/briefs/2025/third.md:7:1: error: a brief must declare at least one entry in `sources`",
            ],
        ),
        case(
            "impossible date",
            vec![(THIRD, third(&THIRD_FRONT.replace("2025-02-01", "2025-13-01"), cite_ok))],
            vec!["content/briefs/2025/third.md:3:7: error: `2025-13-01` is not a valid date (expected YYYY-MM-DD)"],
        ),
        case(
            "source URL with a javascript: scheme",
            vec![("content/sources/beta-article.yaml", "url: javascript:alert(1)\ntitle: Beta article\npublisher: Beta Times\n".to_string())],
            vec![
                "content/sources/beta-article.yaml:1:6: error: `url`: `javascript:alert(1)` is a `javascript:` URL; only http and https are allowed",
                "  help: write the full address, starting with https:// or http://",
            ],
        ),
        case(
            "source missing its publisher, with an unknown kind",
            vec![("content/sources/beta-article.yaml", "url: https://x.example/b\ntitle: Beta article\nkind: artcle\n".to_string())],
            vec![
                "content/sources/beta-article.yaml:1:1: error: missing required key `publisher`",
                "content/sources/beta-article.yaml:3:7: error: unknown source kind `artcle`",
                "  help: did you mean `article`?",
            ],
        ),
        case(
            "duplicate slug in another folder",
            vec![("content/briefs/2024/third.md", third(THIRD_FRONT, cite_ok))],
            vec![
                "content/briefs/2025/third.md:1:1: error: the brief slug `third` is already used by content/briefs/2024/third.md",
                "  help: give one of them another `slug:` in its front matter",
            ],
        ),
        case(
            "related brief that does not exist, unknown author",
            vec![(THIRD, third(&format!("{THIRD_FRONT}\nrelated: [oldr]\nauthors: [dsk]"), cite_ok))],
            vec![
                "content/briefs/2025/third.md:9:11: error: `related` names an unknown brief `oldr`",
                "  help: did you mean `older`?",
                "content/briefs/2025/third.md:10:11: error: unknown author `dsk`",
                "  help: did you mean `desk`?",
            ],
        ),
        case(
            "inline source that disagrees with the file",
            vec![(
                THIRD,
                third(
                    &THIRD_FRONT.replace("sources: [beta-article]", "sources:\n  - id: beta-article\n    url: https://news.example.com/beta\n    title: Beta Article\n    publisher: Beta Times"),
                    cite_ok,
                ),
            )],
            vec![
                "content/briefs/2025/third.md:9:5: error: source `beta-article` is also declared at content/sources/beta-article.yaml:1 with a different title",
            ],
        ),
        case(
            "inline source without a publisher",
            vec![(
                THIRD,
                third(
                    &THIRD_FRONT.replace("sources: [beta-article]", "sources:\n  - beta-article\n  - id: delta\n    url: https://x.example/d\n    title: D"),
                    cite_ok,
                ),
            )],
            vec!["content/briefs/2025/third.md:10:5: error: missing required key `publisher`"],
        ),
        case(
            "inline source whose id begins another's: its own keys are named",
            vec![(
                THIRD,
                third(
                    &THIRD_FRONT.replace("sources: [beta-article]", "sources:\n  - beta-article\n  - id: delta-two\n    url: https://x.example/d2\n    title: D2\n    publisher: P\n  - id: delta\n    url: ftp://x.example/d\n    title: D\n    publisher: P"),
                    cite_ok,
                ),
            )],
            vec!["content/briefs/2025/third.md:15:10: error: `url`: `ftp://x.example/d` is a `ftp:` URL; only http and https are allowed"],
        ),
        case(
            "verdict key repeated in site.yaml, also written as a label",
            vec![("site.yaml", "title: Test Desk\nbase_url: https://example.org/desk\nverdicts:\n  - key: mixed\n    label: mixed\n  - key: mixed\n    label: Again\n".to_string())],
            vec!["site.yaml:6:10: error: verdict key `mixed` appears twice"],
        ),
        case(
            "invalid UTF-8",
            vec![(THIRD, String::from_utf8_lossy(b"---\ntitle: x\n").into_owned() + "\u{FFFD}")],
            vec![],
        ),
        case(
            "unknown key in site.yaml",
            vec![("site.yaml", "title: Test Desk\nbase_url: https://example.org/desk\nper_pgae: 3\n".to_string())],
            vec!["site.yaml:3:1: error: unknown key `per_pgae` in the site settings", "  help: did you mean `per_page`?"],
        ),
        case(
            "template syntax error in a site override",
            vec![("templates/brief.html", "{% extends \"base.html\" %}\n{% block content %}\n{{ brief.title \n{% endblock %}\n".to_string())],
            vec![],
        ),
        case(
            "malformed and unclosed citations",
            vec![(THIRD, third(THIRD_FRONT, "[@beta-article] [@beta-article; x]\nand [@beta-article never closed"))],
            vec![
                "content/briefs/2025/third.md:10:17: error: malformed citation: every item of a citation must start with `@`, e.g. `[@a; @b]`",
                "content/briefs/2025/third.md:11:5: error: malformed citation: the citation is never closed with `]`",
            ],
        ),
        case(
            "a free page that cites",
            vec![("content/pages/about.md", "---\ntitle: About us\n---\nWe cite [@beta-article].\n".to_string())],
            vec![
                "content/pages/about.md:4:9: error: free pages cannot cite sources (`[@beta-article]`)",
                "  help: cite sources in briefs; link to a source page with `[[source:id]]`",
            ],
        ),
        case(
            "appearance that names no source",
            vec![(THIRD, third(&format!("{THIRD_FRONT}\nappearance: beta-artcle"), cite_ok))],
            vec!["content/briefs/2025/third.md:9:13: error: `appearance` names an unknown source `beta-artcle`", "  help: did you mean `beta-article`?"],
        ),
        case(
            "link to a draft",
            vec![(THIRD, third(THIRD_FRONT, "[@beta-article] [[secret]]"))],
            vec![
                "content/briefs/2025/third.md:10:17: error: cross-link to an unknown brief `secret`",
                "  help: `secret` is a draft; publish it first, or build with --drafts",
            ],
        ),
    ]
}

#[test]
fn every_bad_input_is_reported_exactly_and_nothing_is_written() {
    let mut failures = Vec::new();
    for case in cases() {
        let t = SiteTest::fixture("basic");
        t.run(&["build"]).ok();
        let before = t.snapshot("public");
        if case.name == "invalid UTF-8" {
            std::fs::write(
                t.path().join(THIRD),
                b"---\ntitle: ok\nclaim: caf\xe9\n---\n",
            )
            .unwrap();
        } else {
            for (path, text) in &case.files {
                t.write(path, text);
            }
        }
        let run = t.run(&["build"]);
        let after = t.snapshot("public");
        let mut problems = Vec::new();
        if run.code != 1 {
            problems.push(format!("exit status {} instead of 1", run.code));
        }
        for line in &case.expect {
            if !run.stderr.lines().any(|l| l == *line) {
                problems.push(format!("missing line: {line}"));
            }
        }
        if before != after {
            problems.push("public/ changed".to_string());
        }
        if !run.stderr.contains("nothing was written") {
            problems.push("no 'nothing was written' line".to_string());
        }
        if !problems.is_empty() {
            failures.push(format!(
                "== {}\n{}\n-- stderr:\n{}",
                case.name,
                problems.join("\n"),
                run.stderr
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn invalid_utf8_and_template_errors_name_their_place() {
    let t = SiteTest::fixture("basic");
    std::fs::write(
        t.path().join(THIRD),
        b"---\ntitle: ok\nclaim: caf\xe9\n---\n",
    )
    .unwrap();
    let run = t.run(&["check"]).code(1);
    assert!(
        run.stderr
            .contains("content/briefs/2025/third.md:3:11: error: the file is not valid UTF-8"),
        "{}",
        run.stderr
    );

    let t = SiteTest::fixture("basic");
    t.write(
        "templates/brief.html",
        "{% extends \"base.html\" %}\n{% block content %}\n{{ brief.title \n{% endblock %}\n",
    );
    let run = t.run(&["check"]).code(1);
    assert!(
        run.stderr.starts_with("templates/brief.html:"),
        "{}",
        run.stderr
    );
    let t = SiteTest::fixture("basic");
    t.write(
        "templates/brief.html",
        "{% extends \"base.html\" %}\n{% block content %}\n{{ brief.nope }}\n{% endblock %}\n",
    );
    let run = t.run(&["build"]).code(1);
    assert!(
        run.stderr.contains("templates/brief.html:3:"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("while rendering /desk/briefs/"),
        "{}",
        run.stderr
    );
}

#[test]
fn all_problems_of_a_site_come_in_one_run_sorted_by_file_and_line() {
    let t = SiteTest::fixture("basic");
    t.write(
        THIRD,
        &third(
            &THIRD_FRONT.replace("verdict: mixed", "verdict: nope"),
            "[[oldr]] [@zzz]",
        ),
    );
    t.write(
        "content/sources/beta-article.yaml",
        "url: ftp://x\ntitle: B\npublisher: P\n",
    );
    let run = t.run(&["check"]).code(1);
    let located: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains(": error: "))
        .collect();
    assert!(located.len() >= 4, "{}", run.stderr);
    let mut sorted = located.clone();
    sorted.sort_by_key(|l| {
        let mut parts = l.splitn(4, ':');
        let file = parts.next().unwrap().to_string();
        let line: usize = parts.next().unwrap().parse().unwrap();
        (file, line)
    });
    assert_eq!(located, sorted);
    assert!(
        run.stderr.trim_end().ends_with("errors, 0 warnings") || run.stderr.contains(" errors, "),
        "{}",
        run.stderr
    );
}

#[test]
fn json_report_matches_the_human_one() {
    let t = SiteTest::fixture("basic");
    t.write(
        THIRD,
        &third(
            &THIRD_FRONT.replace("verdict: mixed", "verdict: acurate"),
            "[@beta-article]",
        ),
    );
    let run = t.run(&["check", "--format", "json"]).code(1);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["errors"], 1);
    let d = &v["diagnostics"][0];
    assert_eq!(d["file"], "content/briefs/2025/third.md");
    assert_eq!((d["line"].as_u64(), d["col"].as_u64()), (Some(6), Some(10)));
    assert_eq!(d["severity"], "error");
    assert_eq!(d["message"], "unknown verdict `acurate`");
    assert_eq!(d["help"], "did you mean `accurate`?");
}

#[test]
fn uncited_source_is_a_warning_not_an_error() {
    let t = SiteTest::fixture("basic");
    t.write(
        THIRD,
        &third(
            &THIRD_FRONT.replace("[beta-article]", "[beta-article, alpha-report]"),
            "[@beta-article]",
        ),
    );
    let run = t.run(&["build"]).ok();
    assert!(
        run.stderr.contains("content/briefs/2025/third.md:8:25: warning: source `alpha-report` is declared but never cited"),
        "{}",
        run.stderr
    );
}

#[test]
fn verdicts_match_case_insensitively_and_yaml_booleans_are_keys() {
    let t = SiteTest::fixture("basic");
    t.write(
        THIRD,
        &third(
            &THIRD_FRONT.replace("verdict: mixed", "verdict: false"),
            "[@beta-article]",
        ),
    );
    t.run(&["build"]).ok();
    assert!(
        t.read("public/verdicts/false/index.html")
            .contains("Third brief")
    );
}

#[test]
fn usage_errors_exit_2() {
    let t = SiteTest::empty();
    let run = crate::support::run({
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_verity"));
        c.args(["build", "--no-such-flag"]);
        c
    });
    assert_eq!(run.code, 2);
    let run = t.run(&["check", "--format", "xml"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let missing = t.path().join("nope");
    let run = crate::support::run({
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_verity"));
        c.arg("build").arg("--root").arg(&missing);
        c
    });
    assert_eq!(run.code, 2, "{}", run.stderr);
}
