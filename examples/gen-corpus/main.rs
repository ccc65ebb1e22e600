//! Writes a generated desk of N briefs for benchmarks and experiments:
//!
//! ```text
//! cargo run --release --example gen-corpus -- DIR [--briefs N] [--seed S] [--hugo HUGO_DIR]
//! ```
//!
//! DIR gets the Verity site ([`verity::corpus`] says what is in it); with
//! `--hugo`, HUGO_DIR gets the same briefs as a Hugo site with its own
//! templates, so that `bench/compare` and `bench/serve` time both tools on
//! the same work. The same N and seed always give the same files.
#![allow(clippy::print_stderr)]

mod hugo;

use clap::Parser;
use std::path::PathBuf;
use std::process::ExitCode;
use verity::corpus::{Corpus, Options};

/// Write a generated fact-check desk (and, optionally, the same as a Hugo site).
#[derive(Parser)]
struct Args {
    /// The folder to write the Verity site into (it must hold no content/ yet).
    dir: PathBuf,
    /// How many briefs.
    #[arg(long, default_value_t = 1000)]
    briefs: usize,
    /// The seed; the same seed and count give the same site.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Also write the equivalent Hugo site into this folder.
    #[arg(long, value_name = "DIR")]
    hugo: Option<PathBuf>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let corpus = Corpus::generate(Options {
        briefs: args.briefs,
        seed: args.seed,
    });
    let mut result = corpus.write(&args.dir);
    if let (Ok(()), Some(dir)) = (&result, &args.hugo) {
        result = hugo::write(&corpus, dir);
    }
    match result {
        Ok(()) => {
            eprintln!("{} -> {}", corpus.summary(), args.dir.display());
            if let Some(dir) = &args.hugo {
                eprintln!("the same as a Hugo site -> {}", dir.display());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
