//! barter-execution's orders: identifiers, kinds, keys, open and cancel requests and responses,
//! and every order state.

use crate::{
    custom::Timestamp,
    execution::error::{OrderError, UnindexedOrderError},
    json::json_functions,
};
use barter_execution::order::{
    OrderEvent, OrderKind, TimeInForce,
    id::{ClientOrderId, OrderId, StrategyId},
    request::{RequestCancel, RequestOpen},
    state::{ActiveOrderState, CancelInFlight, Cancelled, Open, OpenInFlight},
};
use barter_instrument::{
    Side,
    asset::{AssetIndex, name::AssetNameExchange},
    exchange::{ExchangeId, ExchangeIndex},
    instrument::{InstrumentIndex, name::InstrumentNameExchange},
};
use barter_integration::collection::snapshot::Snapshot;
use rust_decimal::Decimal;

// barter's identifiers are `SmolStr` newtypes: they cross as `str`.
uniffi::custom_type!(ClientOrderId, String, {
    remote,
    lower: |id| id.0.to_string(),
    try_lift: |id| Ok(ClientOrderId::new(id)),
});

uniffi::custom_type!(OrderId, String, {
    remote,
    lower: |id| id.0.to_string(),
    try_lift: |id| Ok(OrderId::new(id)),
});

uniffi::custom_type!(StrategyId, String, {
    remote,
    lower: |id| id.0.to_string(),
    try_lift: |id| Ok(StrategyId::new(id)),
});

/// barter's `ClientOrderId::random`: a random, URL-safe, 23 character client order id.
#[uniffi::export]
pub fn client_order_id_random() -> ClientOrderId {
    ClientOrderId::random()
}

/// barter's `StrategyId::unknown`: the strategy id `"unknown"`.
#[uniffi::export]
pub fn strategy_id_unknown() -> StrategyId {
    StrategyId::unknown()
}

/// Kind of an order: `Market` or `Limit`.
#[uniffi::remote(Enum)]
pub enum OrderKind {
    Market,
    Limit,
}

/// How long an order stays active: `GoodUntilCancelled` (optionally `post_only`),
/// `GoodUntilEndOfDay`, `FillOrKill` or `ImmediateOrCancel`.
#[uniffi::remote(Enum)]
pub enum TimeInForce {
    GoodUntilCancelled { post_only: bool },
    GoodUntilEndOfDay,
    FillOrKill,
    ImmediateOrCancel,
}

pub type OrderKey = barter_execution::order::OrderKey<ExchangeIndex, InstrumentIndex>;

/// Identifies an order: the `exchange` and `instrument` (indexes) it is for, the `strategy` that
/// placed it and its client order id `cid`.
#[uniffi::remote(Record)]
pub struct OrderKey {
    pub exchange: ExchangeIndex,
    pub instrument: InstrumentIndex,
    pub strategy: StrategyId,
    pub cid: ClientOrderId,
}

pub type UnindexedOrderKey = barter_execution::order::UnindexedOrderKey;

/// Identifies an order on an exchange: the `exchange` (`ExchangeId`) and `instrument`
/// (`InstrumentNameExchange`) it is for, the `strategy` that placed it and its client order id `cid`.
#[uniffi::remote(Record)]
pub struct UnindexedOrderKey {
    pub exchange: ExchangeId,
    pub instrument: InstrumentNameExchange,
    pub strategy: StrategyId,
    pub cid: ClientOrderId,
}

/// What an open order request asks for: `side`, `price`, `quantity`, `kind` and `time_in_force`.
#[uniffi::remote(Record)]
pub struct RequestOpen {
    pub side: Side,
    pub price: Decimal,
    pub quantity: Decimal,
    pub kind: OrderKind,
    pub time_in_force: TimeInForce,
}

/// What a cancel order request asks for: the exchange's order `id`, if known.
#[uniffi::remote(Record)]
pub struct RequestCancel {
    pub id: Option<OrderId>,
}

pub type OrderRequestOpen = OrderEvent<RequestOpen, ExchangeIndex, InstrumentIndex>;

/// A request to open the order at `key`, as described by `state` (barter's
/// `OrderEvent<RequestOpen>`).
#[uniffi::remote(Record)]
pub struct OrderRequestOpen {
    pub key: OrderKey,
    pub state: RequestOpen,
}

pub type UnindexedOrderRequestOpen = OrderEvent<RequestOpen, ExchangeId, InstrumentNameExchange>;

/// A request to open the order at `key` (exchange names), as described by `state`: what an
/// execution client's `open_order` takes.
#[uniffi::remote(Record)]
pub struct UnindexedOrderRequestOpen {
    pub key: UnindexedOrderKey,
    pub state: RequestOpen,
}

pub type OrderRequestCancel = OrderEvent<RequestCancel, ExchangeIndex, InstrumentIndex>;

/// A request to cancel the order at `key`, as described by `state` (barter's
/// `OrderEvent<RequestCancel>`).
#[uniffi::remote(Record)]
pub struct OrderRequestCancel {
    pub key: OrderKey,
    pub state: RequestCancel,
}

pub type UnindexedOrderRequestCancel = OrderEvent<RequestCancel, ExchangeId, InstrumentNameExchange>;

/// A request to cancel the order at `key` (exchange names), as described by `state`: what an
/// execution client's `cancel_order` takes.
#[uniffi::remote(Record)]
pub struct UnindexedOrderRequestCancel {
    pub key: UnindexedOrderKey,
    pub state: RequestCancel,
}

// --- Order states.

pub type OrderState = barter_execution::order::state::OrderState<AssetIndex, InstrumentIndex>;

/// State of an order: `Active` (an `ActiveOrderState`) or `Inactive` (an `InactiveOrderState`).
#[uniffi::remote(Enum)]
pub enum OrderState {
    Active(ActiveOrderState),
    Inactive(InactiveOrderState),
}

pub type UnindexedOrderState = barter_execution::order::state::UnindexedOrderState;

/// State of an order on an exchange: `Active` or `Inactive` (with exchange names in its errors).
#[uniffi::remote(Enum)]
pub enum UnindexedOrderState {
    Active(ActiveOrderState),
    Inactive(UnindexedInactiveOrderState),
}

/// State of an active order: `OpenInFlight` (requested, not yet acknowledged), `Open`, or
/// `CancelInFlight` (cancel requested, not yet acknowledged).
#[uniffi::remote(Enum)]
pub enum ActiveOrderState {
    OpenInFlight(OpenInFlight),
    Open(Open),
    CancelInFlight(CancelInFlight),
}

/// An order requested to open, not yet acknowledged by the exchange (no fields).
#[uniffi::remote(Record)]
pub struct OpenInFlight {}

/// An open order: the exchange's order `id`, `time_exchange` and the `filled_quantity` so far.
#[uniffi::remote(Record)]
pub struct Open {
    pub id: OrderId,
    pub time_exchange: Timestamp,
    pub filled_quantity: Decimal,
}

/// An order requested to cancel, not yet acknowledged: the `Open` state it had, if it was open.
#[uniffi::remote(Record)]
pub struct CancelInFlight {
    pub order: Option<Open>,
}

/// A cancelled order: the exchange's order `id` and the `time_exchange` it was cancelled.
#[uniffi::remote(Record)]
pub struct Cancelled {
    pub id: OrderId,
    pub time_exchange: Timestamp,
}

pub type InactiveOrderState = barter_execution::order::state::InactiveOrderState<AssetIndex, InstrumentIndex>;

/// State of an inactive order: `Cancelled`, `FullyFilled`, `OpenFailed` (with the `OrderError`)
/// or `Expired`.
#[uniffi::remote(Enum)]
pub enum InactiveOrderState {
    Cancelled(Cancelled),
    FullyFilled,
    OpenFailed(OrderError),
    Expired,
}

pub type UnindexedInactiveOrderState =
    barter_execution::order::state::InactiveOrderState<AssetNameExchange, InstrumentNameExchange>;

/// State of an inactive order on an exchange: `Cancelled`, `FullyFilled`, `OpenFailed` (with the
/// `UnindexedOrderError`) or `Expired`.
#[uniffi::remote(Enum)]
pub enum UnindexedInactiveOrderState {
    Cancelled(Cancelled),
    FullyFilled,
    OpenFailed(UnindexedOrderError),
    Expired,
}

// --- Orders.

pub type Order = barter_execution::order::Order<ExchangeIndex, InstrumentIndex, OrderState>;

/// An order: its `key`, `side`, `price`, `quantity`, `kind`, `time_in_force` and `state`
/// (an `OrderState`). barter's `OrderSnapshot` is this same type.
#[uniffi::remote(Record)]
pub struct Order {
    pub key: OrderKey,
    pub side: Side,
    pub price: Decimal,
    pub quantity: Decimal,
    pub kind: OrderKind,
    pub time_in_force: TimeInForce,
    pub state: OrderState,
}

pub type UnindexedOrder = barter_execution::order::UnindexedOrder;

/// An order on an exchange (exchange names): `key`, `side`, `price`, `quantity`, `kind`,
/// `time_in_force` and `state` (an `UnindexedOrderState`). barter's `UnindexedOrderSnapshot` is
/// this same type.
#[uniffi::remote(Record)]
pub struct UnindexedOrder {
    pub key: UnindexedOrderKey,
    pub side: Side,
    pub price: Decimal,
    pub quantity: Decimal,
    pub kind: OrderKind,
    pub time_in_force: TimeInForce,
    pub state: UnindexedOrderState,
}

pub type UnindexedOrderOpen = barter_execution::order::Order<ExchangeId, InstrumentNameExchange, Open>;

/// An open order on an exchange (state `Open`): what an execution client's `fetch_open_orders`
/// returns.
#[uniffi::remote(Record)]
pub struct UnindexedOrderOpen {
    pub key: UnindexedOrderKey,
    pub side: Side,
    pub price: Decimal,
    pub quantity: Decimal,
    pub kind: OrderKind,
    pub time_in_force: TimeInForce,
    pub state: Open,
}

/// barter-integration's `Snapshot<Order>` crosses as the `Order` it wraps.
pub type SnapshotOrder = Snapshot<Order>;

uniffi::custom_type!(SnapshotOrder, Order, {
    remote,
    lower: |snapshot| snapshot.0,
    try_lift: |order| Ok(Snapshot(order)),
});

/// barter-integration's `Snapshot<UnindexedOrder>` crosses as the order it wraps.
pub type SnapshotUnindexedOrder = Snapshot<UnindexedOrder>;

uniffi::custom_type!(SnapshotUnindexedOrder, UnindexedOrder, {
    remote,
    lower: |snapshot| snapshot.0,
    try_lift: |order| Ok(Snapshot(order)),
});

// --- Responses. barter's response states are `Result`s, which UniFFI cannot carry as a field:
// each crosses as a record of its own whose `state` is an `Ok` / `Err` enum, converted losslessly
// (barter's JSON is unchanged: `{"Ok": ...}` / `{"Err": ...}`).

/// Export barter's `Result<$ok, $err>` as the enum `$local` (`Ok($ok)` or `Err($err)`), with
/// lossless conversions both ways.
macro_rules! result_enum {
    ($(#[doc = $doc:literal])* $local:ident, $ok:ident, $err:ident) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
        pub enum $local {
            Ok($ok),
            Err($err),
        }

        impl From<Result<$ok, $err>> for $local {
            fn from(result: Result<$ok, $err>) -> Self {
                match result {
                    Ok(ok) => Self::Ok(ok),
                    Err(err) => Self::Err(err),
                }
            }
        }

        impl From<$local> for Result<$ok, $err> {
            fn from(result: $local) -> Self {
                match result {
                    $local::Ok(ok) => Ok(ok),
                    $local::Err(err) => Err(err),
                }
            }
        }
    };
}

result_enum!(
    /// barter's `Result<Cancelled, OrderError>`: `Ok(Cancelled)` or `Err(OrderError)`.
    OrderCancelResult, Cancelled, OrderError
);
result_enum!(
    /// barter's `Result<Cancelled, UnindexedOrderError>`: `Ok(Cancelled)` or `Err(UnindexedOrderError)`.
    UnindexedOrderCancelResult, Cancelled, UnindexedOrderError
);
result_enum!(
    /// barter's `Result<Open, UnindexedOrderError>`: `Ok(Open)` or `Err(UnindexedOrderError)`.
    UnindexedOrderOpenResult, Open, UnindexedOrderError
);

/// Export barter's cancel response `$barter` (an `OrderEvent` whose state is a `Result`) as the
/// record `$local`, whose `state` is the `$result` enum.
macro_rules! cancel_response {
    ($(#[doc = $doc:literal])* $barter:ident = $path:ty, $local:ident, $key:ty, $result:ident) => {
        pub type $barter = $path;

        $(#[doc = $doc])*
        #[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
        pub struct $local {
            pub key: $key,
            pub state: $result,
        }

        uniffi::custom_type!($barter, $local, {
            remote,
            lower: |response| $local { key: response.key, state: response.state.into() },
            try_lift: |response| Ok(OrderEvent { key: response.key, state: response.state.into() }),
        });
    };
}

cancel_response!(
    /// The response to a cancel request for the order at `key`: `state` is `OrderCancelResult.OK`
    /// (`Cancelled`) or `OrderCancelResult.ERR` (the `OrderError`).
    BarterOrderResponseCancel = barter_execution::order::request::OrderResponseCancel,
    OrderResponseCancel, OrderKey, OrderCancelResult
);
cancel_response!(
    /// The response of an exchange to a cancel request for the order at `key`: `state` is
    /// `UnindexedOrderCancelResult.OK` (`Cancelled`) or `.ERR` (the `UnindexedOrderError`).
    BarterUnindexedOrderResponseCancel = barter_execution::order::request::UnindexedOrderResponseCancel,
    UnindexedOrderResponseCancel, UnindexedOrderKey, UnindexedOrderCancelResult
);

/// barter's `Order<ExchangeId, InstrumentNameExchange, Result<Open, UnindexedOrderError>>`, what
/// an execution client's `open_order` returns, crossing as [`UnindexedOrderResponseOpen`].
pub type BarterUnindexedOrderResponseOpen =
    barter_execution::order::Order<ExchangeId, InstrumentNameExchange, Result<Open, UnindexedOrderError>>;

/// The response of an exchange to an open request (barter's `Order` whose state is a `Result`):
/// the order's `key`, `side`, `price`, `quantity`, `kind`, `time_in_force`, and `state`:
/// `UnindexedOrderOpenResult.OK` (`Open`) or `.ERR` (the `UnindexedOrderError`).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct UnindexedOrderResponseOpen {
    pub key: UnindexedOrderKey,
    pub side: Side,
    pub price: Decimal,
    pub quantity: Decimal,
    pub kind: OrderKind,
    pub time_in_force: TimeInForce,
    pub state: UnindexedOrderOpenResult,
}

uniffi::custom_type!(BarterUnindexedOrderResponseOpen, UnindexedOrderResponseOpen, {
    remote,
    lower: |order| UnindexedOrderResponseOpen {
        key: order.key,
        side: order.side,
        price: order.price,
        quantity: order.quantity,
        kind: order.kind,
        time_in_force: order.time_in_force,
        state: order.state.into(),
    },
    try_lift: |order| Ok(barter_execution::order::Order {
        key: order.key,
        side: order.side,
        price: order.price,
        quantity: order.quantity,
        kind: order.kind,
        time_in_force: order.time_in_force,
        state: order.state.into(),
    }),
});

/// barter's `OrderState::time_exchange`: when the exchange last acted on the order, if known.
#[uniffi::export]
pub fn order_state_time_exchange(state: OrderState) -> Option<Timestamp> {
    state.time_exchange()
}

/// barter's `OrderState::time_exchange` for an order state on an exchange.
#[uniffi::export]
pub fn unindexed_order_state_time_exchange(state: UnindexedOrderState) -> Option<Timestamp> {
    state.time_exchange()
}

json_functions!(
    OrderKind, TimeInForce, OrderKey, UnindexedOrderKey, RequestOpen, RequestCancel,
    OrderRequestOpen, UnindexedOrderRequestOpen, OrderRequestCancel, UnindexedOrderRequestCancel,
    OrderState, UnindexedOrderState, ActiveOrderState, OpenInFlight, Open, CancelInFlight,
    Cancelled, InactiveOrderState, UnindexedInactiveOrderState, Order, UnindexedOrder,
    UnindexedOrderOpen, BarterOrderResponseCancel as OrderResponseCancel,
    BarterUnindexedOrderResponseCancel as UnindexedOrderResponseCancel,
    BarterUnindexedOrderResponseOpen as UnindexedOrderResponseOpen,
);
