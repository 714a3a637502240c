"""What a type checker sees is what runs (issue 15): ``mypy --strict`` and ``pyright`` in strict
mode (both configured in pyproject.toml) pass on ``examples/``, on ``tests/typing/`` and on every
Python snippet of the README, checked against the installed wheel as a user's code would be.

A README snippet is checked as its own module. The names it uses without defining (a value from
an earlier snippet, or one the reader brings, like their own price columns) are declared before
it with the types in ``GIVEN``; a snippet using a name not listed there fails the test.
"""

from __future__ import annotations

import ast
import builtins
import os
import pathlib
import re
import shutil
import subprocess
import sys

import pytest

from conftest import REPO

# What the README's snippets take as given: an import, or a value of a type (with its import).
GIVEN = {
    "barter": "import barter",
    "Decimal": "from decimal import Decimal",
    "BacktestArgsDynamic": "from barter.backtest import BacktestArgsDynamic",
    "MarketDataInMemory": "from barter.backtest import MarketDataInMemory",
    "backtest": "from barter.backtest import backtest",
    "run_backtests": "from barter.backtest import run_backtests",
    "InstrumentIndex": "from barter.instrument import InstrumentIndex",
    "SummaryInterval": "from barter.statistic import SummaryInterval",
    "SmaCrossover": "from sma_crossover import SmaCrossover",
    "args": "import barter.backtest\nargs: barter.backtest.BacktestArgsConstant = _given()",
    "config": "import barter.backtest\nconfig: barter.backtest.BacktestConfig = _given()",
    "indexed": "import barter.instrument\nindexed: barter.instrument.IndexedInstruments = _given()",
    "grid": "grid: dict[str, list[object]] = _given()",
    "line": "line: str = _given()",
    "market_event": "import barter.engine\nmarket_event: barter.engine.EngineEvent = _given()",
    "order": "import barter.execution\norder: barter.execution.OrderRequestOpen = _given()",
    **{name: f"{name}: list[int] = _given()" for name in ("kinds", "instruments", "times_ns", "received_ns", "sides")},
    **{name: f"{name}: list[float] = _given()" for name in ("prices", "amounts", "ask_prices", "ask_amounts")},
    "trade_ids": "trade_ids: list[str] = _given()",
}

# A snippet shows values as a notebook would (`result.fills()` on a line of its own).
PRELUDE = """# pyright: reportUnusedExpression=false
import typing


def _given() -> typing.Any:
    raise NotImplementedError
"""


def _free_names(code: str) -> set[str]:
    """The names ``code`` reads but never binds (nor are builtins)."""
    tree = ast.parse(code)
    bound, read = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (read if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
            bound.add(node.name)
    return read - bound - set(dir(builtins))


@pytest.fixture(scope="module")
def snippets(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    """The README's Python snippets, each a module with its given names declared first."""
    folder = tmp_path_factory.mktemp("readme")
    blocks = re.findall(r"```python\n(.*?)```", (REPO / "README.md").read_text(), re.DOTALL)
    assert blocks
    for index, code in enumerate(blocks):
        free = _free_names(code)
        unknown = free - GIVEN.keys()
        assert not unknown, f"README snippet {index} uses {sorted(unknown)}: declare them in GIVEN"
        lines = [line for name in sorted(free) for line in GIVEN[name].splitlines()]
        imports = sorted({line for line in lines if line.startswith(("import ", "from "))})
        given = "\n".join(imports + [line for line in lines if line not in imports])
        prelude = PRELUDE if "_given()" in given else PRELUDE.split("import typing")[0]
        (folder / f"readme_{index:02d}.py").write_text(f"{prelude}{given}\n\n{code}")
    return folder


def _targets(snippets: pathlib.Path) -> list[str]:
    return [str(REPO / "examples"), str(REPO / "tests/typing"), str(snippets)]


def test_mypy_strict_passes(snippets: pathlib.Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(REPO / "pyproject.toml"), *_targets(snippets)],
        capture_output=True, text=True, cwd=REPO, env={**os.environ, "MYPYPATH": str(REPO / "examples")}, check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_pyright_strict_passes(snippets: pathlib.Path) -> None:
    pyright = shutil.which("pyright", path=str(pathlib.Path(sys.executable).parent))
    assert pyright, "pyright is not installed in this environment (python/requirements-dev.txt)"
    done = subprocess.run(
        [pyright, "--project", str(REPO / "pyproject.toml"), "--pythonpath", sys.executable, *_targets(snippets)],
        capture_output=True, text=True, cwd=REPO, check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
