//! Front matter: any bytes → decode → split → YAML → validated brief.
//! Must never panic; every problem is a diagnostic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use verity::config::SiteConfig;
use verity::content::{brief, front_matter};
use verity::fields::{Doc, Fields};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = verity::fs::decode_text(data.to_vec()) else { return };
    let Ok(split) = front_matter::split(&text) else { return };
    let Ok(value) = verity::yaml::parse(split.front) else { return };
    let config = SiteConfig::default_for(verity::config::DEFAULT_BASE_URL);
    let doc = Doc { file: "f.md", first_line: split.front_line };
    let fields = Fields::read(doc, value, brief::KEYS, "front matter");
    let body: std::sync::Arc<str> = split.body.into();
    let _ = brief::from_fields(fields, "f", &config, body, split.body_line);
});
