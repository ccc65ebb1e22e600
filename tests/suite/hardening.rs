//! Hostile input and faults (issue: nothing lost, nothing injected). Each
//! case asserts the exact diagnostic (or the exact safe output), exit status,
//! and that the previous `public/` is untouched.

use crate::support::{SiteTest, THIRD, THIRD_FRONT as FRONT, attrs, brief, html};
use std::time::{Duration, Instant};

/// Builds the fixture, applies `edit`, builds again: returns the second
/// run's stderr after checking exit 1 and an untouched `public/`.
#[track_caller]
fn rejected(edit: impl FnOnce(&SiteTest)) -> String {
    let t = SiteTest::fixture("basic");
    t.run(&["build"]).ok();
    let before = t.snapshot("public");
    edit(&t);
    let start = Instant::now();
    let run = t.run(&["build"]);
    assert!(
        start.elapsed() < Duration::from_secs(60),
        "took {:?}",
        start.elapsed()
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(before, t.snapshot("public"), "public/ changed");
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run.stderr
}

#[track_caller]
fn has_line(stderr: &str, line: &str) {
    assert!(
        stderr.lines().any(|l| l == line),
        "missing line:\n{line}\nin:\n{stderr}"
    );
}

#[test]
fn malformed_content_gets_exact_diagnostics() {
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty file", Vec::new(), "content/briefs/2025/third.md:1:1: error: the file does not start with front matter"),
        ("front matter not a mapping", b"---\n- a\n- b\n---\nx\n".to_vec(), "content/briefs/2025/third.md:2:1: error: the front matter must be a mapping of `key: value` lines"),
        (
            "billion laughs",
            b"---\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\ni: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n---\nx\n".to_vec(),
            "",
        ),
        ("date out of range", brief(&FRONT.replace("2025-02-01", "10000-01-01"), "[@beta-article]").into_bytes(), "content/briefs/2025/third.md:3:7: error: `10000-01-01` is not a valid date (expected YYYY-MM-DD or RFC 3339, e.g. 2025-01-06T09:30:00Z)"),
        ("unclosed cross-link", brief(FRONT, "[@beta-article] see [[older").into_bytes(), "content/briefs/2025/third.md:10:21: error: a cross-link `[[` is never closed with `]]`"),
        ("unclosed citation", brief(FRONT, "text [@beta-article").into_bytes(), "content/briefs/2025/third.md:10:6: error: malformed citation: the citation is never closed with `]`"),
        ("slug with a slash", brief(&format!("{FRONT}\nslug: a/../b"), "[@beta-article]").into_bytes(), "content/briefs/2025/third.md:9:1: error: slug `a/../b` must be lowercase letters, digits and single dashes"),
        ("slug with percent and spaces", brief(&format!("{FRONT}\nslug: \"a%20 b\""), "[@beta-article]").into_bytes(), "content/briefs/2025/third.md:9:1: error: slug `a%20 b` must be lowercase letters, digits and single dashes"),
        ("non-ASCII slug", brief(&format!("{FRONT}\nslug: café"), "[@beta-article]").into_bytes(), "content/briefs/2025/third.md:9:1: error: slug `café` must be lowercase letters, digits and single dashes"),
    ];
    for (name, bytes, line) in cases {
        let stderr = rejected(|t| std::fs::write(t.path().join(THIRD), &bytes).unwrap());
        if name == "billion laughs" {
            assert!(
                stderr.contains("content/briefs/2025/third.md:") && stderr.contains("error:"),
                "{name}: {stderr}"
            );
        } else {
            has_line(&stderr, line);
        }
    }
}

#[test]
fn bom_and_crlf_simply_work() {
    let t = SiteTest::fixture("basic");
    let text = format!(
        "\u{feff}{}",
        brief(FRONT, "Body with a citation [@beta-article].").replace('\n', "\r\n")
    );
    t.write(THIRD, &text);
    t.run(&["build"]).ok();
    let doc = html(&t.read("public/briefs/third/index.html"));
    assert_eq!(crate::support::texts(&doc, "h1"), ["Third brief"]);
    assert_eq!(crate::support::texts(&doc, "sup.citation a"), ["1"]);
}

#[test]
fn huge_inputs_build_without_crashing() {
    let t = SiteTest::fixture("basic");
    // A 1 MB line, 10,000 nested blockquotes and lists, 3,000 citations in
    // one paragraph, and a ~50 MB body.
    let long_line = "word ".repeat(200_000);
    let nested_quotes = ">".repeat(10_000) + " deep";
    let nested_lists: String = (0..10_000)
        .map(|i| format!("{}- item\n", "  ".repeat(i)))
        .collect();
    let citations = "[@beta-article] ".repeat(3_000);
    t.write(
        THIRD,
        &brief(
            FRONT,
            &format!("{long_line}\n\n{nested_quotes}\n\n{nested_lists}\n\n{citations}"),
        ),
    );
    let big = "A paragraph of ordinary words that goes on for a while. "
        .repeat(16)
        .repeat(1_000)
        + "\n\n";
    let body = big.repeat(56) + "[@beta-article]";
    assert!(body.len() > 50_000_000);
    t.write(
        "content/briefs/2025/big.md",
        &brief(&FRONT.replace("Third brief", "Big"), &body),
    );
    let run = t.run(&["build"]);
    assert_eq!(run.code, 0, "{}", &run.stderr[..run.stderr.len().min(2000)]);
    let third = t.read("public/briefs/third/index.html");
    assert!(third.contains("cite-1-3000"), "3,000 marks, all numbered 1");
    assert!(
        std::fs::metadata(t.path().join("public/briefs/big/index.html"))
            .unwrap()
            .len()
            > 50_000_000
    );
}

#[test]
fn duplicate_and_case_only_slugs_collide() {
    let stderr = rejected(|t| {
        t.write(
            "content/briefs/2025/Third.md",
            &brief(&FRONT.replace("Third brief", "Other"), "[@beta-article]"),
        );
    });
    assert!(
        stderr.contains(
            "error: the brief slug `third` is already used by content/briefs/2025/Third.md"
        ) || stderr.contains(
            "error: the brief slug `third` is already used by content/briefs/2025/third.md"
        ),
        "{stderr}"
    );
}

#[test]
fn templates_that_recurse_or_fail_point_to_their_line() {
    let stderr = rejected(|t| {
        t.write(
            "templates/partials/loop.html",
            "x {% include \"partials/loop.html\" %}",
        );
        t.write("templates/tag.html", "{% extends \"base.html\" %}{% block content %}{% include \"partials/loop.html\" %}{% endblock %}");
    });
    assert!(
        stderr.contains("templates/partials/loop.html:") && stderr.contains("circle"),
        "{stderr}"
    );
    let stderr = rejected(|t| {
        t.write(
            "templates/tag.html",
            "{% extends \"base.html\" %}\n{% block content %}\n\n{{ tag.nope }}{% endblock %}",
        );
    });
    assert!(stderr.contains("templates/tag.html:4:"), "{stderr}");
    assert!(stderr.contains("while rendering /desk/tags/"), "{stderr}");
}

#[test]
fn script_urls_are_errors_wherever_they_are_written() {
    let sources = [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "\" javascript:alert(1)\"",
        "\"java\\tscript:alert(1)\"",
        "java&#x73;cript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
    ];
    for url in sources {
        let stderr = rejected(|t| {
            t.write(
                "content/sources/beta-article.yaml",
                &format!("url: {url}\ntitle: Beta article\npublisher: Beta Times\n"),
            );
        });
        assert!(
            stderr
                .lines()
                .any(|l| l.starts_with("content/sources/beta-article.yaml:1:")
                    && l.contains("error: `url`")),
            "{url}: {stderr}"
        );
    }
    let bodies = [
        ("[x](javascript:alert(1))", 10, 17),
        ("[x](JAVASCRIPT:alert(1))", 10, 17),
        ("[x](java&#x73;cript:alert(1))", 10, 17),
        ("[x](java&#9;script:alert(1))", 10, 17),
        ("<vbscript:msgbox(1)>", 10, 17),
        ("![i](data:image/svg+xml,<svg/onload=alert(1)>)", 10, 17),
        ("[x][r]\n\n[r]: javascript:alert(1)", 10, 17),
    ];
    for (body, line, col) in bodies {
        let stderr = rejected(|t| {
            t.write(THIRD, &brief(FRONT, &format!("[@beta-article] {body}")));
        });
        let want = format!("content/briefs/2025/third.md:{line}:{col}: error: a link to a `");
        assert!(
            stderr
                .lines()
                .any(|l| l.starts_with(&want) && l.ends_with(":` URL is not allowed")),
            "{body}: {stderr}"
        );
    }
}

#[test]
fn yaml_text_is_only_ever_text_in_every_output() {
    let t = SiteTest::fixture("basic");
    let evil = "<img src=x onerror=alert(1)>\\\"</title></script>]]>";
    t.write(
        THIRD,
        &format!(
            "---\ntitle: \"T {evil}\"\ndate: 2025-02-01\nclaim: \"C {evil}\"\nclaimant: \"N {evil}\"\nverdict: mixed\nsummary: \"S {evil}\"\ntags: [\"{evil}\"]\nsources: [beta-article]\ncorrections:\n  - date: 2025-02-02\n    note: \"K {evil}\"\n  - date: 2025-02-03\n    kind: verdict-change\n    previous_verdict: \"false\"\n    note: \"V {evil}\"\n---\n[@beta-article]\n"
        ),
    );
    t.write(
        "content/sources/beta-article.yaml",
        &format!("url: https://x.example/b\ntitle: \"B {evil}\"\npublisher: \"P {evil}\"\n"),
    );
    let settings = t.read("site.yaml");
    t.write(
        "site.yaml",
        &format!("{settings}claimant_note: \"M {evil}\"\n"),
    );
    t.run(&["build"]).ok();
    let raw = "<img src=x onerror=alert(1)>\"</title></script>]]>";
    for (path, bytes) in t.snapshot("public") {
        let text = String::from_utf8_lossy(&bytes);
        if path.ends_with(".html") {
            let doc = html(&text);
            assert!(
                attrs(&doc, "img", "onerror").is_empty(),
                "{path}: an <img> was injected"
            );
            assert!(!text.contains("<img src=x"), "{path}");
        }
        if path.ends_with(".xml") {
            roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
            assert!(!text.contains("<img src=x"), "{path}");
        }
        if path.ends_with(".json") {
            let v: serde_json::Value =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
            assert!(v.to_string().contains("onerror") || !text.contains("onerror"));
        }
    }
    let feed = feed_rs::parser::parse(t.read("public/feed.xml").as_bytes()).unwrap();
    assert_eq!(
        feed.entries[0].title.as_ref().unwrap().content,
        format!("T {raw}")
    );
    let page = html(&t.read("public/briefs/third/index.html"));
    assert_eq!(crate::support::texts(&page, "h1"), [format!("T {raw}")]);
    // The corrections page and feed, and the claimant's note.
    let corrections =
        feed_rs::parser::parse(t.read("public/corrections/feed.xml").as_bytes()).unwrap();
    assert_eq!(
        corrections.entries[0].summary.as_ref().unwrap().content,
        format!("Verdict changed from False to Mixed. V {raw}")
    );
    let page = html(&t.read("public/corrections/index.html"));
    assert_eq!(
        crate::support::texts(&page, ".corrections-log__note")[..2],
        [format!("V {raw}"), format!("K {raw}")]
    );
    let claimant = html(&t.read("public/claimants/jane-doe/index.html"));
    assert_eq!(
        crate::support::texts(&claimant, ".tally__note"),
        [format!("M {raw}")]
    );
}

#[test]
fn symlinks_in_content_are_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("x.md"), brief(FRONT, "[@beta-article]")).unwrap();
    let stderr = rejected(|t| {
        std::os::unix::fs::symlink(
            outside.path().join("x.md"),
            t.path().join("content/briefs/2025/linked.md"),
        )
        .unwrap();
        std::os::unix::fs::symlink(
            t.path().join("content/briefs"),
            t.path().join("content/briefs/2025/loop"),
        )
        .unwrap();
    });
    has_line(
        &stderr,
        "content/briefs/2025/linked.md:1:1: error: this is a symbolic link; Verity does not follow links in content/",
    );
    has_line(
        &stderr,
        "content/briefs/2025/loop:1:1: error: this is a symbolic link; Verity does not follow links in content/",
    );
}

#[test]
fn concurrent_builds_never_mix() {
    let t = SiteTest::fixture("basic");
    t.run(&["build"]).ok();
    let want = t.snapshot("public");
    let spawn = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_verity"))
            .args(["build", "--root"])
            .arg(t.path())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    let mut children: Vec<_> = (0..4).map(|_| spawn()).collect();
    for c in &mut children {
        assert!(c.wait().unwrap().success());
    }
    assert_eq!(want, t.snapshot("public"));
}

#[test]
fn a_build_killed_at_any_moment_leaves_the_previous_output_complete() {
    let (t, corpus) = crate::support::corpus(400);
    t.run(&["build"]).ok();
    let want = t.snapshot("public");
    // Change one published brief so a finished build would differ.
    let published = corpus.published().next().unwrap();
    let victim = t.path().join(published.file());
    let original = std::fs::read_to_string(&victim).unwrap();
    std::fs::write(
        &victim,
        original.replacen("title: \"", "title: \"Edited ", 1),
    )
    .unwrap();
    let start = Instant::now();
    t.run(&["build"]).ok();
    let full = start.elapsed();
    std::fs::write(&victim, &original).unwrap();
    t.run(&["build"]).ok();
    std::fs::write(
        &victim,
        original.replacen("title: \"", "title: \"Edited ", 1),
    )
    .unwrap();
    // Kill builds at moments spread over a whole build.
    for k in 0..12u32 {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_verity"))
            .args(["build", "--root"])
            .arg(t.path())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(full * k / 10);
        let _ = child.kill();
        let _ = child.wait();
        let now = t.snapshot("public");
        let edited = now
            .iter()
            .any(|(_, b)| String::from_utf8_lossy(b).contains("Edited "));
        if edited {
            // The build finished before the kill: then it is complete.
            assert_eq!(
                now.len(),
                want.len(),
                "kill {k}: a finished build lost files"
            );
        } else {
            assert_eq!(now, want, "kill {k}: the previous output is not intact");
        }
    }
    // The next build cleans up whatever the killed ones left.
    t.run(&["build"]).ok();
    let leftovers = t.staging_leftovers();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// A full or read-only output disk: needs root to mount a small tmpfs.
#[test]
fn a_full_or_read_only_disk_leaves_the_previous_output() {
    let mnt = tempfile::tempdir().unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=2m", "tmpfs"])
        .arg(mnt.path())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        assert!(
            std::env::var("CI").is_err(),
            "CI runs as root and must be able to mount a tmpfs"
        );
        eprintln!("skipped: mounting a small tmpfs needs root");
        return;
    }
    let unmount = || {
        let _ = std::process::Command::new("umount")
            .arg(mnt.path())
            .status();
    };
    let t = SiteTest::fixture("basic");
    let out = mnt.path().join("public");
    let out_arg = out.to_str().unwrap().to_string();
    let result = std::panic::catch_unwind(|| {
        t.run(&["build", "--output", &out_arg]).ok();
        let snapshot = || -> Vec<(String, Vec<u8>)> {
            let mut v: Vec<_> = walkdir::WalkDir::new(&out)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .map(|e| {
                    (
                        e.path().display().to_string(),
                        std::fs::read(e.path()).unwrap(),
                    )
                })
                .collect();
            v.sort();
            v
        };
        let before = snapshot();
        // Full: a 3 MB static file cannot fit.
        t.write("static/big.bin", &"x".repeat(3 << 20));
        let run = t.run(&["build", "--output", &out_arg]).code(1);
        assert!(
            run.stderr.contains("No space left on device"),
            "{}",
            run.stderr
        );
        assert_eq!(before, snapshot());
        // Read-only.
        t.remove("static/big.bin");
        assert!(
            std::process::Command::new("mount")
                .args(["-o", "remount,ro"])
                .arg(mnt.path())
                .status()
                .unwrap()
                .success()
        );
        let run = t.run(&["build", "--output", &out_arg]).code(1);
        assert!(
            run.stderr.contains("Read-only file system"),
            "{}",
            run.stderr
        );
        assert_eq!(before, snapshot());
    });
    unmount();
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}

/// An unreadable file is a diagnostic, not an abort. Root reads anything,
/// so the binary runs as `nobody` (through util-linux's setpriv).
#[test]
fn an_unreadable_file_is_a_diagnostic() {
    let t = SiteTest::fixture("basic");
    let dir = t.path();
    let bin = dir.join("verity-bin");
    std::fs::copy(env!("CARGO_BIN_EXE_verity"), &bin).unwrap();
    let _ = std::process::Command::new("chmod")
        .args(["-R", "a+rX"])
        .arg(dir)
        .status();
    let _ = std::process::Command::new("chmod")
        .arg("755")
        .arg(dir)
        .status();
    let _ = std::process::Command::new("chmod")
        .arg("000")
        .arg(dir.join(THIRD))
        .status();
    let run = std::process::Command::new("setpriv")
        .args(["--reuid", "65534", "--regid", "65534", "--clear-groups"])
        .arg(&bin)
        .arg("check")
        .arg("--root")
        .arg(dir)
        .output();
    let Some(out) = run
        .ok()
        .filter(|o| !String::from_utf8_lossy(&o.stderr).contains("setpriv:"))
    else {
        assert!(std::env::var("CI").is_err(), "CI runs as root with setpriv");
        eprintln!("skipped: needs root and setpriv to drop privileges");
        return;
    };
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    has_line(
        &stderr,
        "content/briefs/2025/third.md:1:1: error: cannot read the file: Permission denied (os error 13)",
    );
    has_line(&stderr, "  help: check the file's permissions");
}
