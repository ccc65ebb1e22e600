//! The rules of `site.yaml`'s `policy:` that concern sources, checked
//! offline from the committed files by `verity check` and `verity build`.

use super::split_declared_at;
use crate::diagnostics::Diagnostic;
use crate::resolve::Site;
use std::collections::BTreeSet;

/// `require_archive: true`: every source a brief cites has an `archived`
/// copy. One error per source, at the line where it is declared.
pub fn check(site: &Site) -> Vec<Diagnostic> {
    if !site.config.policy.require_archive {
        return Vec::new();
    }
    let cited: BTreeSet<&str> = site
        .briefs
        .iter()
        .flat_map(|b| b.cited.iter().map(|c| c.id.as_str()))
        .collect();
    cited
        .into_iter()
        .filter_map(|id| site.sources.get(id))
        .filter(|node| node.source.archived.is_none())
        .map(|node| {
            let (file, line) = split_declared_at(&node.source.declared_at);
            Diagnostic::error(
                &file,
                line,
                1,
                format!(
                    "source `{}` is cited but has no archived copy (policy: require_archive)",
                    node.source.id
                ),
            )
            .with_help("run verity sources archive --write")
        })
        .collect()
}
