//! Project tasks: `cargo xtask <task>` (the alias lives in `.cargo/config.toml`).
//!
//! Every task works from a fresh clone with only the Rust toolchain, python3 and (for the Kotlin
//! test) Maven installed: Python tooling goes into the project-local `.venv`.

mod bench;
mod bindings;
mod python;
mod python_classes;
mod spec;
mod workspace;

use anyhow::Result;
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(about, disable_help_subcommand = true)]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Build the release library and the Python wheel, regenerate the Python, Kotlin and Swift
    /// modules into `generated/`, and install the wheel into `.venv`.
    GenBindings {
        /// Fail, listing the stale files, when `generated/` differs from what the library produces.
        #[arg(long)]
        check: bool,
    },
    /// Fail, naming each offending path, when a public type of barter is neither bound nor
    /// excluded in `xtask/spec.toml`, or when the spec names a binding or a type that is gone.
    SpecCheck,
    /// Write the coverage report of bound types to `generated/coverage/` (Markdown, JSON, HTML).
    Coverage {
        /// Fail when the committed report differs from the current one.
        #[arg(long)]
        check: bool,
    },
    /// Benchmark barter started from Python against native barter on the same work, in one run
    /// (release build); writes `target/bench/results.{md,json,png}`.
    Bench {
        /// Timed runs of each workload, after one warm-up.
        #[arg(long, default_value_t = 5)]
        repeats: usize,
    },
    /// Soak the memory bounds (release build): a paper system processing events non-stop while
    /// nobody reads its audit, 1,000 backtests in one batch, and 1,000 one after another; each
    /// soak runs in its own process and fails past its ceiling (`xtask/soak/soak.py`).
    Soak {
        /// How long the system soak runs.
        #[arg(long, default_value_t = 60)]
        seconds: u64,
    },
    /// The long fuzz profile (release build): generated calls of the whole public surface, most
    /// with wrong values, in worker subprocesses (`tests/fuzz/fuzz.py`); fails on any crash,
    /// hang, `InternalError`, untyped error or value changed by barter's JSON. Report:
    /// `target/fuzz/report.json`.
    Fuzz {
        /// Generated calls.
        #[arg(long, default_value_t = 20_000)]
        examples: u64,
        /// Hypothesis seed of the first worker (each worker takes the next).
        #[arg(long, default_value_t = 0)]
        seed: u64,
    },
    /// Write the API reference pages of the installed package to `target/api/` (pdoc).
    Docs,
    /// README command 1: build everything, then run the example backtest and print its summary.
    Demo,
    /// README command 2: every test — Rust (unit and parity with native barter), Python against
    /// the installed wheel, the API reference build, and Kotlin on the JVM — after checking that
    /// `generated/`, the spec and the coverage report are current.
    Test,
}

fn main() -> Result<()> {
    match Cli::parse().task {
        Task::GenBindings { check } => bindings::gen_bindings(check),
        Task::SpecCheck => spec::spec_check(),
        Task::Coverage { check } => spec::coverage(check),
        Task::Bench { repeats } => bench::bench(repeats),
        Task::Soak { seconds } => {
            bindings::gen_bindings(false)?;
            let seconds = seconds.to_string();
            python::run_script("xtask/soak/soak.py", &["system", "--seconds", &seconds])?;
            python::run_script("xtask/soak/soak.py", &["batch"])?;
            python::run_script("xtask/soak/soak.py", &["sequential"])
        }
        Task::Fuzz { examples, seed } => {
            bindings::gen_bindings(false)?;
            let (examples, seed) = (examples.to_string(), seed.to_string());
            python::run_script(
                "tests/fuzz/fuzz.py",
                &["run", "--examples", &examples, "--seed", &seed, "--per-worker", "2000", "--report", "target/fuzz/report.json"],
            )
        }
        Task::Docs => python::api_docs(),
        Task::Demo => {
            bindings::gen_bindings(false)?;
            python::run_script("examples/backtest.py", &[])
        }
        Task::Test => {
            bindings::gen_bindings(true)?;
            spec::spec_check()?;
            spec::coverage(true)?;
            workspace::cargo(&["test", "--workspace"])?;
            python::pytest()?;
            python::api_docs()?;
            bindings::kotlin_test()
        }
    }
}
