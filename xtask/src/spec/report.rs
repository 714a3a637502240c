//! The coverage report: per crate and per module, bound, excluded and missing types, written as
//! Markdown (committed, linked from the README), JSON (for tools) and HTML, under
//! `generated/coverage/`, and summarised on the terminal.

use super::{Inputs, Status, barter::Kind};
use crate::workspace::root;
use anyhow::{Result, bail};
use askama::Template;
use serde::Serialize;

#[derive(Serialize)]
pub struct Report {
    pub crates: Vec<CrateReport>,
}

#[derive(Serialize)]
pub struct CrateReport {
    pub name: String,
    pub counts: Counts,
    pub modules: Vec<ModuleReport>,
}

#[derive(Serialize)]
pub struct ModuleReport {
    pub path: String,
    pub counts: Counts,
    pub types: Vec<TypeReport>,
}

#[derive(Serialize, Default, Clone, Copy)]
pub struct Counts {
    pub bound: usize,
    pub excluded: usize,
    pub missing: usize,
}

impl Counts {
    /// Bound share of the types that are not excluded.
    pub fn percent_bound(&self) -> String {
        match self.bound + self.missing {
            0 => "100.0".into(),
            total => format!("{:.1}", 100.0 * self.bound as f64 / total as f64),
        }
    }

    fn add(&mut self, other: Counts) {
        self.bound += other.bound;
        self.excluded += other.excluded;
        self.missing += other.missing;
    }
}

#[derive(Serialize)]
pub struct TypeReport {
    pub path: String,
    pub kind: Kind,
    pub generics: Vec<String>,
    /// `bound`, `excluded` or `missing`.
    pub status: &'static str,
    /// Python names (bound), or the category and reason (excluded), or the tracking note (missing).
    pub detail: String,
}

impl Report {
    pub fn new(inputs: &Inputs) -> Self {
        let crates = inputs
            .types
            .iter()
            .map(|(name, types)| {
                let mut modules: Vec<ModuleReport> = Vec::new();
                for ty in types {
                    let module = ty.path.rsplit_once("::").map_or("", |(module, _)| module).to_owned();
                    let (status, detail) = match inputs.status(&ty.path) {
                        Status::Bound(bound) if bound.instantiations.is_empty() => ("bound", bound.names.join(", ")),
                        Status::Bound(bound) => ("bound", format!("{} (at {})", bound.names.join(", "), bound.instantiations.join("; "))),
                        Status::Excluded(exclusion) => ("excluded", format!("{}: {}", exclusion.category, exclusion.reason)),
                        Status::Pending(note) => ("missing", format!("pending: {note}")),
                        Status::Missing => ("missing", "not in the spec".into()),
                    };
                    if modules.last().is_none_or(|last| last.path != module) {
                        modules.push(ModuleReport { path: module, counts: Counts::default(), types: Vec::new() });
                    }
                    let current = modules.last_mut().expect("pushed above");
                    match status {
                        "bound" => current.counts.bound += 1,
                        "excluded" => current.counts.excluded += 1,
                        _ => current.counts.missing += 1,
                    }
                    current.types.push(TypeReport { path: ty.path.clone(), kind: ty.kind, generics: ty.generics.clone(), status, detail });
                }
                let mut counts = Counts::default();
                modules.iter().for_each(|module| counts.add(module.counts));
                CrateReport { name: name.clone(), counts, modules }
            })
            .collect();
        Self { crates }
    }

    fn total(&self) -> Counts {
        let mut total = Counts::default();
        self.crates.iter().for_each(|krate| total.add(krate.counts));
        total
    }
}

#[derive(Template)]
#[template(path = "coverage.md", escape = "none")]
struct Markdown<'a> {
    report: &'a Report,
    total: Counts,
}

#[derive(Template)]
#[template(path = "coverage.html")]
struct Html<'a> {
    report: &'a Report,
    total: Counts,
}

/// Write the report (or, with `check`, fail if the committed one differs) and print a summary.
pub fn write(report: &Report, check: bool) -> Result<()> {
    let total = report.total();
    let files = [
        ("coverage.md", Markdown { report, total }.render()?),
        ("coverage.json", serde_json::to_string_pretty(report)? + "\n"),
        ("coverage.html", Html { report, total }.render()?),
    ];
    let dir = root().join("generated/coverage");
    std::fs::create_dir_all(&dir)?;
    for (name, text) in &files {
        let path = dir.join(name);
        if check {
            if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
                bail!("{path} is stale: run `cargo xtask coverage` and commit the result");
            }
        } else {
            std::fs::write(&path, text)?;
        }
    }
    println!("{:<20} {:>6} {:>9} {:>8} {:>8}", "crate", "bound", "excluded", "missing", "bound %");
    for krate in &report.crates {
        let c = krate.counts;
        println!("{:<20} {:>6} {:>9} {:>8} {:>7}%", krate.name, c.bound, c.excluded, c.missing, c.percent_bound());
    }
    println!("{:<20} {:>6} {:>9} {:>8} {:>7}%", "all", total.bound, total.excluded, total.missing, total.percent_bound());
    println!("report: generated/coverage/coverage.{{md,json,html}}");
    Ok(())
}
