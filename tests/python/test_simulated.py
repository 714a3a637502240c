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


def _tick(first: int, time: int) -> int:
    """The first instant of tokio's millisecond grid (which starts at the first event) at or
    after `time`."""
    return first + -(-(time - first) // 1_000_000) * 1_000_000


def _released(lines: list[bytes]) -> list[tuple[int, int, str, Decimal, Decimal | None]]:
    """Each event of barter's JSON lines as the event-time stream releases it: (instant, instrument,
    "quote" with bid and ask or "trade" with its price). An event is released at its own time's
    tick, or at once if that is already past: the example data has trades stamped earlier than
    the quotes before them."""
    events, first, now = [], None, None
    for line in lines:
        item = json.loads(line)["Item"]
        time = Timestamp.from_rfc3339(item["time_exchange"]).timestamp_ns()
        first = time if first is None else first
        now = _tick(first, time) if now is None else max(now, _tick(first, time))
        if l1 := item["kind"].get("OrderBookL1"):
            events.append((now, item["instrument"], "quote", Decimal(l1["best_bid"]["price"]), Decimal(l1["best_ask"]["price"])))
        elif trade := item["kind"].get("Trade"):
            events.append((now, item["instrument"], "trade", Decimal(repr(trade["price"])), None))
    return events


@pytest.fixture(scope="module")
def released() -> list[tuple[int, int, str, Decimal, Decimal | None]]:
    with DATA_PATH.open("rb") as lines:
        return _released(list(lines))


def _btc_index(config) -> int:
    return int(config.system().indexed_instruments().find_instrument_index(ExchangeId.BINANCE_SPOT, BTC))


def test_a_round_trip_fills_at_the_touch_when_it_arrives(simulated_args, config, released) -> None:
    strategy = RoundTrip()
    result = backtest(simulated_args, BacktestArgsDynamic(id="round trip", risk_free_return=Decimal(0), strategy=strategy))

    btc = _btc_index(config)
    quotes = [(instant, bid, ask) for instant, index, kind, bid, ask in released if index == btc and kind == "quote"]
    expected = []
    for decision, side in zip(strategy.decisions, ("buy", "sell")):
        # Sent while the engine processed the quote released at `decision` (the engine's clock
        # reads the quote's own time); it reaches the venue LATENCY later, and meets the book of
        # every event released before that instant.
        sent = next(instant for instant, index, kind, _, _ in released if index == btc and kind == "quote" and instant >= decision.timestamp_ns())
        arrival = sent + LATENCY_MS * 1_000_000
        assert all(instant != arrival for instant, _, _ in quotes), "a quote released at the arrival instant"
        bid, ask = [(b, a) for instant, b, a in quotes if instant < arrival][-1]
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


def test_a_resting_limit_fills_at_its_price_when_the_ask_reaches_it(simulated_args, config, released) -> None:
    strategy = RestingBuy()
    result = backtest(simulated_args, BacktestArgsDynamic(id="limit", risk_free_return=Decimal(0), strategy=strategy))
    assert strategy.limit is not None
    fills = result.fills()
    assert len(fills) == 1
    (fill,) = fills
    # Filled at its limit, never above it, as a maker.
    assert (fill.price, fill.quantity, fill.fees.fees) == (strategy.limit, QUANTITY, strategy.limit * QUANTITY * MAKER_BPS / 10_000)
    # ...and only once a BTC ask was at or below it, at the instant of that quote.
    btc = _btc_index(config)
    first_through = next(instant for instant, index, kind, _, ask in released if index == btc and kind == "quote" and ask is not None and ask <= strategy.limit)
    assert fill.time_exchange.timestamp_ns() == first_through


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


# --- Properties over random order sequences (hypothesis) ---------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from barter.execution import TimeInForce  # noqa: E402
from barter.instrument import Side  # noqa: E402

EVENTS = 6_000  # the first minutes of barter's example data: every instrument quotes and trades


def _first_events() -> bytes:
    with DATA_PATH.open("rb") as lines:
        return b"".join(next(lines) for _ in range(EVENTS))


@pytest.fixture(scope="module")
def short_args() -> BacktestArgsConstant:
    data = MarketDataInMemory.from_json_lines(_first_events())
    return BacktestArgsConstant.from_config(BacktestConfig.from_json(json.dumps(_config())), data, SummaryInterval.DAILY)


@pytest.fixture(scope="module")
def market() -> list[tuple[int, int, str, Decimal, Decimal | None]]:
    return _released(_first_events().splitlines())


# One order: when (the n-th quote of its instrument), what, and a limit price this many tenths of
# a basis point from the touch, away from the market (negative: through it, marketable).
orders = st.lists(
    st.tuples(
        st.integers(0, 600), st.integers(0, 2), st.sampled_from([Side.BUY, Side.SELL]),
        st.sampled_from(["market", "gtc", "post_only", "ioc", "fok"]), st.integers(-30, 30),
    ),
    min_size=1, max_size=12,
)


class Plan(AlgoStrategy):
    """Sends the planned orders; each quantity is unique, so that a fill names its order."""

    def __init__(self, plan) -> None:
        self.plan = sorted(plan, key=lambda order: order[0])
        self.quotes = [0, 0, 0]
        self.sent: dict[Decimal, tuple[Side, str, Decimal | None, int]] = {}

    def on_order_book_l1(self, ctx, instrument, l1) -> None:
        index = int(instrument)
        self.quotes[index] += 1
        for number, (at, target, side, kind, bps) in enumerate(self.plan):
            if at != self.quotes[index] or target != index or l1.best_bid is None or l1.best_ask is None:
                continue
            quantity = Decimal("0.001") + Decimal(number) / 100_000
            if kind == "market":
                (ctx.market_buy if side == Side.BUY else ctx.market_sell)(instrument, quantity)
                self.sent[quantity] = (side, kind, None, index)
                continue
            touch = l1.best_ask.price if side == Side.BUY else l1.best_bid.price
            away = Decimal(bps) / 100_000
            limit = (touch * (1 - away if side == Side.BUY else 1 + away)).quantize(Decimal("0.01"))
            time_in_force = {"gtc": TimeInForce.GOOD_UNTIL_CANCELLED(post_only=False), "post_only": TimeInForce.GOOD_UNTIL_CANCELLED(post_only=True),
                             "ioc": TimeInForce.IMMEDIATE_OR_CANCEL(), "fok": TimeInForce.FILL_OR_KILL()}[kind]
            (ctx.limit_buy if side == Side.BUY else ctx.limit_sell)(instrument, limit, quantity, time_in_force)
            self.sent[quantity] = (side, kind, limit, index)


def _touch(events, instrument: int, before: int, side: Side, inclusive: bool) -> Decimal | None:
    """What a taker got at the instant `before`: the ask (buy) or bid (sell) of the last quote, or
    the last trade's price where no quote came yet, over the events released before it (or at it)."""
    quote = trade = None
    for tick, index, kind, price, ask in events:
        if tick > before or (tick == before and not inclusive):
            break
        if index == instrument:
            if kind == "quote":
                quote = ask if side == Side.BUY else price
            else:
                trade = price
    return quote if quote is not None else trade


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(plan=orders)
def test_random_orders_fill_on_the_book_and_conserve_every_balance(plan, short_args, market, config) -> None:
    events = market
    strategy = Plan(plan)
    result = backtest(short_args, BacktestArgsDynamic(id="plan", risk_free_return=Decimal(0), strategy=strategy))
    instruments = config.system().indexed_instruments()
    base_of = {int(keyed.key): instruments.find_asset(keyed.value.underlying.base).asset.name_internal for keyed in instruments.instruments()}
    initial = {balance["asset"]: Decimal(str(balance["balance"]["total"])) for balance in _config()["system"]["executions"][0]["simulated"]["initial_state"]["balances"]}
    running = dict(initial)
    for fill in result.fills():
        side, kind, limit, instrument = strategy.sent[fill.quantity]
        assert int(fill.instrument) == instrument and fill.side == side
        time = fill.time_exchange.timestamp_ns()
        value = fill.price * fill.quantity
        maker = fill.fees.fees == value * MAKER_BPS / 10_000
        assert maker or fill.fees.fees == value * TAKER_BPS / 10_000
        if maker:
            # A resting limit filled at its price, by the quote or trade released at that instant.
            assert kind in ("gtc", "post_only") and fill.price == limit
            reached = [(k, p, a) for tick, index, k, p, a in events if tick == time and index == instrument]
            assert any((k == "quote" and (a <= limit if side == Side.BUY else p >= limit)) or (k == "trade" and (p < limit if side == Side.BUY else p > limit)) for k, p, a in reached)
        else:
            # A taker at the touch of its arrival (events released at that very instant may or may
            # not have been applied first), never beyond its limit.
            assert fill.price in {_touch(events, instrument, time, side, inclusive) for inclusive in (False, True)}
            assert kind != "post_only"
            if limit is not None:
                assert fill.price <= limit if side == Side.BUY else fill.price >= limit
        base = base_of[instrument]
        if side == Side.BUY:
            running["usdt"] -= value + fill.fees.fees
            running[base] += fill.quantity
        else:
            running[base] -= fill.quantity
            running["usdt"] += value - fill.fees.fees
        assert all(amount >= 0 for amount in running.values()), running
    # Conservation, exactly: barter's end balances are the initial ones moved by the fills and fees.
    summary = result.summary().trading_summary
    for asset, amount in running.items():
        end = summary.assets[ExchangeAsset(exchange=ExchangeId.BINANCE_SPOT, asset=asset)].balance_end
        assert end.total == amount, asset
        assert Decimal(0) <= end.free <= end.total


def test_the_backtest_equals_the_rust_reference(market_data) -> None:
    """The same backtest (BuyEveryTrade on the simulated venue) run from Rust with no FFI
    (tests/event_time.rs) gives these fills and this summary; so does the Kotlin test."""
    from conftest import _written_by_rust
    from barter.strategy import Strategy

    reference = _written_by_rust("simulated_venue.json", "event_time")
    config = BacktestConfig.from_json(json.dumps(reference["config"]))
    args = BacktestArgsConstant.from_config(config, market_data, SummaryInterval.DAILY)
    result = backtest(args, BacktestArgsDynamic(id="simulated", risk_free_return=config.risk_free_return(), strategy=Strategy.BUY_EVERY_TRADE))
    assert [json.loads(fill.to_json()) for fill in result.fills()] == reference["fills"]
    assert json.loads(result.summary().trading_summary.to_json()) == reference["summary"]
    # The reference's venue is the one this file configures.
    assert config.system().executions() == BacktestConfig.from_json(json.dumps(_config())).system().executions()


def test_a_paper_session_buys_then_sells_with_correct_balances() -> None:
    """The issue's own case, on a live (paper) system fed with `System.send`: after a buy then a
    sell, USDT has paid both values and fees and received the sale, and BTC is back where it was
    (barter's mock debits USDT by the BTC quantity on the sell and credits nothing)."""
    from test_system import _until  # the audit helpers of the System tests
    from barter.data import DataKind, Level, MarketEvent, MarketStreamEvent, OrderBookL1
    from barter.engine import EngineClock, EngineEvent, LiveClock, OneOrManyOrderRequestOpen
    from barter.execution import AccountEventKind, OrderKey, OrderKind, OrderRequestOpen, RequestOpen
    from barter.instrument import ExchangeIndex, InstrumentIndex
    from barter.system import AuditMode, SystemArgs, SystemBuilder

    config = BacktestConfig.from_json(json.dumps(_config(latency_ms=0)))
    instruments = config.system().indexed_instruments()
    btc = InstrumentIndex(instruments.find_instrument_index(ExchangeId.BINANCE_SPOT, BTC))
    args = SystemArgs(instruments=instruments, executions=config.system().executions(), clock=EngineClock.LIVE(LiveClock()))
    system = SystemBuilder(args).audit_mode(AuditMode.ENABLED).build().init()
    updates = system.take_audit().updates
    _until(updates, AccountEventKind.SNAPSHOT)

    def quote(bid: str, ask: str) -> None:
        now = Timestamp.from_datetime(dt.datetime.now(dt.timezone.utc))
        l1 = OrderBookL1(last_update_time=now, best_bid=Level(price=Decimal(bid), amount=Decimal(1)), best_ask=Level(price=Decimal(ask), amount=Decimal(1)))
        system.send(EngineEvent.MARKET(MarketStreamEvent.ITEM(MarketEvent(
            time_exchange=now, time_received=now, exchange=ExchangeId.BINANCE_SPOT, instrument=btc, kind=DataKind.ORDER_BOOK_L1(l1)))))

    def market(side: Side, cid: str) -> None:
        key = OrderKey(exchange=ExchangeIndex(0), instrument=btc, strategy="paper", cid=cid)
        state = RequestOpen(side=side, price=Decimal(1), quantity=QUANTITY, kind=OrderKind.MARKET, time_in_force=TimeInForce.IMMEDIATE_OR_CANCEL())
        system.send_open_requests(OneOrManyOrderRequestOpen.ONE(OrderRequestOpen(key=key, state=state)))
        _until(updates, AccountEventKind.TRADE)

    quote("87000", "87001")
    market(Side.BUY, "buy")
    quote("87100", "87101")
    market(Side.SELL, "sell")
    engine, _ = system.shutdown()
    summary = engine.trading_summary_generator(Decimal(0)).generate(SummaryInterval.DAILY)
    usdt = summary.assets[ExchangeAsset(exchange=ExchangeId.BINANCE_SPOT, asset="usdt")].balance_end
    btc_balance = summary.assets[ExchangeAsset(exchange=ExchangeId.BINANCE_SPOT, asset="btc")].balance_end
    # Bought 0.01 at the ask 87001 (870.01, fee 5 bps 0.435005), sold at the bid 87100 (871.00,
    # fee 0.4355): 10000 - 870.01 - 0.435005 + 871.00 - 0.4355.
    assert usdt.total == Decimal("10000.119495")
    assert btc_balance.total == Decimal("0.1")
