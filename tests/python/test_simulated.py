"""The simulated venue (issue 13) on barter's example data: fills at the market of the instant an
order arrives, exchange accounting, limit orders that rest. Expected prices, fees and balances are
worked out here from the data file and the config alone, never from the venue."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from barter import BarterError, Timestamp
from barter.backtest import BacktestArgsConstant, BacktestArgsDynamic, BacktestConfig, BacktestMode, MarketDataInMemory, backtest
from barter.execution import FillModel, SimulatedExecutionConfig, SimulatedFees
from barter.instrument import ExchangeAsset, ExchangeId
from barter.statistic import SummaryInterval
from barter.strategy import AlgoStrategy
from barter.system import ExecutionConfig

from conftest import CONFIG_PATH, DATA_PATH

LATENCY_MS = 100
MAKER_BPS, TAKER_BPS = Decimal(1), Decimal(5)
QUANTITY = Decimal("0.01")
BTC = "binancespot-btc_usdt"


def _config(latency_ms: int = LATENCY_MS) -> dict:
    """barter's example backtest config with its mock replaced by a simulated venue (same balances)."""
    config = json.loads(CONFIG_PATH.read_text())
    mock = config["system"]["executions"][0]
    config["system"]["executions"] = [{"simulated": {
        "exchange": mock["mocked_exchange"], "initial_state": mock["initial_state"], "latency_ms": latency_ms,
        "fees": {"maker_bps": str(MAKER_BPS), "taker_bps": str(TAKER_BPS)}, "fill": "l1",
    }}]
    return config


@pytest.fixture(scope="module")
def simulated_args(market_data: MarketDataInMemory) -> BacktestArgsConstant:
    return BacktestArgsConstant.from_config(BacktestConfig.from_json(json.dumps(_config())), market_data, SummaryInterval.DAILY)


class RoundTrip(AlgoStrategy):
    """A market buy of BTC on the first BTC quote, and a market sell on the first one a minute
    later; then nothing."""

    def __init__(self) -> None:
        self.decisions: list[Timestamp] = []

    def on_order_book_l1(self, ctx, instrument, l1) -> None:
        if instrument != ctx.instrument_index(BTC):
            return
        now = ctx.time()
        if not self.decisions:
            ctx.market_buy(instrument, QUANTITY)
            self.decisions.append(now)
        elif len(self.decisions) == 1 and now - self.decisions[0] >= dt.timedelta(minutes=1):
            ctx.market_sell(instrument, QUANTITY)
            self.decisions.append(now)


def _btc_quotes(btc_index: int) -> tuple[int, list[tuple[int, Decimal, Decimal]]]:
    """The first event's time and every BTC L1 quote, (exchange time in ns, bid, ask), read from
    the data file."""
    quotes, first = [], None
    with DATA_PATH.open() as lines:
        for line in lines:
            item = json.loads(line)["Item"]
            time = Timestamp.from_rfc3339(item["time_exchange"]).timestamp_ns()
            first = time if first is None else first
            l1 = item["kind"].get("OrderBookL1")
            if item["instrument"] == btc_index and l1:
                quotes.append((time, Decimal(l1["best_bid"]["price"]), Decimal(l1["best_ask"]["price"])))
    assert first is not None
    return first, quotes


def _tick(first: int, time: int) -> int:
    """The instant an event of `time` is released in event time: the first whole millisecond
    after the first event at or after it."""
    return first + -(-(time - first) // 1_000_000) * 1_000_000


def test_a_round_trip_fills_at_the_touch_when_it_arrives(simulated_args, config) -> None:
    strategy = RoundTrip()
    result = backtest(simulated_args, BacktestArgsDynamic(id="round trip", risk_free_return=Decimal(0), strategy=strategy))

    btc_index = int(config.system().indexed_instruments().find_instrument_index(ExchangeId.BINANCE_SPOT, BTC))
    first, quotes = _btc_quotes(btc_index)
    expected = []
    for decision, side in zip(strategy.decisions, ("buy", "sell")):
        # Sent while the engine processed the quote at `decision`; it reaches the venue LATENCY
        # later, and meets the book of every event released before that instant.
        arrival = _tick(first, decision.timestamp_ns()) + LATENCY_MS * 1_000_000
        assert all(_tick(first, time) != arrival for time, _, _ in quotes), "a quote released at the arrival instant"
        bid, ask = [(b, a) for time, b, a in quotes if _tick(first, time) < arrival][-1]
        price = ask if side == "buy" else bid
        expected.append((arrival, side, price, price * QUANTITY * TAKER_BPS / 10_000))

    fills = result.fills()
    assert [(t.time_exchange.timestamp_ns(), t.side.name.lower(), t.price, t.quantity, t.fees.fees) for t in fills] == [
        (arrival, side, price, QUANTITY, fee) for arrival, side, price, fee in expected
    ]
    (_, _, buy, buy_fee), (_, _, sell, sell_fee) = expected
    summary = result.summary().trading_summary
    # Exchange accounting: the buy costs its value and fee in USDT and brings 0.01 BTC; the sell
    # the reverse. The example config starts with 10,000 USDT and 0.1 BTC.
    usdt = summary.assets[ExchangeAsset(exchange=ExchangeId.BINANCE_SPOT, asset="usdt")].balance_end
    btc = summary.assets[ExchangeAsset(exchange=ExchangeId.BINANCE_SPOT, asset="btc")].balance_end
    assert (usdt.total, usdt.free) == (Decimal(10_000) - buy * QUANTITY - buy_fee + sell * QUANTITY - sell_fee,) * 2
    assert (btc.total, btc.free) == (Decimal("0.1"), Decimal("0.1"))
    # barter's realised PnL of the position: the price difference, less both fees.
    assert summary.instruments[BTC].pnl == (sell - buy) * QUANTITY - buy_fee - sell_fee


def test_the_same_backtest_gives_the_same_answer(simulated_args) -> None:
    runs = [backtest(simulated_args, BacktestArgsDynamic(id="again", risk_free_return=Decimal(0), strategy=RoundTrip())) for _ in range(2)]
    assert [trade.to_json() for trade in runs[0].fills()] == [trade.to_json() for trade in runs[1].fills()]
    assert repr(runs[0].summary()) == repr(runs[1].summary())


class RestingBuy(AlgoStrategy):
    """A limit buy 5 USDT under the first BTC bid, good until cancelled."""

    def __init__(self) -> None:
        self.limit: Decimal | None = None

    def on_order_book_l1(self, ctx, instrument, l1) -> None:
        if self.limit is None and instrument == ctx.instrument_index(BTC):
            self.limit = l1.best_bid.price - 5
            ctx.limit_buy(instrument, self.limit, QUANTITY)


def test_a_resting_limit_fills_at_its_price_when_the_ask_reaches_it(simulated_args, config) -> None:
    strategy = RestingBuy()
    result = backtest(simulated_args, BacktestArgsDynamic(id="limit", risk_free_return=Decimal(0), strategy=strategy))
    assert strategy.limit is not None
    fills = result.fills()
    assert len(fills) == 1
    (fill,) = fills
    # Filled at its limit, never above it, as a maker.
    assert (fill.price, fill.quantity, fill.fees.fees) == (strategy.limit, QUANTITY, strategy.limit * QUANTITY * MAKER_BPS / 10_000)
    # ...and only once a BTC ask was at or below it, at the instant of that quote.
    btc_index = int(config.system().indexed_instruments().find_instrument_index(ExchangeId.BINANCE_SPOT, BTC))
    first, quotes = _btc_quotes(btc_index)
    first_through = next(time for time, _, ask in quotes if ask <= strategy.limit)
    assert fill.time_exchange.timestamp_ns() == _tick(first, first_through)


def test_config_reads_and_writes_barters_json_with_the_venue_beside_it() -> None:
    config = BacktestConfig.from_json(json.dumps(_config()))
    (execution,) = config.system().executions()
    assert isinstance(execution, ExecutionConfig.SIMULATED)
    simulated = execution[0]
    assert simulated == SimulatedExecutionConfig(
        exchange=ExchangeId.BINANCE_SPOT, initial_state=simulated.initial_state, latency_ms=LATENCY_MS,
        fees=SimulatedFees(maker_bps=MAKER_BPS, taker_bps=TAKER_BPS), fill=FillModel.L1, slippage_bps=Decimal(0),
    )
    assert json.loads(config.to_json())["system"]["executions"][0]["simulated"]["fees"] == {"maker_bps": "1", "taker_bps": "5"}
    # barter's own mock config still reads as barter writes it.
    (mock,) = BacktestConfig.from_file(str(CONFIG_PATH)).system().executions()
    assert isinstance(mock, ExecutionConfig.MOCK)


def test_barters_own_backtest_refuses_a_simulated_venue(simulated_args) -> None:
    with pytest.raises(BarterError.InvalidInput, match="simulated venue of binance_spot runs in event time"):
        backtest(simulated_args, BacktestArgsDynamic(id="upstream", risk_free_return=Decimal(0)), BacktestMode.UPSTREAM)
