//! A profile of a person or body making claims: `content/claimants/<id>.yaml`
//! (SPEC §4).

use crate::fields::Fields;

/// The keys of a claimant file.
pub const KEYS: &[&str] = &["name", "kind", "description", "role", "url", "same_as"];

/// What a claimant can be, for schema.org (`Person` or `Organization`).
pub const KINDS: &[&str] = &["person", "organization"];

/// One claimant profile, validated.
#[derive(Debug, Clone)]
pub struct Claimant {
    /// The file stem.
    pub id: String,
    /// The name briefs may use instead of the id.
    pub name: String,
    /// `person` (the default) or `organization`.
    pub kind: String,
    /// Who they are.
    pub description: Option<String>,
    /// Their position, e.g. "Secretary of State".
    pub role: Option<String>,
    /// Their own web site.
    pub url: Option<String>,
    /// Pages about the same entity (an encyclopedia entry …).
    pub same_as: Vec<String>,
}

/// Reads a claimant from its fields.
pub fn from_fields(f: &mut Fields<'_>, id: &str) -> Option<Claimant> {
    let name = f.text("name", true);
    let kind = match f.text("kind", false) {
        None => "person".to_string(),
        Some(k) if KINDS.contains(&k.as_str()) => k,
        Some(k) => {
            let d = f
                .error_at_value("kind", format!("unknown claimant kind `{k}`"))
                .with_help("use `person` or `organization`");
            f.push(d);
            "person".to_string()
        }
    };
    let description = f.text("description", false);
    let role = f.text("role", false);
    let url = f.url("url", false);
    let same_as = f.list("same_as");
    for link in &same_as {
        if let Err(message) = crate::fields::check_http_url(&link.text) {
            let d = link.error(f.doc().file, format!("`same_as`: {message}"));
            f.push(d);
        }
    }
    Some(Claimant {
        id: id.to_string(),
        name: name?,
        kind,
        description,
        role,
        url,
        same_as: same_as.into_iter().map(|l| l.text).collect(),
    })
}
