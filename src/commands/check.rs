//! `verity check`.

use super::{Failure, existing_root};
use crate::cli::{CheckArgs, Format};
use crate::diagnostics::Diagnostics;
use std::process::ExitCode;

pub(super) fn run(root: &std::path::Path, args: CheckArgs) -> Result<ExitCode, Failure> {
    existing_root(root)?;
    let options = crate::Options {
        drafts: args.drafts,
        base_url: None,
    };
    let (diagnostics, ok) = match crate::check(root, &options) {
        Ok(checked) => (checked.warnings, true),
        Err(crate::Error::Content(d)) => (d, false),
        Err(e) => return Err(e.into()),
    };
    print(&diagnostics, args.format, ok)?;
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn print(d: &Diagnostics, format: Format, ok: bool) -> Result<(), Failure> {
    match format {
        Format::Json => super::stdout(&format!("{}\n", d.json()))?,
        Format::Human => {
            eprint!("{}", d.human());
            if ok {
                eprintln!("no errors: the site is ready to build");
            }
        }
    }
    Ok(())
}
