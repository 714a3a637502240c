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
    SystemArgs,
    SystemBuild,
    SystemBuilder,
    SystemConfig,
    SystemShutdown,
)
from barter._records import fields, hashable, iterable

hashable(InstrumentConfig, KeyedBalance)
iterable(AuditStream)

# barter returns `(engine, audit)`: unpack a shutdown as barter's tuple.
SystemShutdown.__iter__ = lambda self: iter(fields(self).values())  # type: ignore[attr-defined]

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
