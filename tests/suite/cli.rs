use crate::support::{SiteTest, html, texts, verity};
use std::ffi::OsStr;

#[test]
fn init_writes_a_site_that_builds() {
    let t = SiteTest::empty();
    let dir = t.path().join("desk");
    verity([OsStr::new("init"), dir.as_os_str()]).ok();
    let ignored = std::fs::read_to_string(dir.join(".gitignore")).unwrap();
    assert!(
        ignored.lines().any(|l| l == "/.verity/") && ignored.lines().any(|l| l == "/public/"),
        "{ignored}"
    );
    let build = verity([OsStr::new("build"), OsStr::new("--root"), dir.as_os_str()]).ok();
    // The only warnings are about the starter pages, whose text is the
    // desk's to write.
    let warnings: Vec<&str> = build
        .stderr
        .lines()
        .filter(|l| l.contains("warning"))
        .collect();
    assert_eq!(warnings.len(), 6, "{}", build.stderr);
    assert!(
        warnings[..5].iter().all(
            |l| l.ends_with("warning: this page still holds the starter text of `verity init`")
        ),
        "{}",
        build.stderr
    );
    let home = html(&std::fs::read_to_string(dir.join("public/index.html")).unwrap());
    assert_eq!(texts(&home, ".brief-item__title a").len(), 1);
    assert!(
        dir.join("public/verity.css").exists(),
        "the built-in stylesheet is written"
    );
    // A second init into the same folder refuses.
    verity([OsStr::new("init"), dir.as_os_str()]).code(1);
}

#[test]
fn new_brief_writes_a_valid_draft_and_never_overwrites() {
    let t = SiteTest::fixture("basic");
    t.run(&["new", "brief", "Did the river really grow 10%?"])
        .ok();
    let path = "content/briefs/did-the-river-really-grow-10.md";
    let text = t.read(path);
    assert!(text.contains("title: \"Did the river really grow 10%?\""));
    t.run(&["check"]).ok();
    t.run(&["build", "--drafts"]).ok();
    assert!(t.exists("public/briefs/did-the-river-really-grow-10/index.html"));
    t.write(path, "edited");
    let run = t
        .run(&["new", "brief", "Did the river really grow 10%?"])
        .code(1);
    assert!(run.stderr.contains("already exists"), "{}", run.stderr);
    assert_eq!(t.read(path), "edited");
}

#[test]
fn a_reader_that_goes_away_is_not_a_crash() {
    // `verity check --format json | head -c 1`: the reader closes the pipe
    // before the report is written; the exit status is the check's, not a
    // panic's.
    let t = crate::support::SiteTest::fixture("basic");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_verity"))
        .args(["check", "--format", "json", "--root"])
        .arg(t.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
