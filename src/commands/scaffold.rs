//! `verity new brief` and `verity init`.

use super::{Failure, existing_root};
use crate::cli::{InitArgs, NewArgs, NewWhat};
use std::process::ExitCode;

pub(super) fn new(root: &std::path::Path, args: NewArgs) -> Result<ExitCode, Failure> {
    existing_root(root)?;
    match args.what {
        NewWhat::Brief { title } => {
            let path = crate::scaffold::new_brief(root, &title)?;
            eprintln!(
                "wrote {} (a draft: set `draft: false` to publish it)",
                path.display()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) fn init(args: InitArgs) -> Result<ExitCode, Failure> {
    let done = crate::scaffold::init(&args.dir)?;
    for path in done.written {
        eprintln!("wrote {}", path.display());
    }
    for path in done.kept {
        eprintln!(
            "kept {} as it was (it already exists; see docs/publishing.md for what Verity would write)",
            path.display()
        );
    }
    eprintln!("next: verity build --root {}", args.dir.display());
    Ok(ExitCode::SUCCESS)
}
