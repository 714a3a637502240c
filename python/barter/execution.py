"""Bindings for ``barter-execution``: balances, orders and their states, trades, account events
and snapshots, barter-execution's errors (as data), the instrument map and account event
indexer, and barter's mock exchange driven through barter's mock execution client.

``SimulatedExecutionConfig`` configures the bindings' own simulated venue, which backtests trade
on in place of barter's mock: it fills at the market when an order arrives, rests limit orders,
and keeps an exchange's accounts (``ExecutionConfig.SIMULATED`` in a system's executions).

As in barter, the plain names are keyed by the engine's indexes (``Order``, ``AccountEvent``, ...)
and the ``Unindexed`` names by the exchange's names (``UnindexedOrder``, ...), which execution
clients speak. Every type reads and writes barter's own serde JSON (``Order.from_json(text)``,
``order.to_json()``).

Example: a market order on barter's mock exchange::

    from decimal import Decimal
    from barter.execution import MockExecution, MockExecutionConfig, OrderKind, RequestOpen, TimeInForce
    from barter.execution import UnindexedOrderKey, UnindexedOrderRequestOpen
    from barter.instrument import ExchangeId, Side

    mock = MockExecution(MockExecutionConfig.from_json(text), system_config.indexed_instruments())
    events = mock.account_stream([], [])
    response = mock.open_order(UnindexedOrderRequestOpen(
        key=UnindexedOrderKey(exchange=ExchangeId.BINANCE_SPOT, instrument="BTCUSDT", strategy="s", cid="c1"),
        state=RequestOpen(side=Side.BUY, price=Decimal("87000"), quantity=Decimal("0.01"),
                          kind=OrderKind.MARKET, time_in_force=TimeInForce.IMMEDIATE_OR_CANCEL()),
    ))
    balance_event, trade_event = next(events), next(events)
"""

from __future__ import annotations

from barter._ffi import barter_ffi as _ffi
from barter._check import strict
from barter._ffi.barter_ffi import (
    AccountEvent,
    AccountEventIndexer,
    AccountEventKind,
    AccountSnapshot,
    AccountStream,
    ActiveOrderState,
    ApiError,
    AssetBalance,
    AssetFees,
    Balance,
    CancelInFlight,
    Cancelled,
    ClientError,
    ConnectivityError,
    ExecutionInstrumentMap,
    ExecutionKeyError,
    InactiveOrderState,
    InstrumentAccountSnapshot,
    FillModel,
    MockExecution,
    MockExecutionConfig,
    Open,
    OpenInFlight,
    Order,
    OrderCancelResult,
    OrderError,
    OrderKey,
    OrderKind,
    OrderRequestCancel,
    OrderRequestOpen,
    OrderResponseCancel,
    OrderState,
    RequestCancel,
    RequestOpen,
    SimulatedExecutionConfig,
    SimulatedFees,
    TimeInForce,
    Trade,
    UnindexedAccountEvent,
    UnindexedAccountEventKind,
    UnindexedAccountSnapshot,
    UnindexedApiError,
    UnindexedAssetBalance,
    UnindexedClientError,
    UnindexedInactiveOrderState,
    UnindexedInstrumentAccountSnapshot,
    UnindexedOrder,
    UnindexedOrderCancelResult,
    UnindexedOrderError,
    UnindexedOrderKey,
    UnindexedOrderOpen,
    UnindexedOrderOpenResult,
    UnindexedOrderRequestCancel,
    UnindexedOrderRequestOpen,
    UnindexedOrderResponseCancel,
    UnindexedOrderResponseOpen,
    UnindexedOrderState,
    UnindexedTrade,
)

# barter's functions, each argument checked first (barter._check).
client_order_id_random = strict(_ffi.client_order_id_random)
strategy_id_unknown = strict(_ffi.strategy_id_unknown)

# barter's aliases of the same types.
OrderSnapshot = Order
UnindexedOrderSnapshot = UnindexedOrder

__all__ = [
    # Balances
    "AssetBalance",
    "Balance",
    "UnindexedAssetBalance",
    # Orders: identifiers are str (ClientOrderId, OrderId, StrategyId, TradeId)
    "Order",
    "OrderKey",
    "OrderKind",
    "OrderSnapshot",
    "TimeInForce",
    "UnindexedOrder",
    "UnindexedOrderKey",
    "UnindexedOrderOpen",
    "UnindexedOrderSnapshot",
    "client_order_id_random",
    "strategy_id_unknown",
    # Requests and responses
    "OrderCancelResult",
    "OrderRequestCancel",
    "OrderRequestOpen",
    "OrderResponseCancel",
    "RequestCancel",
    "RequestOpen",
    "UnindexedOrderCancelResult",
    "UnindexedOrderOpenResult",
    "UnindexedOrderRequestCancel",
    "UnindexedOrderRequestOpen",
    "UnindexedOrderResponseCancel",
    "UnindexedOrderResponseOpen",
    # Order states
    "ActiveOrderState",
    "CancelInFlight",
    "Cancelled",
    "InactiveOrderState",
    "Open",
    "OpenInFlight",
    "OrderState",
    "UnindexedInactiveOrderState",
    "UnindexedOrderState",
    # Trades
    "AssetFees",
    "Trade",
    "UnindexedTrade",
    # Account events and snapshots
    "AccountEvent",
    "AccountEventKind",
    "AccountSnapshot",
    "InstrumentAccountSnapshot",
    "UnindexedAccountEvent",
    "UnindexedAccountEventKind",
    "UnindexedAccountSnapshot",
    "UnindexedInstrumentAccountSnapshot",
    # Errors, as data
    "ApiError",
    "ClientError",
    "ConnectivityError",
    "ExecutionKeyError",
    "OrderError",
    "UnindexedApiError",
    "UnindexedClientError",
    "UnindexedOrderError",
    # Indexing, barter's mock exchange, and the simulated venue
    "AccountEventIndexer",
    "AccountStream",
    "ExecutionInstrumentMap",
    "MockExecution",
    "MockExecutionConfig",
    "SimulatedExecutionConfig",
    "SimulatedFees",
    "FillModel",
]
