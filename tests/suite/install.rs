//! Installing and shell conventions: `cargo install --locked --path .`,
//! `verity --version`, `verity completions SHELL`.

use crate::support::{SiteTest, repo, run, verity};
use std::process::Command;

/// Every subcommand a completion script must offer.
const COMMANDS: &[&str] = &[
    "build",
    "check",
    "watch",
    "serve",
    "new",
    "init",
    "completions",
];

#[test]
fn the_version_flag_prints_the_package_version() {
    for flag in ["--version", "-V"] {
        let out = verity([flag]).ok();
        assert_eq!(
            out.stdout,
            format!("verity {}\n", env!("CARGO_PKG_VERSION"))
        );
    }
}

#[test]
fn bash_completion_completes_commands_and_shells() {
    let script = verity(["completions", "bash"]).ok().stdout;
    let complete = |words: &str, current: usize| {
        let out = run({
            let mut c = Command::new("bash");
            c.arg("-c").arg(format!(
                "source /dev/stdin <<'EOF'\n{script}\nEOF\n\
                     COMP_WORDS=({words}); COMP_CWORD={current}; \
                     _verity verity \"${{COMP_WORDS[{current}]}}\" \"${{COMP_WORDS[{prev}]}}\"; \
                     printf '%s\\n' \"${{COMPREPLY[@]}}\"",
                prev = current - 1
            ));
            c
        });
        assert_eq!(out.code, 0, "{}", out.stderr);
        out.stdout.lines().map(str::to_string).collect::<Vec<_>>()
    };
    assert_eq!(complete("verity bu", 1), ["build"]);
    assert_eq!(complete("verity se", 1), ["serve"]);
    let shells = complete("verity completions ''", 2);
    for shell in ["bash", "zsh", "fish"] {
        assert!(shells.iter().any(|s| s == shell), "{shells:?}");
    }
    let flags = complete("verity build --", 2);
    for flag in ["--output", "--drafts", "--base-url", "--root"] {
        assert!(flags.iter().any(|s| s == flag), "{flags:?}");
    }
}

#[test]
fn zsh_and_fish_completion_scripts_offer_every_command() {
    let zsh = verity(["completions", "zsh"]).ok().stdout;
    assert!(zsh.starts_with("#compdef verity\n"), "{zsh}");
    let fish = verity(["completions", "fish"]).ok().stdout;
    for command in COMMANDS {
        assert!(
            zsh.lines().any(|l| l.starts_with(&format!("'{command}:"))),
            "zsh: no `{command}`"
        );
        assert!(
            fish.lines().any(|l| l.starts_with("complete -c verity")
                && l.contains("__fish_verity_needs_command")
                && l.contains(&format!("-a \"{command}\""))),
            "fish: no `{command}`"
        );
    }
    let unknown = verity(["completions", "tcsh"]).code(2);
    assert!(
        unknown.stderr.contains("possible values"),
        "{}",
        unknown.stderr
    );
}

/// `cargo install --locked --path .` as the README says, offline and into a
/// temporary folder. It reuses this test run's build folder, so it only
/// links what `cargo test` already compiled.
#[test]
fn cargo_install_from_the_repository_gives_a_working_binary() {
    let exe = std::path::PathBuf::from(env!("CARGO_BIN_EXE_verity"));
    let profile_dir = exe.parent().unwrap();
    let target_dir = profile_dir.parent().unwrap();
    let prefix = tempfile::tempdir().unwrap();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut install = Command::new(cargo);
    install
        .args(["install", "--locked", "--offline", "--path"])
        .arg(repo())
        .arg("--root")
        .arg(prefix.path())
        .env("CARGO_TARGET_DIR", target_dir);
    if profile_dir.file_name().is_some_and(|n| n == "debug") {
        install.arg("--debug");
    }
    let out = run(install);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let installed = prefix.path().join("bin/verity");
    let installed = |args: &[&std::ffi::OsStr]| {
        let mut c = Command::new(&installed);
        c.args(args);
        run(c)
    };
    let version = installed(&["--version".as_ref()]);
    assert_eq!(
        version.stdout,
        format!("verity {}\n", env!("CARGO_PKG_VERSION"))
    );
    let site = SiteTest::fixture("basic");
    installed(&["build".as_ref(), "--root".as_ref(), site.path().as_os_str()]).ok();
    assert!(site.exists("public/index.html"));
}
