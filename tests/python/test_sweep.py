"""Sweeps (issue 17): one grid of backtests run in this process, on a process pool and on a Dask
cluster of two worker processes on 127.0.0.1, giving the same rows; a worker killed mid-sweep;
a run whose strategy raises; the market data crossing to each worker once.

The reference is the in-process sweep, itself checked against single ``backtest`` calls (each
run's summary equal to the one ``backtest`` gives for the same strategy and parameters).
"""

from __future__ import annotations

import copy
import os
import pathlib
import pickle
import signal
import time
from collections import deque
from decimal import ROUND_DOWN, Decimal

import pytest

import barter
from barter.backtest import BacktestArgsConstant, BacktestArgsDynamic, BacktestConfig, backtest
from barter.instrument import Side
from barter.statistic import SummaryInterval
from barter.strategy import AlgoStrategy, Strategy, StrategyContext

distributed = pytest.importorskip("distributed")

STEP = Decimal("0.0001")
GRID = {"fast": [3, 5, 8, 13, 21], "slow": [34, 55], "notional": [Decimal(500), Decimal(1000), Decimal(2000), Decimal(4000)]}  # 40 runs


class Sma(AlgoStrategy):
    """Long ``notional`` USDT of an instrument while its ``fast``-trade mean price is above its
    ``slow``-trade mean (importable by the workers: they run the tests' own module)."""

    def __init__(self, fast: int, slow: int, notional: Decimal = Decimal(1000), fail_after: int | None = None) -> None:
        if slow <= fast:
            raise ValueError(f"slow ({slow}) must exceed fast ({fast})")
        self.fast, self.slow, self.notional, self.fail_after = fast, slow, notional, fail_after
        self.prices: dict[int, deque[float]] = {}
        self.above: dict[int, bool] = {}
        self.held: dict[int, Decimal] = {}
        self.trades = 0

    def on_trade(self, ctx: StrategyContext, instrument: int, price: float, amount: float, side: Side) -> None:
        self.trades += 1
        if self.fail_after is not None and self.trades > self.fail_after:
            raise ZeroDivisionError(f"failed after {self.fail_after} trades")
        prices = self.prices.setdefault(instrument, deque(maxlen=self.slow))
        prices.append(price)
        if len(prices) < self.slow:
            return
        above = sum(list(prices)[-self.fast :]) / self.fast > sum(prices) / self.slow
        crossed = instrument in self.above and self.above[instrument] != above
        self.above[instrument] = above
        if crossed and above and instrument not in self.held:
            self.held[instrument] = (self.notional / Decimal(repr(price))).quantize(STEP, rounding=ROUND_DOWN)
            ctx.market_buy(instrument, self.held[instrument])
        elif crossed and not above and instrument in self.held:
            ctx.market_sell(instrument, self.held.pop(instrument))


@pytest.fixture(scope="module")
def reference(args_daily: BacktestArgsConstant, config: BacktestConfig) -> barter.SweepResults:
    """The grid in this process: the reference of the other executors."""
    return barter.sweep(args_daily, GRID, strategy=Sma, risk_free_return=config.risk_free_return())


@pytest.fixture(scope="module")
def client() -> distributed.Client:
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None, silence_logs=50
    ) as cluster, distributed.Client(cluster) as client:
        yield client


def test_in_process_rows_are_the_backtests_of_the_grid(reference: barter.SweepResults, args_daily: BacktestArgsConstant, config: BacktestConfig) -> None:
    assert len(reference) == 40 and not reference.failed()
    # The grid's order: the last parameter varies fastest.
    assert [dict(run.parameters) for run in reference[:5]] == [
        {"fast": 3, "slow": 34, "notional": Decimal(notional)} for notional in (500, 1000, 2000, 4000)
    ] + [{"fast": 3, "slow": 55, "notional": Decimal(500)}]
    for index in (0, 17, 39):
        run = reference[index]
        alone = backtest(args_daily, BacktestArgsDynamic(id=run.id, risk_free_return=config.risk_free_return(), strategy=Sma(**run.parameters)))
        assert run.result is not None
        assert run.result.summary() == alone.summary()
        assert run.result.fills() == alone.fills()
    # Different parameters trade differently: the rows are not one backtest repeated.
    assert len({run.result.summary().trading_summary.to_json() for run in reference if run.result}) > 30
    table = reference.frame().to_arrow()
    assert table.num_rows == 40
    assert table.column_names[:6] == ["run", "id", "fast", "slow", "notional", "error"]
    assert table["run"].to_pylist() == list(range(40))
    assert table["error"].null_count == 40
    assert str(table.schema.field("notional").type).startswith("decimal128")


@pytest.mark.parametrize("start_method", ["forkserver", "spawn"])
def test_process_pool_gives_the_same_rows(
    reference: barter.SweepResults, args_daily: BacktestArgsConstant, config: BacktestConfig, start_method: str
) -> None:
    assert barter.Processes().start_method == "forkserver"  # the default on Linux
    executor = barter.Processes(2, start_method=start_method)
    pooled = barter.sweep(args_daily, GRID, strategy=Sma, risk_free_return=config.risk_free_return(), executor=executor, chunk_size=4)
    assert pooled.frame().to_arrow().equals(reference.frame().to_arrow())
    assert [run.result.summary() for run in pooled] == [run.result.summary() for run in reference]


def test_dask_cluster_gives_the_same_rows_and_the_data_crosses_once(
    reference: barter.SweepResults, args_daily: BacktestArgsConstant, config: BacktestConfig, client: distributed.Client
) -> None:
    before = client.run(barter._sweep.arrivals)
    seen: list[tuple[int, int]] = []
    swept = barter.sweep(
        args_daily, GRID, strategy=Sma, risk_free_return=config.risk_free_return(), executor=client, progress=lambda done, total: seen.append((done, total))
    )
    assert swept.frame().to_arrow().equals(reference.frame().to_arrow())
    assert [run.result.fills() for run in swept] == [run.result.fills() for run in reference]
    # Results are values: a pickled and a deep-copied sweep give the same rows.
    assert pickle.loads(pickle.dumps(swept)).frame().to_arrow().equals(reference.frame().to_arrow())
    assert copy.deepcopy(swept).frame().to_arrow().equals(reference.frame().to_arrow())
    # 40 tasks on two workers: this sweep's shared inputs arrived in each worker process once.
    arrived = {worker: {token: count for token, count in counts.items() if token not in before[worker]} for worker, counts in client.run(barter._sweep.arrivals).items()}
    assert len(arrived) == 2 and all(list(counts.values()) == [1] for counts in arrived.values())
    assert len({token for counts in arrived.values() for token in counts}) == 1
    assert seen[-1] == (40, 40) and [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_a_worker_killed_mid_sweep_loses_no_row(reference: barter.SweepResults, args_daily: BacktestArgsConstant, config: BacktestConfig, client: distributed.Client) -> None:
    pids = client.run(os.getpid)
    victim = next(iter(pids.values()))
    killed: list[int] = []

    def kill_once(done: int, total: int) -> None:
        if done >= 4 and not killed:
            os.kill(victim, signal.SIGKILL)
            killed.append(done)

    swept = barter.sweep(args_daily, GRID, strategy=Sma, risk_free_return=config.risk_free_return(), executor=client, progress=kill_once)
    assert killed and killed[0] < 40
    assert swept.frame().to_arrow().equals(reference.frame().to_arrow())
    client.wait_for_workers(2, timeout=60)  # the nanny restarts it
    assert victim not in client.run(os.getpid).values()


def test_interrupting_a_sweep_cancels_the_clusters_tasks(args_daily: BacktestArgsConstant, client: distributed.Client) -> None:
    def interrupt(done: int, total: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        barter.sweep(args_daily, GRID, strategy=Sma, executor=client, progress=interrupt)

    def sweep_tasks(dask_scheduler: object) -> list[str]:
        return [str(key) for key in dask_scheduler.tasks if str(key).startswith("barter-sweep")]  # type: ignore[attr-defined]

    deadline = time.monotonic() + 30
    while client.run_on_scheduler(sweep_tasks) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not client.run_on_scheduler(sweep_tasks)


@pytest.mark.parametrize("where", ["here", "dask"])
def test_a_failing_run_carries_its_error_and_the_others_finish(where: str, args_daily: BacktestArgsConstant, request: pytest.FixtureRequest) -> None:
    executor = request.getfixturevalue("client") if where == "dask" else None
    variants = [{"fast": 3, "slow": 34}, {"fast": 3, "slow": 34, "fail_after": 100}, {"fast": 5, "slow": 5}, {"fast": 5, "slow": 55}]
    swept = barter.sweep(args_daily, variants, strategy=Sma, executor=executor)
    assert swept[0].error is None and swept[3].error is None
    assert swept[1].error == "ZeroDivisionError: failed after 100 trades"  # in the run
    assert swept[2].error == "ValueError: slow (5) must exceed fast (5)"  # in the factory
    assert swept[1].result is None and swept[2].result is None
    assert [run.index for run in swept.failed()] == [1, 2]
    table = swept.frame().to_arrow()
    assert table["error"].null_count == 2 and table["binancespot-btc_usdt.pnl"].null_count == 2


def test_parameters_reach_the_system_and_risk_free_return(args_daily: BacktestArgsConstant, config: BacktestConfig) -> None:
    def system(latency_ms: int) -> barter.system.SystemConfig:
        text = config.system().to_json().replace('"latency_ms":100', f'"latency_ms":{latency_ms}')
        return barter.system.SystemConfig.from_json(text)

    assert '"latency_ms":100' in config.system().to_json()
    swept = barter.sweep(
        args_daily,
        {"latency_ms": [0, 100], "risk_free_return": [Decimal("0.01"), Decimal("0.05")]},
        strategy=Strategy.BUY_EVERY_TRADE,
        system=system,
    )
    assert not swept.failed()
    for run in swept:
        args = BacktestArgsConstant(system(run.parameters["latency_ms"]), args_daily.market_data(), args_daily.summary_interval(), args_daily.trading_state())
        alone = backtest(args, BacktestArgsDynamic(id=run.id, risk_free_return=run.parameters["risk_free_return"], strategy=Strategy.BUY_EVERY_TRADE))
        assert run.result.summary() == alone.summary()
    assert swept[0].result.fills() != swept[2].result.fills()  # latency moved the fills


def test_an_interrupted_sweep_resumes_from_its_checkpoint(
    reference: barter.SweepResults, args_daily: BacktestArgsConstant, config: BacktestConfig, tmp_path: pathlib.Path
) -> None:
    made: list[dict[str, object]] = []

    def stopped_at_13(**params: object) -> Sma:
        made.append(params)
        if len(made) == 13:
            raise KeyboardInterrupt  # Ctrl-C, in the second batch of 8 (4 per core)
        return Sma(**params)  # type: ignore[arg-type]

    with pytest.raises(KeyboardInterrupt):
        barter.sweep(args_daily, GRID, strategy=stopped_at_13, risk_free_return=config.risk_free_return(), checkpoint=tmp_path)
    assert sorted(int(path.stem) for path in (tmp_path / "runs").glob("*.pickle")) == list(range(8))
    assert not list((tmp_path / "runs").glob("*.partial"))

    def counted(**params: object) -> Sma:
        made.append(params)
        return Sma(**params)  # type: ignore[arg-type]

    made.clear()
    seen: list[int] = []
    resumed = barter.sweep(
        args_daily, GRID, strategy=counted, risk_free_return=config.risk_free_return(), checkpoint=tmp_path, progress=lambda done, _: seen.append(done)
    )
    assert len(made) == 32  # only the runs not saved
    assert seen[0] == 8 and seen[-1] == 40
    assert resumed.frame().to_arrow().equals(reference.frame().to_arrow())
    assert [run.result.fills() for run in resumed] == [run.result.fills() for run in reference]

    # Finished: on a process pool too, nothing runs again.
    again = barter.sweep(args_daily, GRID, strategy=Sma, risk_free_return=config.risk_free_return(), checkpoint=tmp_path, executor=barter.Processes(2))
    assert again.frame().to_arrow().equals(reference.frame().to_arrow())

    # Another grid, or other market data, is another sweep.
    with pytest.raises(ValueError, match="grid differs"):
        barter.sweep(args_daily, {**GRID, "fast": [3]}, strategy=Sma, checkpoint=tmp_path)
    other = BacktestArgsConstant(args_daily.system(), args_daily.market_data(), SummaryInterval.ANNUAL365, args_daily.trading_state())
    with pytest.raises(ValueError, match="base .* differs"):
        barter.sweep(other, GRID, strategy=Sma, checkpoint=tmp_path)


def test_failed_runs_run_again_on_resume(args_daily: BacktestArgsConstant, tmp_path: pathlib.Path) -> None:
    variants = [{"fast": 3, "slow": 34}, {"fast": 3, "slow": 34, "fail_after": 100}]
    first = barter.sweep(args_daily, variants, strategy=Sma, checkpoint=tmp_path)
    assert [run.index for run in first.failed()] == [1]
    made: list[dict[str, object]] = []

    def counted(**params: object) -> Sma:
        made.append(params)
        return Sma(**params)  # type: ignore[arg-type]

    second = barter.sweep(args_daily, variants, strategy=counted, checkpoint=tmp_path)
    assert made == [variants[1]] and [run.index for run in second.failed()] == [1]
    assert second[0].result.summary() == first[0].result.summary()


def test_bad_sweeps_are_refused_before_any_work(args_daily: BacktestArgsConstant) -> None:
    with pytest.raises(TypeError, match="'slwo'"):
        barter.sweep(args_daily, {"fast": [3], "slwo": [34]}, strategy=Sma)
    with pytest.raises(TypeError, match=r"grid\['fast'\]"):
        barter.sweep(args_daily, {"fast": 3}, strategy=Sma)
    with pytest.raises(TypeError, match="executor"):
        barter.sweep(args_daily, [{}], executor="threads")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="base"):
        barter.sweep("args", [{}])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="risk_free_return"):
        barter.sweep(args_daily, [{}], risk_free_return=0.05)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="chunk_size"):
        barter.sweep(args_daily, [{}], chunk_size=0)
