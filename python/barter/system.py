"""Bindings for ``barter::system``: the configuration of a trading system, and whole systems
(engine, executions, market data) built and run from Python, as barter's examples run them::

    from barter.data import init_indexed_multi_exchange_market_stream, SubKind
    from barter.engine import EngineClock, InstrumentFilter, LiveClock, TradingState
    from barter.system import AuditMode, SystemArgs, SystemBuilder, SystemConfig

    config = SystemConfig.from_json(text)
    instruments = config.indexed_instruments()
    market_stream = init_indexed_multi_exchange_market_stream(instruments, [SubKind.PUBLIC_TRADES])
    args = SystemArgs(instruments=instruments, executions=config.executions(),
                      clock=EngineClock.LIVE(LiveClock()), market_stream=market_stream)
    system = SystemBuilder(args).audit_mode(AuditMode.ENABLED).build().init()
    audit = system.take_audit()           # the state when it started, then one tick per event
    system.trading_state(TradingState.ENABLED)
    ...
    system.cancel_orders(InstrumentFilter.NONE())
    engine, last_audit = system.shutdown()
    summary = engine.trading_summary_generator(risk_free_return).generate(SummaryInterval.DAILY)
"""

from __future__ import annotations

from barter._ffi import barter_ffi as _ffi
from barter._ffi.barter_ffi import (
    AuditMode,
    AuditStream,
    BacktestConfig,
    EngineFeedMode,
    ExecutionConfig,
    InstrumentConfig,
    KeyedBalance,
    SnapUpdates,
    System,
    SystemBuild,
    SystemConfig,
    SystemShutdown,
)
from barter import _protocols
from barter._foreign import Run
from barter.risk import RiskManager
from barter.strategy import AlgoStrategy, Strategy


class SystemArgs(_ffi.SystemArgs):
    """What a system is built from (barter's ``SystemArgs``): the ``instruments`` it tracks, the
    ``executions`` it trades through, the engine's ``clock`` (``EngineClock.LIVE`` for live and
    paper trading), the ``strategy`` (a built-in :class:`~barter.strategy.Strategy` or a Python
    :class:`~barter.strategy.AlgoStrategy`), the ``market_stream`` feeding the engine (``None``:
    only the events sent with ``System.send``) and the ``risk`` manager (a Python
    :class:`~barter.risk.RiskManager`; ``None``: barter's ``DefaultRiskManager``).

    A Python strategy or risk manager that raises stops the system's trading: the system keeps
    running with trading disabled and ``System.failure()`` reports the exception.
    """

    strategy: Strategy | AlgoStrategy | None  # type: ignore[assignment]
    risk: RiskManager | None  # type: ignore[assignment]

    def __init__(
        self,
        *,
        instruments: _ffi.IndexedInstruments,
        executions: list[ExecutionConfig],
        clock: _ffi.EngineClock,
        strategy: Strategy | AlgoStrategy | None = None,
        market_stream: _ffi.MarketStream | None = None,
        risk: RiskManager | None = None,
    ) -> None:
        super().__init__(
            instruments=instruments, executions=executions, clock=clock, strategy=strategy,  # type: ignore[arg-type]
            market_stream=market_stream, foreign_strategy=None, risk=risk,  # type: ignore[arg-type]
        )


class SystemBuilder(_ffi.SystemBuilder):
    """barter's ``SystemBuilder``: ``SystemArgs`` and the options of the system (each left at
    barter's default unless set). Each option returns a new builder."""

    def __init__(self, args: _ffi.SystemArgs) -> None:
        if isinstance(args, SystemArgs):
            run = Run()
            strategy, foreign = run.strategy(args.strategy)
            args = _ffi.SystemArgs(
                instruments=args.instruments, executions=args.executions, clock=args.clock, strategy=strategy,
                market_stream=args.market_stream, foreign_strategy=foreign, risk=run.risk(args.risk),
            )
        super().__init__(args)

_protocols.register(SystemBuilder, _ffi.SystemBuilder)

__all__ = [
    # Configuration
    "BacktestConfig",
    "ExecutionConfig",
    "InstrumentConfig",
    "SystemConfig",
    # Building a system (barter::system::builder)
    "AuditMode",
    "EngineFeedMode",
    "KeyedBalance",
    "SystemArgs",
    "SystemBuild",
    "SystemBuilder",
    # A running system, its audit stream, and its shutdown
    "AuditStream",
    "SnapUpdates",
    "System",
    "SystemShutdown",
]
