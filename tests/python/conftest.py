"""Fixtures of the Python tests: barter's example config and data, and the native reference.

The tests import the installed wheel (`cargo xtask gen-bindings` installs it into .venv), never
the source tree; the reference summary is written by the Rust parity test (tests/parity.rs),
which runs barter natively.
"""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sysconfig

import pytest

import barter
from barter.backtest import BacktestArgsConstant, BacktestConfig, MarketDataInMemory
from barter.statistic import SummaryInterval

REPO = pathlib.Path(__file__).resolve().parents[2]

assert pathlib.Path(barter.__file__).is_relative_to(sysconfig.get_paths()["purelib"]), (
    f"tests must run against the installed wheel, not {barter.__file__}"
)


def _barter_crate_dir() -> pathlib.Path:
    if "BARTER_CRATE_DIR" in os.environ:
        return pathlib.Path(os.environ["BARTER_CRATE_DIR"])
    metadata = json.loads(subprocess.check_output(["cargo", "metadata", "--format-version", "1"], cwd=REPO))
    barter_package = next(package for package in metadata["packages"] if package["name"] == "barter")
    return pathlib.Path(barter_package["manifest_path"]).parent


BARTER_DIR = _barter_crate_dir()
CONFIG_PATH = BARTER_DIR / "examples/config/backtest_config.json"
DATA_PATH = BARTER_DIR / "examples/data/binance_spot_trades_l1_btcusdt_ethusdt_solusdt.json"


@pytest.fixture(scope="session")
def config() -> BacktestConfig:
    return BacktestConfig.from_file(str(CONFIG_PATH))


@pytest.fixture(scope="session")
def market_data() -> MarketDataInMemory:
    return MarketDataInMemory.from_json_lines_file(str(DATA_PATH))


@pytest.fixture(scope="session")
def args_daily(config: BacktestConfig, market_data: MarketDataInMemory) -> BacktestArgsConstant:
    return BacktestArgsConstant.from_config(config, market_data, SummaryInterval.DAILY)


def _written_by_rust(name: str, test: str) -> dict:
    """A reference file the Rust tests write natively into target/parity/ (`cargo xtask test`
    runs them first)."""
    path = REPO / "target/parity" / name
    if not path.exists():
        pytest.fail(f"{path} is missing: run `cargo test --test {test}` first (cargo xtask test does)")
    return json.loads(path.read_text())


@pytest.fixture(scope="session")
def native_summary() -> dict:
    """barter's own summary of the same backtest (Daily), computed natively by tests/parity.rs."""
    return _written_by_rust("native_summary.json", "parity")


@pytest.fixture(scope="session")
def paper_session() -> dict:
    """barter's own paper trading session with a System, run natively by tests/parity.rs: the
    engine's final state and last audit."""
    return _written_by_rust("paper_session.json", "parity")


@pytest.fixture(scope="session")
def instrument_samples() -> dict:
    """barter's own serde JSON of instruments, subscriptions, errors and a metric, and barter's
    answers on which exchanges support which instruments, written by tests/json.rs."""
    return _written_by_rust("instrument_samples.json", "json")


@pytest.fixture(scope="session")
def engine_samples() -> dict:
    """barter's own serde JSON of the engine's events, commands, filters, requests and errors,
    written by tests/json.rs."""
    return _written_by_rust("engine_samples.json", "json")


@pytest.fixture(scope="session")
def engine_state_sample() -> dict:
    """barter's initial EngineState of the example backtest, built natively as the bindings build
    it, and the summary barter's TradingSummaryGenerator::init generates from it (tests/json.rs)."""
    return _written_by_rust("engine_state_sample.json", "json")


@pytest.fixture(scope="session")
def data_samples() -> dict[str, str]:
    """barter's own serde JSON of one value of each market data kind, written by tests/json.rs."""
    return _written_by_rust("data_samples.json", "json")


@pytest.fixture(scope="session")
def execution_samples() -> dict:
    """barter's own serde JSON of execution values, barter's indexer on two of them, and a native
    session with barter's mock exchange (example config, latency 0), written by tests/json.rs."""
    return _written_by_rust("execution_samples.json", "json")


@pytest.fixture(scope="session")
def statistic_samples() -> dict:
    """barter's own positions, exits, TradingSummaryGenerator states and summary, drawdowns and
    metrics for a table of trades and balances, computed natively by tests/json.rs."""
    return _written_by_rust("statistic_samples.json", "json")


@pytest.fixture(scope="session")
def audit_samples() -> dict:
    """barter's own audit ticks of its engine processing a sequence of events (then FeedEnded),
    and barter's JSON of one value of each engine output type, written by tests/json.rs."""
    return _written_by_rust("audit_samples.json", "json")
