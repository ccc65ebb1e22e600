//! The whole pipeline on one brief: load → resolve → render with the
//! built-in theme, from a site on disk whose brief is the fuzz input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn site() -> &'static tempfile::TempDir {
    static SITE: OnceLock<tempfile::TempDir> = OnceLock::new();
    SITE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("content/briefs")).expect("folders");
        std::fs::create_dir_all(dir.path().join("content/sources")).expect("folders");
        std::fs::write(dir.path().join("content/sources/a.yaml"), "url: https://x.example/a\ntitle: A\npublisher: P\n").expect("source");
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let dir = site();
    let _ = std::fs::write(dir.path().join("content/briefs/b.md"), data);
    if let Ok(checked) = verity::check(dir.path(), &verity::Options { drafts: true, base_url: None }) {
        let sink = |_: &str, _: Vec<u8>| Ok(());
        let _ = verity::render::render(&checked.site, &checked.theme, &sink);
    }
});
