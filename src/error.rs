//! Why a stage or a command failed: problems in the site's files, reported
//! all at once, or anything else. A leaf module, so every stage can name it
//! without importing the crate root that wires the stages together.

use crate::diagnostics::Diagnostics;

/// Why a command failed.
#[derive(Debug)]
pub enum Error {
    /// Problems in the site's files (exit status 1), reported all at once.
    Content(Diagnostics),
    /// Anything else: I/O, a path that cannot be used (exit status 1).
    Other(anyhow::Error),
}

impl From<anyhow::Error> for Error {
    fn from(e: anyhow::Error) -> Self {
        Error::Other(e)
    }
}

/// The result of a pipeline stage.
pub type Result<T> = std::result::Result<T, Error>;
