//! Paths of the workspace and running its commands.

use anyhow::{Context, Result, bail};
use camino::{Utf8Path, Utf8PathBuf};
use std::process::Command;

/// The repository root (the workspace that holds `xtask/`).
pub fn root() -> Utf8PathBuf {
    Utf8Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives inside the workspace")
        .to_owned()
}

/// Run a command from the repository root, failing if it fails.
pub fn run(command: &mut Command) -> Result<()> {
    let description = format!("{command:?}");
    let status = command
        .current_dir(root())
        .status()
        .with_context(|| format!("could not start {description}"))?;
    if !status.success() {
        bail!("{description} failed: {status}");
    }
    Ok(())
}

/// Run cargo (the one that runs this xtask) with the given arguments.
pub fn cargo(args: &[&str]) -> Result<()> {
    run(Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())).args(args))
}

/// Source folder of the `barter` crate that `Cargo.lock` resolves (it ships barter's example
/// config and market data, which tests and examples read from there).
pub fn barter_crate_dir() -> Result<Utf8PathBuf> {
    cargo_metadata()?
        .packages
        .iter()
        .find(|package| package.name.as_str() == "barter")
        .and_then(|package| package.manifest_path.parent().map(ToOwned::to_owned))
        .context("barter is not a dependency")
}

/// `cargo metadata` of the workspace, with every dependency as `Cargo.lock` resolves it.
pub fn cargo_metadata() -> Result<cargo_metadata::Metadata> {
    cargo_metadata::MetadataCommand::new()
        .current_dir(root())
        .exec()
        .context("cargo metadata")
}
