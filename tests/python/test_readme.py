"""The README's quickstarts run as written (issue 15): each is taken from README.md and run in a
fresh process, in a folder holding the files it names (barter's example config and data, the
example strategy), as a user who copied them would.
"""

from __future__ import annotations

import pathlib
import re
import shutil
import subprocess
import sys

import pyarrow.parquet

from barter.backtest import MarketDataInMemory

from conftest import CONFIG_PATH, DATA_PATH, REPO

README = (REPO / "README.md").read_text()


def _python_block(heading: str) -> str:
    """The first Python block after `heading`."""
    section = README[README.index(heading) :]
    match = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert match, heading
    return match.group(1)


def _run(code: str, folder: pathlib.Path) -> str:
    done = subprocess.run([sys.executable, "-c", code], cwd=folder, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_the_quickstart_runs(tmp_path: pathlib.Path) -> None:
    shutil.copy(CONFIG_PATH, tmp_path / "backtest_config.json")
    shutil.copy(DATA_PATH, tmp_path / "trades.json")
    output = _run(_python_block("## Quickstart"), tmp_path)
    assert "Instrument TearSheets" in output  # barter's own tables, printed


def test_the_frames_quickstart_runs_from_a_dataframe_to_a_plot(tmp_path: pathlib.Path, config) -> None:
    shutil.copy(CONFIG_PATH, tmp_path / "backtest_config.json")
    for example in ("sma_crossover.py", "_data.py"):
        shutil.copy(REPO / "examples" / example, tmp_path)
    # barter's example events as a user's Parquet file of them would be: sorted by time.
    instruments = config.system().indexed_instruments()
    table = pyarrow.ipc.open_stream(MarketDataInMemory.from_json_lines_file(str(DATA_PATH)).to_arrow_ipc(instruments)).read_all()
    pyarrow.parquet.write_table(table.sort_by("time_exchange"), tmp_path / "trades.parquet")
    code = _python_block("### Frames in, frames out")
    assert len([line for line in code.splitlines() if line.strip()]) < 15  # the bound on the quickstart
    _run(code, tmp_path)
    assert (tmp_path / "equity.png").stat().st_size > 10_000


def test_the_sweep_quickstart_runs(tmp_path: pathlib.Path) -> None:
    shutil.copy(CONFIG_PATH, tmp_path / "backtest_config.json")
    shutil.copy(DATA_PATH, tmp_path / "trades.json")
    for example in ("sma_crossover.py", "_data.py"):
        shutil.copy(REPO / "examples" / example, tmp_path)
    output = _run(_python_block("### Sweeps: a laptop, then a cluster"), tmp_path)
    assert output == "12 []\n", output  # 12 rows, none failed


def test_the_asyncio_example_runs(tmp_path: pathlib.Path) -> None:
    shutil.copy(CONFIG_PATH, tmp_path / "backtest_config.json")
    shutil.copy(DATA_PATH, tmp_path / "trades.json")
    output = _run(_python_block("### asyncio"), tmp_path)
    assert output.splitlines()[-2:] == ["4/4", "4 backtests"], output
