//! `gen-bindings`: the release library, the wheel, and the generated foreign modules.

use crate::{
    python, python_classes,
    workspace::{barter_crate_dir, root, run},
};
use anyhow::{Context, Result, bail};
use camino::{Utf8Path, Utf8PathBuf};
use std::{collections::BTreeSet, process::Command};
use uniffi_bindgen::bindings::{GenerateOptions, TargetLanguage, generate};

const LANGUAGES: [(&str, TargetLanguage); 3] = [
    ("python", TargetLanguage::Python),
    ("kotlin", TargetLanguage::Kotlin),
    ("swift", TargetLanguage::Swift),
];

/// Build the wheel (the one release build), regenerate `generated/` from the library it holds,
/// check that the wheel carries exactly `generated/python`, and install it into `.venv`.
/// With `check`, generate into a scratch folder and fail if `generated/` differs.
pub fn gen_bindings(check: bool) -> Result<()> {
    let wheels = root().join("target/wheels");
    let _ = std::fs::remove_dir_all(&wheels);
    run(Command::new(python::venv_bin("maturin")?).args([
        "build", "--release", "--quiet", "--out", wheels.as_str(),
    ]))?;
    let wheel = single_file(&wheels, "whl")?;

    let generated = root().join("generated");
    let out = if check { root().join("target/generated-check") } else { generated.clone() };
    // The library maturin just built and put in the wheel.
    let library = root().join("target/release/libbarter_ffi.so");
    for (folder, language) in LANGUAGES {
        let out_dir = out.join(folder);
        let _ = std::fs::remove_dir_all(&out_dir);
        generate(GenerateOptions {
            languages: vec![language],
            source: library.clone(),
            out_dir,
            config_override: None,
            // Formatters differ between machines; unformatted output is reproducible.
            format: false,
            crate_filter: None,
            metadata_no_deps: false,
        })
        .with_context(|| format!("generating {folder} bindings from {library}"))?;
        if folder == "python" {
            python_classes::shape_file(&out.join(folder))?;
        }
    }
    if check {
        for (folder, _) in LANGUAGES {
            compare_trees(&out.join(folder), &generated.join(folder))?;
        }
    }

    python::install_wheel(&wheel)?;
    let installed = python::site_packages()?.join("barter/_ffi/barter_ffi.py");
    if std::fs::read(&installed)? != std::fs::read(generated.join("python/barter_ffi.py"))? {
        bail!("the wheel's {installed} differs from generated/python/barter_ffi.py");
    }
    println!("bindings: generated/ is current; installed {}", wheel.file_name().unwrap_or_default());
    Ok(())
}

/// Compile the generated Kotlin with Maven against the release library and run its tests.
pub fn kotlin_test() -> Result<()> {
    run(Command::new("mvn")
        .args(["--batch-mode", "--no-transfer-progress", "--file", "tests/kotlin/pom.xml", "test"])
        .env("BARTER_CRATE_DIR", barter_crate_dir()?))
}

fn single_file(dir: &Utf8Path, extension: &str) -> Result<Utf8PathBuf> {
    let mut files = dir
        .read_dir_utf8()?
        .filter_map(|entry| entry.ok().map(|entry| entry.into_path()))
        .filter(|path| path.extension() == Some(extension));
    match (files.next(), files.next()) {
        (Some(file), None) => Ok(file),
        _ => bail!("expected exactly one .{extension} in {dir}"),
    }
}

fn files_below(dir: &Utf8Path) -> Result<BTreeSet<Utf8PathBuf>> {
    let mut files = BTreeSet::new();
    if !dir.exists() {
        return Ok(files);
    }
    for entry in dir.read_dir_utf8()? {
        let path = entry?.into_path();
        if path.is_dir() {
            files.extend(files_below(&path)?.into_iter().map(|file| {
                Utf8PathBuf::from(path.file_name().unwrap_or_default()).join(file)
            }));
        } else {
            files.insert(Utf8PathBuf::from(path.file_name().unwrap_or_default()));
        }
    }
    Ok(files)
}

fn compare_trees(fresh: &Utf8Path, committed: &Utf8Path) -> Result<()> {
    let fresh_files = files_below(fresh)?;
    let committed_files = files_below(committed)?;
    let stale: Vec<_> = fresh_files
        .union(&committed_files)
        .filter(|file| std::fs::read(fresh.join(file)).ok() != std::fs::read(committed.join(file)).ok())
        .collect();
    if !stale.is_empty() {
        for file in &stale {
            eprintln!("stale: {}", committed.join(file));
        }
        bail!("generated/ is stale: run `cargo xtask gen-bindings` and commit the result");
    }
    Ok(())
}
