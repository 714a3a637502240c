//! The project-local Python environment `.venv`: created on first use, with the pinned tools of
//! `python/requirements-dev.txt`.

use crate::workspace::{barter_crate_dir, root, run};
use anyhow::Result;
use camino::Utf8PathBuf;
use std::process::Command;

/// A program of `.venv/bin`, creating the environment first if needed.
pub fn venv_bin(program: &str) -> Result<Utf8PathBuf> {
    let venv = root().join(".venv");
    let requirements = root().join("python/requirements-dev.txt");
    let stamp = venv.join(".requirements-dev.txt");
    if !venv.join("bin/python").exists() {
        run(Command::new("python3").args(["-m", "venv", venv.as_str()]))?;
    }
    // Reinstall only when the pinned requirements change.
    if std::fs::read(&stamp).ok() != Some(std::fs::read(&requirements)?) {
        run(Command::new(venv.join("bin/python")).args([
            "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", requirements.as_str(),
        ]))?;
        std::fs::copy(&requirements, &stamp)?;
    }
    Ok(venv.join("bin").join(program))
}

/// Install a wheel into `.venv`, replacing any installed `barter`.
pub fn install_wheel(wheel: &Utf8PathBuf) -> Result<()> {
    run(Command::new(venv_bin("python")?).args([
        "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps", "--force-reinstall", wheel.as_str(),
    ]))
}

/// Run a Python script of the repository with `.venv`'s interpreter.
pub fn run_script(script: &str, args: &[&str]) -> Result<()> {
    run(Command::new(venv_bin("python")?)
        .arg(script)
        .args(args)
        .env("BARTER_CRATE_DIR", barter_crate_dir()?))
}

/// Run the Python tests against the installed wheel (`tests/python`, never the source tree).
pub fn pytest() -> Result<()> {
    run(Command::new(venv_bin("python")?)
        // The installed package's doctests run too (--pyargs: the wheel, not python/).
        .args(["-m", "pytest", "-q", "--doctest-modules", "tests/python", "--pyargs", "barter"])
        .env("BARTER_CRATE_DIR", barter_crate_dir()?))
}

/// Write the API reference of the installed package to `target/api/` (HTML, with pdoc) from the
/// docstrings `tests/python/test_docs.py` requires: barter's doc comments and the package's own.
pub fn api_docs() -> Result<()> {
    let out = root().join("target/api");
    // pdoc lists the submodules of `barter.__all__`; `barter.aio` is imported on its own.
    let args = ["--docformat", "restructuredtext", "--output-directory", out.as_str(), "barter", "barter.aio"];
    run(Command::new(venv_bin("python")?).arg(root().join("xtask/docs/pdoc_build.py")).args(args))?;
    println!("API reference: {out}/barter.html");
    Ok(())
}

/// `site-packages` of `.venv`.
pub fn site_packages() -> Result<Utf8PathBuf> {
    let output = Command::new(venv_bin("python")?)
        .args(["-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"])
        .output()?;
    Ok(Utf8PathBuf::from(String::from_utf8(output.stdout)?.trim()))
}
