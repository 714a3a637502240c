//! `spec-check` and `coverage`: every public type of barter is bound, excluded with a reason, or
//! listed as pending, and the report of what is bound.
//!
//! Barter's side comes from its sources (`barter.rs`, a `syn` walk of the crates `Cargo.lock`
//! resolves); the bindings' side from the built library's UniFFI metadata (`bindings.rs`); the
//! committed `xtask/spec.toml` joins the two.

mod barter;
mod bindings;
mod report;

use crate::workspace::{cargo_metadata, root};
use anyhow::{Context, Result, bail};
use barter::PublicType;
use bindings::ExportKind;
use camino::Utf8PathBuf;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The barter crates the bindings account for, by package name.
pub const CRATES: [&str; 6] = ["barter", "barter-data", "barter-execution", "barter-instrument", "barter-integration", "barter-macro"];

/// `xtask/spec.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// Why a type may be left out: category name → what it means.
    pub categories: BTreeMap<String, String>,
    /// Barter path → the exported names that bind it.
    pub bound: BTreeMap<String, Bound>,
    /// Types (exact path) or module subtrees (path ending in `::`) deliberately left out.
    #[serde(default)]
    pub excluded: Vec<Exclusion>,
    /// Types acknowledged but not bound yet: counted as missing, but not an error.
    #[serde(default)]
    pub pending: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bound {
    /// Exported names, as Python sees them.
    #[serde(rename = "as")]
    pub names: Vec<String>,
    /// For a generic type, the instantiations bound.
    #[serde(default)]
    pub instantiations: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exclusion {
    pub path: String,
    pub category: String,
    pub reason: String,
}

impl Exclusion {
    fn covers(&self, path: &str) -> bool {
        if self.path.ends_with("::") { path.starts_with(&self.path) } else { path == self.path }
    }
}

/// What the spec says of one barter type.
#[derive(Debug)]
pub enum Status<'a> {
    Bound(&'a Bound),
    Excluded(&'a Exclusion),
    Pending(&'a str),
    Missing,
}

pub struct Inputs {
    pub spec: Spec,
    /// Package name → its public types.
    pub types: Vec<(String, Vec<PublicType>)>,
    pub exported: BTreeMap<String, ExportKind>,
}

impl Inputs {
    pub fn load(spec_path: &Utf8PathBuf, library: &Utf8PathBuf, crates: &[(String, Utf8PathBuf)]) -> Result<Self> {
        let spec = toml::from_str(&std::fs::read_to_string(spec_path).with_context(|| format!("reading {spec_path}"))?)
            .with_context(|| format!("parsing {spec_path}"))?;
        let types = crates
            .iter()
            .map(|(package, lib)| Ok((package.clone(), barter::public_types(&package.replace('-', "_"), lib)?)))
            .collect::<Result<_>>()?;
        Ok(Self { spec, types, exported: bindings::exported(library)? })
    }

    pub fn status(&self, path: &str) -> Status<'_> {
        if let Some(bound) = self.spec.bound.get(path) {
            Status::Bound(bound)
        } else if let Some(exclusion) = self.spec.excluded.iter().find(|exclusion| exclusion.covers(path)) {
            Status::Excluded(exclusion)
        } else if let Some(issue) = self.spec.pending.get(path) {
            Status::Pending(issue)
        } else {
            Status::Missing
        }
    }

    /// Every way the spec disagrees with barter or with the library.
    pub fn problems(&self) -> Vec<String> {
        let all: Vec<&PublicType> = self.types.iter().flat_map(|(_, types)| types).collect();
        let exists = |path: &str| all.iter().any(|ty| ty.path == path);
        let mut problems = Vec::new();
        for ty in &all {
            if let Status::Missing = self.status(&ty.path) {
                problems.push(format!("{}: neither bound nor excluded", ty.path));
            }
        }
        for (path, bound) in &self.spec.bound {
            if !exists(path) {
                problems.push(format!("{path}: bound in the spec, but barter has no such type"));
            }
            for name in &bound.names {
                if !self.exported.contains_key(name) {
                    problems.push(format!("{path}: the spec binds it as {name}, which the library does not export"));
                }
            }
        }
        for path in self.spec.pending.keys() {
            if !exists(path) {
                problems.push(format!("{path}: pending in the spec, but barter has no such type"));
            }
        }
        for exclusion in &self.spec.excluded {
            if !all.iter().any(|ty| exclusion.covers(&ty.path)) {
                problems.push(format!("{}: excluded in the spec, but barter has no such type", exclusion.path));
            }
            if !self.spec.categories.contains_key(&exclusion.category) {
                problems.push(format!("{}: unknown exclusion category {}", exclusion.path, exclusion.category));
            }
        }
        problems
    }
}

/// The lib.rs of every barter crate that `Cargo.lock` resolves.
pub fn barter_crates() -> Result<Vec<(String, Utf8PathBuf)>> {
    let metadata = cargo_metadata()?;
    CRATES
        .iter()
        .map(|name| {
            let package = metadata.packages.iter().find(|p| p.name.as_str() == *name).with_context(|| format!("{name} is not a dependency"))?;
            let lib = package.targets.iter().find(|t| t.is_lib() || t.is_proc_macro()).with_context(|| format!("{name} has no library"))?;
            Ok((name.to_string(), lib.src_path.clone()))
        })
        .collect()
}

fn inputs() -> Result<Inputs> {
    let library = root().join("target/release/libbarter_ffi.so");
    if !library.exists() {
        bail!("{library} is missing: run `cargo xtask gen-bindings` first");
    }
    Inputs::load(&root().join("xtask/spec.toml"), &library, &barter_crates()?)
}

/// `cargo xtask spec-check`.
pub fn spec_check() -> Result<()> {
    let inputs = inputs()?;
    let problems = inputs.problems();
    for problem in &problems {
        eprintln!("spec: {problem}");
    }
    if !problems.is_empty() {
        bail!("{} problems between xtask/spec.toml, barter and the library", problems.len());
    }
    let count: usize = inputs.types.iter().map(|(_, types)| types.len()).sum();
    println!("spec: all {count} public types of barter are bound, excluded or pending");
    Ok(())
}

/// `cargo xtask coverage [--check]`.
pub fn coverage(check: bool) -> Result<()> {
    report::write(&report::Report::new(&inputs()?), check)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(spec: &str) -> Inputs {
        let lib = Utf8PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixture/src/lib.rs"));
        Inputs {
            spec: toml::from_str(spec).unwrap(),
            types: vec![("fixture".into(), barter::public_types("fixture", &lib).unwrap())],
            exported: BTreeMap::from([("Flat".into(), ExportKind::Enum), ("Generic".into(), ExportKind::Record)]),
        }
    }

    const COMPLETE: &str = r#"
        [categories]
        compile-time = "only used by the compiler"
        [bound]
        "fixture::Flat" = { as = ["Flat"] }
        "fixture::nested::Generic" = { as = ["Generic"], instantiations = ["u8"] }
        [pending]
        "fixture::inline::Inline" = "issue 4"
        [[excluded]]
        path = "fixture::nested::deeper::"
        category = "compile-time"
        reason = "aliases and traits"
    "#;

    #[test]
    fn a_complete_spec_passes() {
        assert_eq!(fixture(COMPLETE).problems(), Vec::<String>::new());
    }

    #[test]
    fn spec_check_fails_on_real_gaps() {
        struct TestCase {
            spec: String,
            exported: Option<&'static str>,
            expected: &'static str,
        }
        let cases = [
            // TC0: a public type barter added, neither bound nor excluded
            TestCase { spec: COMPLETE.replace(r#""fixture::inline::Inline" = "issue 4""#, ""), exported: None, expected: "fixture::inline::Inline: neither bound nor excluded" },
            // TC1: a binding the library no longer exports
            TestCase { spec: COMPLETE.into(), exported: Some("Generic"), expected: "fixture::nested::Generic: the spec binds it as Generic, which the library does not export" },
            // TC2: the spec names a type barter no longer has
            TestCase { spec: COMPLETE.replace("[pending]", "[pending]\n\"fixture::Gone\" = \"issue 4\""), exported: None, expected: "fixture::Gone: pending in the spec, but barter has no such type" },
            // TC3: an exclusion in an unknown category
            TestCase { spec: COMPLETE.replace(r#"category = "compile-time""#, r#"category = "because""#), exported: None, expected: "fixture::nested::deeper::: unknown exclusion category because" },
        ];
        for (index, case) in cases.into_iter().enumerate() {
            let mut inputs = fixture(&case.spec);
            if let Some(name) = case.exported {
                inputs.exported.remove(name);
            }
            assert_eq!(inputs.problems(), vec![case.expected.to_owned()], "TC{index} failed");
        }
    }
}
