//! `verity build`.

use super::{Failure, existing_root, report};
use crate::cli::BuildArgs;
use std::process::ExitCode;
use std::time::Instant;

pub(super) fn run(root: &std::path::Path, args: BuildArgs) -> Result<ExitCode, Failure> {
    existing_root(root)?;
    let start = Instant::now();
    let out = args.output.unwrap_or_else(|| crate::default_output(root));
    let timings = args.timings;
    let options = crate::Options {
        drafts: args.drafts,
        base_url: args.base_url,
    };
    match crate::build(root, &out, &options) {
        Ok(built) => {
            report(&built.warnings);
            eprintln!(
                "built {} pages and {} static files into {} in {} ms",
                built.pages,
                built.static_files,
                out.display(),
                start.elapsed().as_millis()
            );
            if timings {
                eprint!("{}", built.timings.report());
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(crate::Error::Content(d)) => {
            report(&d);
            eprintln!("nothing was written: {} is unchanged", out.display());
            Ok(ExitCode::from(1))
        }
        Err(e) => Err(e.into()),
    }
}
