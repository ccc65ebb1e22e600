use crate::support::SiteTest;

#[test]
fn builds_are_byte_identical() {
    let t = SiteTest::fixture("basic");
    t.run(&["build"]).ok();
    let first = t.snapshot("public");
    t.run(&["build"]).ok();
    assert_eq!(first, t.snapshot("public"));
    let u = SiteTest::example();
    u.run(&["build"]).ok();
    let a = u.snapshot("public");
    u.run(&["build"]).ok();
    assert_eq!(a, u.snapshot("public"));
}

#[test]
fn stale_files_do_not_survive_and_no_staging_is_left() {
    let t = SiteTest::fixture("basic");
    t.run(&["build"]).ok();
    t.write("public/stale.html", "old");
    t.remove("content/briefs/2025/third.md");
    t.run(&["build"]).ok();
    assert!(!t.exists("public/stale.html"));
    assert!(!t.exists("public/briefs/third/index.html"));
    let leftovers = t.staging_leftovers();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_failed_build_leaves_the_previous_output_and_no_staging() {
    let t = SiteTest::fixture("basic");
    t.run(&["build"]).ok();
    let before = t.snapshot("public");
    t.write(
        "templates/tag.html",
        "{% extends \"base.html\" %}{% block content %}{{ nope }}{% endblock %}",
    );
    t.run(&["build"]).code(1);
    assert_eq!(before, t.snapshot("public"));
    let leftovers = t.staging_leftovers();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn static_files_are_copied_and_may_replace_the_stylesheet() {
    let t = SiteTest::fixture("basic");
    t.write(
        "static/img/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    t.write("static/verity.css", "body{}");
    t.run(&["build"]).ok();
    assert_eq!(
        t.read("public/img/logo.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"
    );
    assert_eq!(t.read("public/verity.css"), "body{}");
}

#[test]
fn output_inside_content_is_refused() {
    let t = SiteTest::fixture("basic");
    let run = t
        .run(&[
            "build",
            "--output",
            t.path().join("content/out").to_str().unwrap(),
        ])
        .code(1);
    assert!(run.stderr.contains("refusing to write"), "{}", run.stderr);
    assert!(!t.exists("content/out"));
}
