//! The citation and cross-link syntax over Markdown: any text renders
//! without panicking, and every citation mark points at a reference.
#![no_main]

use libfuzzer_sys::fuzz_target;
use verity::markdown::crosslinks::Target;
use verity::markdown::{Input, LinkTargets, Resolved, render};

struct Stub;
impl LinkTargets for Stub {
    fn target(&self, target: Target<'_>) -> Result<Resolved, Option<String>> {
        match target.name() {
            "a" | "b" => Ok(Resolved { url: "/x/".into(), title: "X".into() }),
            _ => Err(None),
        }
    }
    fn brief_file(&self, path: &str) -> Result<Resolved, Option<String>> {
        if path.ends_with("a.md") { Ok(Resolved { url: "/a/".into(), title: "A".into() }) } else { Err(None) }
    }
    fn source_exists(&self, id: &str) -> bool {
        id == "c"
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else { return };
    let declared = ["a", "b"];
    let out = render(Input { body, file: "content/briefs/x.md", first_line: 3, declared: Some(&declared), raw_html: &Default::default() }, &Stub);
    for (k, cited) in out.cited.iter().enumerate() {
        assert_eq!(cited.number, k + 1);
    }
    let _ = verity::markdown::citations::scan(body);
});
