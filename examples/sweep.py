"""A parameter sweep of the SMA crossover (examples/sma_crossover.py) over barter's example data:
the grid on this machine, then the same code on a Dask cluster, with the same rows.

The cluster here is a ``LocalCluster`` of two worker processes on 127.0.0.1; for a real one,
``Client("tcp://scheduler:8786")`` (the workers need barter installed and the strategy's module
importable: installed, or sent with ``client.upload_file("sma_crossover.py")``).

Run: ``.venv/bin/python examples/sweep.py [CONFIG_JSON MARKET_DATA_JSONL]`` (the ``dask`` extra).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import barter
from _data import example_args
from sma_crossover import SmaCrossover

GRID: dict[str, Sequence[object]] = {"fast": [5, 10, 20], "slow": [50, 100], "notional": [Decimal(500), Decimal(1000)]}


def main() -> None:
    config, args = example_args()
    here = barter.sweep(args, GRID, strategy=SmaCrossover, risk_free_return=config.risk_free_return(), executor=barter.Processes(2))
    table = here.frame().to_arrow()
    pnl = [sum(row[name] for name in row if name.endswith(".pnl")) for row in table.to_pylist()]
    print(f"{len(here)} runs on 2 processes; best: ", end="")
    best = max(range(len(here)), key=pnl.__getitem__)
    print(f"{dict(here[best].parameters)} pnl {pnl[best]:.2f} USDT")

    from distributed import Client, LocalCluster

    # No dashboard: distributed documents None, though its annotation says str.
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None)  # pyright: ignore[reportArgumentType]
    with cluster, Client(cluster) as client:
        there = barter.sweep(args, GRID, strategy=SmaCrossover, risk_free_return=config.risk_free_return(), executor=client)
    same = there.frame().to_arrow().equals(table)
    print(f"{len(there)} runs on a Dask cluster of 2 workers: {'the same rows' if same else 'DIFFERENT rows'}")


if __name__ == "__main__":
    main()
