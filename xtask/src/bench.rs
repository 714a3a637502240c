//! `bench`: barter's workloads started from Python against the same work in native barter, in
//! one run, with warm-up and repeats. Results go to `target/bench/results.{md,json,png}`.

use crate::{
    bindings, python,
    workspace::{barter_crate_dir, cargo, root, run},
};
use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use std::{collections::BTreeMap, fmt::Write, process::Command};

/// One measurement as the two bench programs print it.
#[derive(Deserialize)]
struct Sample {
    name: String,
    #[serde(default)]
    seconds: Vec<f64>,
    #[serde(default)]
    items: u64,
    value: Option<f64>,
}

#[derive(Serialize)]
struct Stat {
    median_s: f64,
    min_s: f64,
    max_s: f64,
    items_per_s: f64,
}

#[derive(Serialize)]
struct Row {
    name: String,
    native: Option<Stat>,
    python: Option<Stat>,
    /// Python / native median time (or value).
    ratio: Option<f64>,
    native_value: Option<f64>,
    python_value: Option<f64>,
}

pub fn bench(repeats: usize) -> Result<()> {
    bindings::gen_bindings(false)?;
    // -p: the package alone, as maturin builds it, so the release build of barter is shared.
    cargo(&["build", "--release", "--package", "barter-ffi", "--example", "bench_native"])?;
    let barter = barter_crate_dir()?;
    let native = samples(Command::new(root().join("target/release/examples/bench_native")).arg(repeats.to_string()).env("BARTER_CRATE_DIR", &barter))?;
    let python = samples(Command::new(python::venv_bin("python")?).arg(root().join("xtask/bench/bench.py")).arg(repeats.to_string()).env("BARTER_CRATE_DIR", &barter))?;

    let mut names: Vec<String> = native.keys().cloned().collect();
    names.extend(python.keys().filter(|name| !native.contains_key(*name)).cloned());
    let rows: Vec<Row> = names
        .into_iter()
        .map(|name| {
            let (native, python) = (native.get(&name), python.get(&name));
            let native_stat = native.and_then(stat);
            let python_stat = python.and_then(stat);
            let native_value = native.and_then(|sample| sample.value);
            let python_value = python.and_then(|sample| sample.value);
            let ratio = match (&native_stat, &python_stat) {
                (Some(n), Some(p)) => Some(p.median_s / n.median_s),
                _ => python_value.zip(native_value).map(|(p, n)| p / n),
            };
            Row { name, native: native_stat, python: python_stat, ratio, native_value, python_value }
        })
        .collect();

    let dir = root().join("target/bench");
    std::fs::create_dir_all(&dir)?;
    let machine = machine();
    let markdown = markdown(&rows, &machine, repeats);
    std::fs::write(dir.join("results.md"), &markdown)?;
    std::fs::write(dir.join("results.json"), serde_json::to_string_pretty(&serde_json::json!({ "machine": machine, "repeats": repeats, "rows": rows }))?)?;
    println!("{markdown}\nwritten: target/bench/results.{{md,json}}");
    chart()?;
    Ok(())
}

/// `target/bench/results.png` from `results.json` (matplotlib is in `.venv` for the plot tests too).
fn chart() -> Result<()> {
    run(Command::new(python::venv_bin("python")?).args(["xtask/bench/chart.py", "target/bench/results.json", "target/bench/results.png"]))?;
    println!("written: target/bench/results.png");
    Ok(())
}

fn samples(command: &mut Command) -> Result<BTreeMap<String, Sample>> {
    let output = command.current_dir(root()).output().with_context(|| format!("running {command:?}"))?;
    if !output.status.success() {
        bail!("{command:?} failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    String::from_utf8(output.stdout)?
        .lines()
        .filter(|line| line.starts_with('{'))
        .map(|line| {
            let sample: Sample = serde_json::from_str(line).with_context(|| format!("bench output {line}"))?;
            Ok((sample.name.clone(), sample))
        })
        .collect()
}

fn stat(sample: &Sample) -> Option<Stat> {
    let mut seconds = sample.seconds.clone();
    if seconds.is_empty() {
        return None;
    }
    seconds.sort_by(f64::total_cmp);
    let median_s = seconds[seconds.len() / 2];
    Some(Stat { median_s, min_s: seconds[0], max_s: seconds[seconds.len() - 1], items_per_s: sample.items as f64 / median_s })
}

fn machine() -> BTreeMap<&'static str, String> {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| info.lines().find_map(|line| line.strip_prefix("model name").map(|rest| rest.trim_start_matches([' ', '\t', ':']).to_owned())))
        .unwrap_or_default();
    let version = |program: &str, arg: &str| {
        Command::new(program).arg(arg).output().map(|out| String::from_utf8_lossy(&out.stdout).trim().to_owned()).unwrap_or_default()
    };
    BTreeMap::from([
        ("cpu", cpu),
        ("cores", std::thread::available_parallelism().map_or(0, usize::from).to_string()),
        ("rustc", version("rustc", "--version")),
        ("python", python::venv_bin("python").map(|python| version(python.as_str(), "--version")).unwrap_or_default()),
    ])
}

fn markdown(rows: &[Row], machine: &BTreeMap<&str, String>, repeats: usize) -> String {
    let mut text = String::new();
    let _ = writeln!(text, "# barter from Python against native barter\n");
    let _ = writeln!(text, "Machine: {}, {} cores; {}; {}. Median of {repeats} runs after a warm-up (min-max in brackets); ratio = Python / native.\n", machine["cpu"], machine["cores"], machine["rustc"], machine["python"]);
    let _ = writeln!(text, "| workload | native | Python | Python / native | Python throughput |");
    let _ = writeln!(text, "| --- | ---: | ---: | ---: | ---: |");
    let time = |stat: &Option<Stat>, value: Option<f64>| match (stat, value) {
        (Some(stat), _) => format!("{} [{}-{}]", seconds(stat.median_s), seconds(stat.min_s), seconds(stat.max_s)),
        (None, Some(value)) => format!("{value:.1}"),
        (None, None) => "-".into(),
    };
    for row in rows {
        let throughput = row.python.as_ref().map_or("-".into(), |stat| per_second(stat.items_per_s));
        let ratio = row.ratio.map_or("-".into(), |ratio| format!("{ratio:.2}x"));
        let _ = writeln!(text, "| {} | {} | {} | {ratio} | {throughput} |", row.name, time(&row.native, row.native_value), time(&row.python, row.python_value));
    }
    text
}

fn seconds(value: f64) -> String {
    match value {
        v if v >= 1.0 => format!("{v:.2} s"),
        v if v >= 1e-3 => format!("{:.1} ms", v * 1e3),
        v => format!("{:.1} µs", v * 1e6),
    }
}

fn per_second(value: f64) -> String {
    match value {
        v if v >= 1e6 => format!("{:.2}M/s", v / 1e6),
        v if v >= 1e3 => format!("{:.1}k/s", v / 1e3),
        v => format!("{v:.1}/s"),
    }
}
