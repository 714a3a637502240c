"""The ``barter`` command line (issue 15): backtests and market data files, with exit codes 0 (done),
1 (the run failed) and 2 (bad input, one line naming the file and field). Run through click's
test runner, and once as the installed console script in a real process.

Expected values come from the same work done through the Python API (barter's summary) and from
barter's example file read with the json module.
"""

from __future__ import annotations

import collections
import json
import pathlib
import shutil
import subprocess
import sys
from decimal import Decimal

import pyarrow.parquet
import pytest
from click.testing import CliRunner

from barter.backtest import BacktestArgsConstant, BacktestArgsDynamic, Frames, backtest
from barter.cli import main
from barter.statistic import SummaryInterval
from barter.strategy import Strategy

from conftest import CONFIG_PATH, DATA_PATH, REPO

ITEMS = [json.loads(line)["Item"] for line in DATA_PATH.read_text().splitlines()]


def _run(*args: str) -> tuple[int, str]:
    done = CliRunner().invoke(main, [str(arg) for arg in args])
    return done.exit_code, done.output


@pytest.fixture(scope="module")
def buy_every_trade(config, market_data):
    args = BacktestArgsConstant.from_config(config, market_data, SummaryInterval.DAILY)
    return backtest(args, BacktestArgsDynamic(id="x", risk_free_return=config.risk_free_return(), strategy=Strategy.BUY_EVERY_TRADE))


def test_a_backtest_prints_barters_summary_as_json(buy_every_trade) -> None:
    code, output = _run("backtest", CONFIG_PATH, DATA_PATH, "--strategy", "buy_every_trade", "--json")
    assert code == 0, output
    report = json.loads(output)
    assert report["summary"] == json.loads(buy_every_trade.summary().trading_summary.to_json())
    assert (report["events"], report["fills"]) == (50_000, len(buy_every_trade.fills()))


def test_a_backtest_writes_its_frames_and_plot(buy_every_trade, tmp_path: pathlib.Path) -> None:
    code, output = _run("backtest", CONFIG_PATH, DATA_PATH, "--strategy", "buy_every_trade", "--out", tmp_path / "out", "--plot", tmp_path / "equity.png")
    assert code == 0, output
    assert "Instrument TearSheets" in output  # barter's own table
    expected = Frames.of(buy_every_trade)
    for name in ("fills", "orders", "positions", "equity"):
        assert pyarrow.parquet.read_table(tmp_path / "out" / f"{name}.parquet").equals(getattr(expected, name).to_arrow()), name
    assert (tmp_path / "equity.png").stat().st_size > 10_000


def test_a_python_strategy_by_module_and_class(monkeypatch: pytest.MonkeyPatch, tmp_path: pathlib.Path) -> None:
    for example in ("sma_crossover.py", "_data.py"):  # the example, as a user keeps it beside their data
        shutil.copy(REPO / "examples" / example, tmp_path)
    monkeypatch.chdir(tmp_path)
    code, output = _run("backtest", CONFIG_PATH, DATA_PATH, "--strategy", "sma_crossover:SmaCrossover", "--json")
    assert code == 0, output
    assert json.loads(output)["fills"] >= 20


def test_a_strategy_that_raises_fails_the_run(monkeypatch: pytest.MonkeyPatch, tmp_path: pathlib.Path) -> None:
    (tmp_path / "broken.py").write_text(
        "from barter.strategy import AlgoStrategy\n"
        "class Broken(AlgoStrategy):\n"
        "    def on_trade(self, ctx, instrument, price, amount, side):\n"
        "        raise RuntimeError('no trades today')\n"
    )
    monkeypatch.chdir(tmp_path)
    code, output = _run("backtest", CONFIG_PATH, DATA_PATH, "--strategy", "broken:Broken")
    assert code == 1
    assert output.strip().splitlines()[-1].startswith("Error: the backtest failed") and "no trades today" in output


def test_bad_input_is_one_line_naming_the_file_and_field(tmp_path: pathlib.Path) -> None:
    bad_config = tmp_path / "config.json"
    bad_config.write_text('{"risk_free_return": "0.05", "system": {"instruments": [], "executions": 7}}')
    bad_rows = tmp_path / "rows.csv"
    bad_rows.write_text("time_exchange,instrument,price,amount,side\n2025-03-25T23:07:00Z,binancespot-btc_usdt,1.0,1.0,buy\n"
                        "2025-03-25T23:07:01Z,binancespot-doge_usdt,1.0,1.0,buy\n")
    cases = [
        (["backtest", bad_config, DATA_PATH], f"{bad_config}: "),
        (["backtest", CONFIG_PATH, bad_rows], f"{bad_rows}: column 'instrument', row 1: \"binancespot-doge_usdt\" is not one of"),
        (["backtest", CONFIG_PATH, DATA_PATH, "--strategy", "nope"], "--strategy 'nope': not a built-in strategy"),
        (["backtest", CONFIG_PATH, DATA_PATH, "--strategy", "no_such_module:X"], "ModuleNotFoundError"),
        (["data", "inspect", bad_rows], "give --config"),
        (["data", "convert", DATA_PATH, tmp_path / "out.txt", "--config", CONFIG_PATH], "unknown kind of file '.txt'"),
        (["backtest", CONFIG_PATH, tmp_path / "missing.json"], "does not exist"),
    ]
    for args, expected in cases:
        code, output = _run(*args)
        assert code == 2, (args, output)
        errors = [line for line in output.splitlines() if line.startswith("Error:")]
        assert len(errors) == 1 and expected in errors[0], (args, output)


def test_data_inspect_counts_what_the_file_holds() -> None:
    code, output = _run("data", "inspect", DATA_PATH, "--config", CONFIG_PATH, "--json")
    assert code == 0, output
    report = json.loads(output)
    names = ["binancespot-btc_usdt", "binancespot-eth_usdt", "binancespot-sol_usdt"]
    kinds = collections.Counter("trade" if "Trade" in item["kind"] else "order_book_l1" for item in ITEMS)
    assert report["events"] == 50_000 and report["kinds"] == dict(kinds)
    assert report["instruments"] == dict(collections.Counter(names[item["instrument"]] for item in ITEMS))
    times = sorted(item["time_exchange"] for item in ITEMS)
    assert report["time_first"].startswith(times[0][:19].replace("T", " ")) and report["time_last"].startswith(times[-1][:19].replace("T", " "))
    # Without a config, JSON lines name instruments by barter's index.
    code, output = _run("data", "inspect", DATA_PATH, "--json")
    assert code == 0 and sorted(json.loads(output)["instruments"]) == ["index 0", "index 1", "index 2"]


def test_data_converts_to_parquet_and_back_to_barters_file(tmp_path: pathlib.Path) -> None:
    parquet, back = tmp_path / "events.parquet", tmp_path / "events.json"
    assert _run("data", "convert", DATA_PATH, parquet, "--config", CONFIG_PATH)[0] == 0
    assert pyarrow.parquet.read_table(parquet).num_rows == 50_000
    code, output = _run("data", "convert", parquet, back, "--config", CONFIG_PATH)
    assert code == 0, output
    assert back.read_bytes() == DATA_PATH.read_bytes()


def test_the_installed_command_runs_as_a_process() -> None:
    command = pathlib.Path(sys.executable).parent / "barter"
    done = subprocess.run([str(command), "data", "inspect", str(DATA_PATH), "--config", str(CONFIG_PATH), "--json"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["events"] == 50_000
    done = subprocess.run([sys.executable, "-m", "barter", "data", "inspect", "/no/such/file"], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2 and "does not exist" in done.stderr




EVERY_NTH = (
    "from decimal import Decimal\n"
    "from barter.strategy import AlgoStrategy\n"
    "class EveryNth(AlgoStrategy):\n"
    "    def __init__(self, n, quantity=Decimal('0.001')):\n"
    "        self.n, self.quantity, self.seen = n, quantity, 0\n"
    "    def on_trade(self, ctx, instrument, price, amount, side):\n"
    "        self.seen += 1\n"
    "        if self.seen % self.n == 0:\n"
    "            ctx.market_buy(instrument, self.quantity)\n"
)


def test_a_sweep_runs_the_grid_file_as_the_python_api_does(monkeypatch: pytest.MonkeyPatch, tmp_path: pathlib.Path, args_daily, config) -> None:
    import barter

    (tmp_path / "every_nth.py").write_text(EVERY_NTH)
    (tmp_path / "grid.toml").write_text('strategy = "every_nth:EveryNth"\n[grid]\nn = [500, 2000]\nquantity = ["0.001", "0.01"]\n')
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    from every_nth import EveryNth

    grid = {"n": [500, 2000], "quantity": [Decimal("0.001"), Decimal("0.01")]}
    expected = barter.sweep(args_daily, grid, strategy=EveryNth, risk_free_return=config.risk_free_return()).frame().to_arrow()
    for executor in ([], ["--processes", "2"]):
        code, output = _run("sweep", CONFIG_PATH, DATA_PATH, "--grid", "grid.toml", "--json", "--out", "runs.parquet", *executor)
        assert code == 0, output
        report = json.loads(output)
        assert (report["runs"], report["failed"]) == (4, 0)
        assert pyarrow.parquet.read_table("runs.parquet").equals(expected)
        assert [(row["n"], row["quantity"], row["binancespot-btc_usdt.pnl"]) for row in report["rows"]] == [
            (row["n"], str(row["quantity"]), str(row["binancespot-btc_usdt.pnl"])) for row in expected.to_pylist()
        ]
    code, output = _run("sweep", CONFIG_PATH, DATA_PATH, "--grid", "grid.toml")  # the table
    assert code == 0 and "4 runs in" in output, output
    # A checkpoint: the second call loads the 4 saved runs; another grid is refused.
    for _ in range(2):
        code, output = _run("sweep", CONFIG_PATH, DATA_PATH, "--grid", "grid.toml", "--checkpoint", "saved", "--out", "saved.parquet")
        assert code == 0, output
        assert pyarrow.parquet.read_table("saved.parquet").equals(expected)
    assert len(list((tmp_path / "saved/runs").glob("*.pickle"))) == 4
    (tmp_path / "grid.toml").write_text('strategy = "every_nth:EveryNth"\n[grid]\nn = [500]\nquantity = ["0.001"]\n')
    code, output = _run("sweep", CONFIG_PATH, DATA_PATH, "--grid", "grid.toml", "--checkpoint", "saved")
    assert code == 2 and "checkpoint: saved holds another sweep's runs: its grid differs" in output, output


def test_a_sweeps_bad_grid_is_one_line_naming_the_file(monkeypatch: pytest.MonkeyPatch, tmp_path: pathlib.Path) -> None:
    (tmp_path / "every_nth.py").write_text(EVERY_NTH)
    monkeypatch.chdir(tmp_path)
    cases = {
        'strategy = "every_nth:EveryNth"\n[grid]\nn = [500]\nquantity = [0.001]\n': "quantity: 0.001 is a float; write decimals as strings",
        'strategy = "every_nth:EveryNth"\n[grid]\nn = [500]\nqty = ["0.001"]\n': "parameter 'qty' (variant 0) is taken by no factory",
        '[grid]\nn = [500]\n': "no strategy",
        'strategy = "every_nth:EveryNth"\n[grid]\nn = 500\n': "non-empty list of values",
        'strategy = "every_nth:EveryNth"\n[grid\n': "grid.toml: ",
    }
    for text, expected in cases.items():
        (tmp_path / "grid.toml").write_text(text)
        code, output = _run("sweep", CONFIG_PATH, DATA_PATH, "--grid", "grid.toml")
        assert code == 2, (text, output)
        errors = [line for line in output.splitlines() if line.startswith("Error:")]
        assert len(errors) == 1 and expected in errors[0] and "grid.toml" in errors[0], (text, output)
