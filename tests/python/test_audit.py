"""What barter's engine emits — its outputs and audit ticks — from Python, against barter's own JSON
of them: the ticks of a real native engine run and one value of each output type (written by
tests/json.rs `write_audit_samples`)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from barter import BarterError, Timestamp
from barter.engine import (
    AccountStreamEvent,
    ActionOutput,
    AuditTickEngineAudit,
    Command,
    EngineAudit,
    EngineContext,
    EngineError,
    EngineEvent,
    EngineMeta,
    EngineOutput,
    ExecutionError,
    GenerateAlgoOrdersOutput,
    InstrumentFilter,
    NoneOneOrManyEngineOutput,
    NoneOneOrManyOrderRequestCancel,
    NoneOneOrManyOrderRequestCancelError,
    NoneOneOrManyOrderRequestOpen,
    NoneOneOrManyOrderRequestOpenError,
    NoneOneOrManyRiskRefusedOrderRequestCancel,
    NoneOneOrManyRiskRefusedOrderRequestOpen,
    NoneOneOrManyUnrecoverableEngineError,
    OneOrManyOrderRequestCancel,
    OneOrManyOrderRequestOpen,
    OrderRequestOpenError,
    ProcessAudit,
    RecoverableEngineError,
    SendCancelsAndOpensOutput,
    SendRequestsOutputRequestCancel,
    SendRequestsOutputRequestOpen,
    Shutdown,
    TradingState,
    UnrecoverableEngineError,
    UpdateFromAccountOutput,
    UpdateFromMarketOutput,
    UpdateTradingStateOutput,
)
from barter.data import MarketStreamEvent
from barter.execution import (
    ApiError,
    ClientError,
    ConnectivityError,
    OrderKey,
    OrderKind,
    OrderRequestCancel,
    OrderRequestOpen,
    RequestCancel,
    RequestOpen,
    TimeInForce,
)
from barter.instrument import AssetIndex, ExchangeId, ExchangeIndex, IndexError, InstrumentIndex, Side
from barter.risk import RiskRefusedOrderRequestCancel, RiskRefusedOrderRequestOpen

from strategies import names

# The native run's clock starts here and steps a millisecond per event.
START = datetime.datetime(2025, 3, 25, 23, 7, tzinfo=datetime.timezone.utc)


def _key(cid: str) -> OrderKey:
    return OrderKey(exchange=ExchangeIndex(0), instrument=InstrumentIndex(0), strategy="python", cid=cid)


def _open(cid: str, side: Side) -> OrderRequestOpen:
    state = RequestOpen(side=side, price=Decimal("87000"), quantity=Decimal("0.01"), kind=OrderKind.MARKET, time_in_force=TimeInForce.IMMEDIATE_OR_CANCEL())
    return OrderRequestOpen(key=_key(cid), state=state)


def _cancel(cid: str, order_id: str | None = "7") -> OrderRequestCancel:
    return OrderRequestCancel(key=_key(cid), state=RequestCancel(id=order_id))


def _context(sequence: int, milliseconds: int) -> EngineContext:
    return EngineContext(sequence=sequence, time=Timestamp.from_rfc3339((START + datetime.timedelta(milliseconds=milliseconds)).isoformat()))


def _processed(event: EngineEvent, outputs: NoneOneOrManyEngineOutput, sequence: int) -> AuditTickEngineAudit:
    audit = ProcessAudit(event=event, outputs=outputs, errors=NoneOneOrManyUnrecoverableEngineError.NONE())
    return AuditTickEngineAudit(event=EngineAudit.PROCESS(audit), context=_context(sequence, sequence + 1))


def _nothing_sent_cancels() -> SendRequestsOutputRequestCancel:
    return SendRequestsOutputRequestCancel(sent=NoneOneOrManyOrderRequestCancel.NONE(), errors=NoneOneOrManyOrderRequestCancelError.NONE())


def _nothing_sent_opens() -> SendRequestsOutputRequestOpen:
    return SendRequestsOutputRequestOpen(sent=NoneOneOrManyOrderRequestOpen.NONE(), errors=NoneOneOrManyOrderRequestOpenError.NONE())


def _one(output: EngineOutput) -> NoneOneOrManyEngineOutput:
    return NoneOneOrManyEngineOutput.ONE(output)


# The ticks of the native run that Python can build in full, by their sequence number (the others
# hold a position exit, algo orders with random ids, and barter's error messages: checked below).
BUILT_TICKS = {
    0: lambda: _processed(
        EngineEvent.COMMAND(Command.SEND_OPEN_REQUESTS(OneOrManyOrderRequestOpen.ONE(_open("cid-1", Side.BUY)))),
        _one(EngineOutput.COMMANDED(ActionOutput.OPEN_ORDERS(SendRequestsOutputRequestOpen(sent=NoneOneOrManyOrderRequestOpen.ONE(_open("cid-1", Side.BUY)), errors=NoneOneOrManyOrderRequestOpenError.NONE())))),
        0,
    ),
    2: lambda: _processed(
        EngineEvent.COMMAND(Command.CLOSE_POSITIONS(InstrumentFilter.NONE())),
        _one(EngineOutput.COMMANDED(ActionOutput.CLOSE_POSITIONS(SendCancelsAndOpensOutput(cancels=_nothing_sent_cancels(), opens=_nothing_sent_opens())))),
        2,
    ),
    4: lambda: _processed(
        EngineEvent.COMMAND(Command.CANCEL_ORDERS(InstrumentFilter.NONE())),
        _one(EngineOutput.COMMANDED(ActionOutput.CANCEL_ORDERS(SendRequestsOutputRequestCancel(sent=NoneOneOrManyOrderRequestCancel.ONE(_cancel("cid-1", None)), errors=NoneOneOrManyOrderRequestCancelError.NONE())))),
        4,
    ),
    5: lambda: _processed(EngineEvent.ACCOUNT(AccountStreamEvent.RECONNECTING(ExchangeId.BINANCE_SPOT)), _one(EngineOutput.ACCOUNT_DISCONNECT()), 5),
    6: lambda: _processed(EngineEvent.MARKET(MarketStreamEvent.RECONNECTING(ExchangeId.BINANCE_SPOT)), _one(EngineOutput.MARKET_DISCONNECT()), 6),
    8: lambda: _processed(EngineEvent.TRADING_STATE_UPDATE(TradingState.DISABLED), _one(EngineOutput.ON_TRADING_DISABLED()), 8),
    11: lambda: _processed(EngineEvent.SHUTDOWN(Shutdown()), NoneOneOrManyEngineOutput.NONE(), 11),
    12: lambda: AuditTickEngineAudit(event=EngineAudit.FEED_ENDED(), context=_context(12, 12)),
}


def test_every_tick_of_barters_engine_reads_back_as_barter_wrote_it(audit_samples: dict) -> None:
    ticks = [AuditTickEngineAudit.from_json(sample) for sample in audit_samples["ticks"]]
    assert [tick.to_json() for tick in ticks] == audit_samples["ticks"]
    assert [tick.context.sequence for tick in ticks] == list(range(len(ticks)))
    assert EngineMeta.from_json(audit_samples["meta_end"]).sequence == len(ticks)


@pytest.mark.parametrize("sequence", sorted(BUILT_TICKS))
def test_ticks_built_in_python_are_barters(sequence: int, audit_samples: dict) -> None:
    built = BUILT_TICKS[sequence]()
    assert built.to_json() == audit_samples["ticks"][sequence]
    assert AuditTickEngineAudit.from_json(audit_samples["ticks"][sequence]) == built


def test_the_engines_other_outputs_are_barters(audit_samples: dict) -> None:
    ticks = [AuditTickEngineAudit.from_json(sample) for sample in audit_samples["ticks"]]
    # A sell trade closed the position the buy opened.
    exit_output = ticks[3].event[0].outputs[0]
    assert isinstance(exit_output, EngineOutput.POSITION_EXIT)
    exited = exit_output[0]
    assert (exited.instrument, exited.side, exited.trades) == (InstrumentIndex(0), Side.BUY, ["t-1", "t-2"])
    # A public trade: the strategy bought it (algo orders, no refusals).
    algo = ticks[7].event[0].outputs[0]
    assert isinstance(algo, EngineOutput.ALGO_ORDERS)
    bought = algo[0].cancels_and_opens.opens.sent[0]
    assert (bought.state.side, bought.state.price, bought.state.quantity) == (Side.BUY, Decimal("87232"), Decimal("0.00012"))
    assert algo[0].opens_refused == NoneOneOrManyRiskRefusedOrderRequestOpen.NONE()


def test_failed_sends_pair_each_request_with_its_error(audit_samples: dict) -> None:
    """After the execution stopped listening, each request comes back with barter's error, and the
    unrecoverable ones stop the engine (the audit's `errors`)."""
    opens = AuditTickEngineAudit.from_json(audit_samples["ticks"][9]).event[0]
    errors = opens.errors[0]
    assert len(errors) == 2 and all(isinstance(error, UnrecoverableEngineError.EXECUTION_CHANNEL_TERMINATED) for error in errors)
    failed = opens.outputs[0][0][0].errors[0]
    assert [pair.request for pair in failed] == [_open("cid-2", Side.BUY), _open("cid-3", Side.SELL)]
    assert [pair.error for pair in failed] == [EngineError.UNRECOVERABLE(error) for error in errors]
    assert opens.event == EngineEvent.COMMAND(Command.SEND_OPEN_REQUESTS(OneOrManyOrderRequestOpen.MANY([_open("cid-2", Side.BUY), _open("cid-3", Side.SELL)])))
    cancels = AuditTickEngineAudit.from_json(audit_samples["ticks"][10]).event[0]
    pair = cancels.outputs[0][0][0].errors[0]
    assert pair.request == _cancel("cid-4")
    # The pair is barter's `(request, error)`: rebuilt in Python, it writes barter's JSON.
    rebuilt = ProcessAudit(
        event=EngineEvent.COMMAND(Command.SEND_CANCEL_REQUESTS(OneOrManyOrderRequestCancel.ONE(_cancel("cid-4")))),
        outputs=_one(EngineOutput.COMMANDED(ActionOutput.CANCEL_ORDERS(SendRequestsOutputRequestCancel(sent=NoneOneOrManyOrderRequestCancel.NONE(), errors=NoneOneOrManyOrderRequestCancelError.ONE(pair))))),
        errors=NoneOneOrManyUnrecoverableEngineError.ONE(pair.error[0]),
    )
    assert AuditTickEngineAudit(event=EngineAudit.PROCESS(rebuilt), context=_context(10, 11)).to_json() == audit_samples["ticks"][10]


def _refused_algo_orders() -> GenerateAlgoOrdersOutput:
    unhealthy = EngineError.RECOVERABLE(RecoverableEngineError.EXECUTION_CHANNEL_UNHEALTHY("full"))
    return GenerateAlgoOrdersOutput(
        cancels_and_opens=SendCancelsAndOpensOutput(
            cancels=SendRequestsOutputRequestCancel(sent=NoneOneOrManyOrderRequestCancel.ONE(_cancel("cid-5")), errors=NoneOneOrManyOrderRequestCancelError.NONE()),
            opens=SendRequestsOutputRequestOpen(sent=NoneOneOrManyOrderRequestOpen.NONE(), errors=NoneOneOrManyOrderRequestOpenError.ONE(OrderRequestOpenError(request=_open("cid-6", Side.BUY), error=unhealthy))),
        ),
        cancels_refused=NoneOneOrManyRiskRefusedOrderRequestCancel.MANY([RiskRefusedOrderRequestCancel(item=_cancel("cid-7"), reason="no"), RiskRefusedOrderRequestCancel(item=_cancel("cid-8"), reason="ünïcode")]),
        opens_refused=NoneOneOrManyRiskRefusedOrderRequestOpen.ONE(RiskRefusedOrderRequestOpen(item=_open("cid-9", Side.SELL), reason="too big")),
    )


def test_output_values_built_in_python_are_barters(audit_samples: dict) -> None:
    refused = _refused_algo_orders()
    assert refused.to_json() == audit_samples["generate_algo_orders"]
    assert GenerateAlgoOrdersOutput.from_json(audit_samples["generate_algo_orders"]) == refused
    empty = GenerateAlgoOrdersOutput(
        cancels_and_opens=SendCancelsAndOpensOutput(cancels=_nothing_sent_cancels(), opens=_nothing_sent_opens()),
        cancels_refused=NoneOneOrManyRiskRefusedOrderRequestCancel.NONE(),
        opens_refused=NoneOneOrManyRiskRefusedOrderRequestOpen.NONE(),
    )
    assert empty.to_json() == audit_samples["generate_algo_orders_default"]
    actions = [ActionOutput.GENERATE_ALGO_ORDERS(refused), ActionOutput.CLOSE_POSITIONS(empty.cancels_and_opens)]
    assert [action.to_json() for action in actions] == audit_samples["action_outputs"]
    assert [ActionOutput.from_json(sample) for sample in audit_samples["action_outputs"]] == actions
    custom = UnrecoverableEngineError.CUSTOM
    unrecoverable = [
        NoneOneOrManyUnrecoverableEngineError.NONE(),
        NoneOneOrManyUnrecoverableEngineError.ONE(custom("one")),
        NoneOneOrManyUnrecoverableEngineError.MANY([custom("one"), UnrecoverableEngineError.EXECUTION_CHANNEL_TERMINATED("two")]),
    ]
    assert [errors.to_json() for errors in unrecoverable] == audit_samples["unrecoverable"]


@pytest.mark.parametrize(
    ("name", "values", "cls"),
    [
        ("update_trading_state", [UpdateTradingStateOutput.NONE, UpdateTradingStateOutput.ON_TRADING_DISABLED], UpdateTradingStateOutput),
        ("update_from_account", [UpdateFromAccountOutput.NONE(), UpdateFromAccountOutput.ON_DISCONNECT()], UpdateFromAccountOutput),
        ("update_from_market", [UpdateFromMarketOutput.NONE, UpdateFromMarketOutput.ON_DISCONNECT], UpdateFromMarketOutput),
        ("engine_outputs", [EngineOutput.ON_TRADING_DISABLED(), EngineOutput.ACCOUNT_DISCONNECT(), EngineOutput.MARKET_DISCONNECT()], EngineOutput),
    ],
)
def test_the_default_strategys_unit_outputs_are_barters(name, values, cls, audit_samples: dict) -> None:
    """barter writes the default strategy's `()` reactions as `null`: variants without data here."""
    assert [value.to_json() for value in values] == audit_samples[name]
    assert [cls.from_json(sample) for sample in audit_samples[name]] == values


def test_meta_and_context_are_barters(audit_samples: dict) -> None:
    meta = EngineMeta(time_start=Timestamp.from_rfc3339("2025-03-25T23:07:00.123456789Z"), sequence=42)
    assert meta.to_json() == audit_samples["meta"]
    assert EngineMeta.from_json(audit_samples["meta_start"]) == EngineMeta(time_start=Timestamp.from_rfc3339(START.isoformat()), sequence=0)
    context = EngineContext(sequence=7, time=Timestamp.from_rfc3339("2025-03-25T23:07:00.000000001Z"))
    assert context.to_json() == audit_samples["context"]
    assert {context: "seven"}[EngineContext.from_json(audit_samples["context"])] == "seven"


def test_execution_errors_are_data_with_barters_message(audit_samples: dict) -> None:
    built = [
        ExecutionError.CONFIG("no executions"),
        ExecutionError.INDEX(IndexError.ASSET_INDEX("AssetIndex(9)")),
        ExecutionError.CLIENT(ClientError.CONNECTIVITY(ConnectivityError.TIMEOUT())),
        ExecutionError.CLIENT(ClientError.API(ApiError.BALANCE_INSUFFICIENT(AssetIndex(1), "short"))),
    ]
    assert [error.to_json() for error in built] == [sample["json"] for sample in audit_samples["execution_errors"]]
    assert [str(error) for error in built] == [sample["message"] for sample in audit_samples["execution_errors"]]
    assert [ExecutionError.from_json(sample["json"]) for sample in audit_samples["execution_errors"]] == built


def test_bad_audit_json_raises_naming_the_field(audit_samples: dict) -> None:
    bad = audit_samples["ticks"][8].replace('"OnTradingDisabled":null', '"OnTradingDisabled":1')
    with pytest.raises(BarterError.Json, match=r"event\.Process\.outputs\.One\.OnTradingDisabled"):
        AuditTickEngineAudit.from_json(bad)
    with pytest.raises(BarterError.Json, match=r"context\.sequence"):
        AuditTickEngineAudit.from_json(audit_samples["ticks"][12].replace('"sequence":12', '"sequence":-1'))
    with pytest.raises(BarterError.Json, match="unknown variant `Some`"):
        NoneOneOrManyUnrecoverableEngineError.from_json('{"Some":{"Custom":"x"}}')


@given(reasons=st.lists(names, max_size=4))
def test_any_errors_round_trip_barters_json(reasons: list[str]) -> None:
    errors = [UnrecoverableEngineError.CUSTOM(reason) for reason in reasons]
    for value in (NoneOneOrManyUnrecoverableEngineError.NONE(), NoneOneOrManyUnrecoverableEngineError.MANY(errors)):
        assert NoneOneOrManyUnrecoverableEngineError.from_json(value.to_json()) == value
    audit = ProcessAudit(event=EngineEvent.SHUTDOWN(Shutdown()), outputs=NoneOneOrManyEngineOutput.MANY([EngineOutput.MARKET_DISCONNECT()] * len(reasons)), errors=NoneOneOrManyUnrecoverableEngineError.MANY(errors))
    assert ProcessAudit.from_json(audit.to_json()) == audit
