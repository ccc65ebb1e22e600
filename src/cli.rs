//! The command line (SPEC §7), parsed by clap.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Verity: a static-site generator for fact-check briefs.
#[derive(Debug, Parser)]
#[command(name = "verity", version, about)]
pub struct Cli {
    /// The site's folder.
    #[arg(long, global = true, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check everything, then write the site.
    Build(BuildArgs),
    /// Run every check and write nothing.
    Check(CheckArgs),
    /// Build, then rebuild on every change until Ctrl-C.
    Watch(BuildArgs),
    /// Watch, and serve the site locally with live reload.
    Serve(ServeArgs),
    /// Create files.
    New(NewArgs),
    /// Write a new site into DIR.
    Init(InitArgs),
    /// Check the sources' links, or find archived copies (uses the network).
    Sources(SourcesArgs),
    /// Print the shell completion script for SHELL (bash, zsh, fish, elvish, powershell).
    Completions(CompletionsArgs),
}

/// `verity build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Where to write the site (default: ROOT/public).
    #[arg(long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Include drafts.
    #[arg(long)]
    pub drafts: bool,
    /// Replace site.yaml's base_url.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Print how long each stage of the build took.
    #[arg(long)]
    pub timings: bool,
}

/// `verity serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1", value_name = "ADDR")]
    pub bind: std::net::IpAddr,
    /// The port to listen on; the next free one if it is taken (0: any free port).
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Replace site.yaml's base_url (default: the server's own address).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Also answer requests for this host name (repeatable); by default only
    /// localhost, 127.0.0.1, `[::1]` and the listening address are answered.
    #[arg(long = "allowed-host", value_name = "NAME", value_parser = crate::serve::hosts::parse_name)]
    pub allowed_hosts: Vec<String>,
}

/// Report formats of `verity check`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// `file:line:col: severity: message` lines.
    Human,
    /// One JSON document for editors' tooling.
    Json,
}

/// `verity check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// How to report problems.
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Check drafts as if published.
    #[arg(long)]
    pub drafts: bool,
}

/// `verity new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// What to create.
    #[command(subcommand)]
    pub what: NewWhat,
}

/// What `verity new` creates.
#[derive(Debug, Subcommand)]
pub enum NewWhat {
    /// A draft brief skeleton under content/briefs/.
    Brief {
        /// The brief's title; the file name is its slug.
        title: String,
    },
}

/// `verity sources`.
#[derive(Debug, Args)]
pub struct SourcesArgs {
    /// What to do.
    #[command(subcommand)]
    pub what: SourcesWhat,
}

/// What `verity sources` does.
#[derive(Debug, Subcommand)]
pub enum SourcesWhat {
    /// Check every source's url and archived copy: ok, redirected, blocked, dead or transient; quotes still there.
    Check(SourcesCheckArgs),
    /// Find a Wayback Machine copy for each source without `archived`.
    Archive(SourcesArchiveArgs),
}

/// `verity sources check`.
#[derive(Debug, Args)]
pub struct SourcesCheckArgs {
    /// Only this source (repeat for more).
    #[arg(long = "source", value_name = "ID")]
    pub sources: Vec<String>,
    /// How to report.
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Ask every link again, whatever .verity/linkcache.json holds.
    #[arg(long)]
    pub no_cache: bool,
    /// Write `checked: {date, state}` into each source's file.
    #[arg(long)]
    pub record: bool,
    /// Fail on any dead link or missing quote.
    #[arg(long)]
    pub strict: bool,
}

/// `verity sources archive`.
#[derive(Debug, Args)]
pub struct SourcesArchiveArgs {
    /// Only this source (repeat for more).
    #[arg(long = "source", value_name = "ID")]
    pub sources: Vec<String>,
    /// Ask Save Page Now to archive pages that have no copy (needs keys).
    #[arg(long)]
    pub save: bool,
    /// Add `archived: URL` to each source (else only print it).
    #[arg(long)]
    pub write: bool,
    /// How to report.
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
}

/// `verity init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to create the site in.
    pub dir: PathBuf,
}

/// `verity completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[cfg(test)]
mod tests {
    #[test]
    fn cli_is_consistent() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
