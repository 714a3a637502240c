//! What a strategy or risk manager of the foreign language is given while barter calls it: a
//! `StrategyContext`, reading barter's engine state in place at that moment and building
//! barter's order requests.
//!
//! barter lends its state (`&EngineState`) to a strategy for one call. The context reads it
//! through a pointer that [`Scope::call`] sets for that call and clears before returning, under
//! one lock: a context kept past its call reads nothing (`BarterError.InvalidInput`), never freed
//! or changed memory, and no copy of the state is made per event.

use crate::{
    barter::{
        position::Position,
        backtest::record::Recorder,
        risk::{RiskApprovedOrderRequestCancel, RiskApprovedOrderRequestOpen, RiskRefusedOrderRequestCancel, RiskRefusedOrderRequestOpen},
        strategy::EngineState,
    },
    custom::Timestamp,
    error::{BarterError, Result},
    execution::order::{OrderKey, OrderRequestCancel, OrderRequestOpen},
};
use barter_data::subscription::{book::OrderBookL1, trade::PublicTrade};
use barter_execution::order::{
    OrderKind, TimeInForce,
    request::{RequestCancel, RequestOpen},
};
use ::barter::engine::{
    clock::EngineClock,
    state::{instrument::{InstrumentState, data::InstrumentDataState}, trading::TradingState},
};
use barter_execution::{
    balance::Balance,
    order::id::{ClientOrderId, StrategyId},
};
use barter_instrument::{
    Side,
    asset::{AssetIndex, name::AssetNameInternal},
    exchange::ExchangeId,
    instrument::{InstrumentIndex, name::InstrumentNameInternal},
};
use rust_decimal::Decimal;
use smol_str::format_smolstr;
use std::sync::{
    Arc, Condvar, Mutex, MutexGuard, OnceLock,
    atomic::{AtomicU64, Ordering},
};

/// How a strategy makes the `ClientOrderId`s of its orders.
#[derive(Debug)]
pub enum OrderIds {
    /// barter's `ClientOrderId::random()`: unique across runs, as live trading needs.
    Random,
    /// "1", "2", ... per run: a backtest's ids, and so its results, are the same on every run
    /// (barter keys active orders by them in a hash map, whose order follows the keys).
    Sequence(AtomicU64),
}

impl OrderIds {
    pub fn sequence() -> Self {
        Self::Sequence(AtomicU64::new(0))
    }

    pub fn next(&self) -> ClientOrderId {
        match self {
            Self::Random => ClientOrderId::random(),
            Self::Sequence(last) => ClientOrderId::new(format_smolstr!("{}", last.fetch_add(1, Ordering::Relaxed) + 1)),
        }
    }
}

/// The first error of a run's foreign callbacks. Once set, barter calls no more foreign code of
/// the run: its strategy places no orders, its risk manager refuses every request.
#[derive(Default)]
pub struct Failure {
    error: OnceLock<BarterError>,
    /// What a running system does on failure (disable trading); a backtest stops by itself.
    on_failure: OnceLock<Box<dyn Fn() + Send + Sync>>,
}

impl Failure {
    pub fn error(&self) -> Option<BarterError> {
        self.error.get().cloned()
    }

    pub fn is_set(&self) -> bool {
        self.error.get().is_some()
    }

    fn set(&self, error: BarterError) {
        if self.error.set(error).is_ok()
            && let Some(on_failure) = self.on_failure.get()
        {
            on_failure();
        }
    }

    /// Run `action` on the first failure (at once if it has happened).
    pub fn on_failure(&self, action: impl Fn() + Send + Sync + 'static) {
        if self.on_failure.set(Box::new(action)).is_ok()
            && self.is_set()
            && let Some(on_failure) = self.on_failure.get()
        {
            on_failure();
        }
    }
}

/// Whether foreign code may still be called. When the foreign interpreter exits, a thread that
/// enters it is killed inside Rust's frames (CPython ends it with `pthread_exit`, whose unwinding
/// Rust aborts on): [`close_foreign_calls`] closes the gate first, waiting for the calls under
/// way, and runs still going on then call no more foreign code.
struct Gate {
    /// Closed, and the number of calls under way.
    state: Mutex<(bool, usize)>,
    idle: Condvar,
}

static GATE: Gate = Gate { state: Mutex::new((false, 0)), idle: Condvar::new() };

/// A foreign call under way, counted until it is dropped.
struct InFlight;

impl Gate {
    fn lock(&self) -> MutexGuard<'_, (bool, usize)> {
        // Nothing panics while holding it.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn enter(&'static self) -> Option<InFlight> {
        let mut state = self.lock();
        if state.0 {
            return None;
        }
        state.1 += 1;
        Some(InFlight)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let mut state = GATE.lock();
        state.1 -= 1;
        if state.1 == 0 {
            GATE.idle.notify_all();
        }
    }
}

/// Call no foreign strategy or risk manager again, and wait up to `wait_seconds` for the calls
/// under way to return: for the foreign interpreter's exit (Python registers it with `atexit`).
/// Backtests and systems still running go on without them.
#[uniffi::export]
pub fn close_foreign_calls(wait_seconds: f64) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs_f64(wait_seconds.clamp(0.0, 3600.0));
    let mut state = GATE.lock();
    state.0 = true;
    while state.1 > 0 {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        if left.is_zero() {
            return; // a call that never returns must not hold the interpreter's exit
        }
        state = GATE.idle.wait_timeout(state, left).unwrap_or_else(|poisoned| poisoned.into_inner()).0;
    }
}

/// Every request a run's risk manager refused, in order.
#[derive(Debug, Clone, Default)]
pub struct Refused {
    pub cancels: Vec<RiskRefusedOrderRequestCancel>,
    pub opens: Vec<RiskRefusedOrderRequestOpen>,
}

/// What a run's strategy and risk manager share: the state barter lends for the foreign call in
/// progress, the orders the call builds, the order ids, the engine's clock, the run's
/// [`Failure`], and what its risk manager [`Refused`].
pub struct Scope {
    slot: Mutex<Slot>,
    strategy: StrategyId,
    order_ids: OrderIds,
    clock: OnceLock<Arc<dyn EngineClock + Send + Sync>>,
    failure: Failure,
    refused: Mutex<Refused>,
    recorder: OnceLock<Arc<Recorder>>,
}

struct Slot {
    /// The state lent for call number `call`; null between calls.
    state: *const EngineState,
    call: u64,
    accepts_orders: bool,
    cancels: Vec<OrderRequestCancel>,
    opens: Vec<OrderRequestOpen>,
}

// SAFETY: `state` is only dereferenced under the slot's lock, while the call that lent it runs
// (see `Scope::call`); a `&EngineState` may be read from any thread (asserted below).
unsafe impl Send for Slot {}

const _: () = {
    const fn sync<T: Sync>() {}
    sync::<EngineState>()
};

impl std::fmt::Debug for Scope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scope").field("strategy", &self.strategy).field("order_ids", &self.order_ids).finish_non_exhaustive()
    }
}

/// The orders one call built.
pub type Requests = (Vec<OrderRequestCancel>, Vec<OrderRequestOpen>);

impl Scope {
    pub fn new(strategy: StrategyId, order_ids: OrderIds) -> Arc<Self> {
        Arc::new(Self {
            slot: Mutex::new(Slot { state: std::ptr::null(), call: 0, accepts_orders: false, cancels: Vec::new(), opens: Vec::new() }),
            strategy,
            order_ids,
            clock: OnceLock::new(),
            failure: Failure::default(),
            refused: Mutex::default(),
            recorder: OnceLock::new(),
        })
    }

    pub fn strategy(&self) -> &StrategyId {
        &self.strategy
    }

    pub fn next_order_id(&self) -> ClientOrderId {
        self.order_ids.next()
    }

    pub fn failure(&self) -> &Failure {
        &self.failure
    }

    /// The engine's clock, for `StrategyContext.time()` (set where the engine is composed).
    pub fn set_clock(&self, clock: impl EngineClock + Send + Sync + 'static) {
        // A run's engine has one clock: a second one is ignored.
        let _ = self.clock.set(Arc::new(clock));
    }

    /// Where the run's risk verdicts are recorded for its frames (set where a backtest is
    /// composed; a running system records none).
    pub fn set_recorder(&self, recorder: Arc<Recorder>) {
        // A run has one recorder: a second one is ignored.
        let _ = self.recorder.set(recorder);
    }

    /// The risk manager's verdicts on one call's requests: refusals are kept for a backtest's
    /// results if `keep_refused`, and every verdict goes to the run's recorder, at the engine's
    /// time.
    pub fn record_checked(
        &self,
        approved: (&[RiskApprovedOrderRequestCancel], &[RiskApprovedOrderRequestOpen]),
        refused: (&[RiskRefusedOrderRequestCancel], &[RiskRefusedOrderRequestOpen]),
        keep_refused: bool,
    ) {
        if keep_refused && !(refused.0.is_empty() && refused.1.is_empty()) {
            let mut kept = self.refused.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            kept.cancels.extend_from_slice(refused.0);
            kept.opens.extend_from_slice(refused.1);
        }
        // barter asks its risk manager on every event, mostly with nothing to check.
        let nothing = approved.0.is_empty() && approved.1.is_empty() && refused.0.is_empty() && refused.1.is_empty();
        if let (Some(recorder), Some(clock), false) = (self.recorder.get(), self.clock.get(), nothing) {
            recorder.checked(clock.time(), approved, refused);
        }
    }

    /// Every request refused so far.
    pub fn refused(&self) -> Refused {
        self.refused.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }

    fn lock(&self) -> MutexGuard<'_, Slot> {
        // Nothing panics while holding it.
        self.slot.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Call foreign code with a context reading `state`, and return what it returned with the
    /// orders it built (`accepts_orders`: a strategy's hook, not a risk manager). `None` if the
    /// run has failed, or if this call failed: its error becomes the run's failure.
    pub fn call<T>(
        self: &Arc<Self>,
        state: &EngineState,
        accepts_orders: bool,
        callback: impl FnOnce(Arc<StrategyContext>) -> Result<T>,
    ) -> Option<(T, Requests)> {
        let _in_flight = GATE.enter()?;
        if self.failure.is_set() {
            return None;
        }
        let call = {
            let mut slot = self.lock();
            slot.call += 1;
            slot.state = state;
            slot.accepts_orders = accepts_orders;
            slot.call
        };
        // Closes the call however it ends (also if the callback unwinds): `state` is borrowed
        // only until this function returns.
        struct Close<'a>(&'a Scope);
        impl Drop for Close<'_> {
            fn drop(&mut self) {
                let mut slot = self.0.lock();
                slot.state = std::ptr::null();
                // Orders of a call that unwound are not sent with the next one.
                slot.cancels.clear();
                slot.opens.clear();
            }
        }
        let close = Close(self);
        let result = callback(Arc::new(StrategyContext { scope: Arc::clone(self), call }));
        let requests = {
            let mut slot = self.lock();
            slot.state = std::ptr::null();
            (std::mem::take(&mut slot.cancels), std::mem::take(&mut slot.opens))
        };
        drop(close);
        match result {
            Ok(value) => Some((value, requests)),
            Err(error) => {
                self.fail(match error {
                    error @ BarterError::Callback { .. } => error,
                    // A BarterError raised by foreign code (or by a call it made) keeps its message.
                    other => BarterError::Callback { reason: other.to_string() },
                });
                None
            }
        }
    }

    /// Record the run's failure (the first one counts): no more foreign code of it runs.
    pub fn fail(&self, error: BarterError) {
        self.failure.set(error);
    }
}

/// A strategy's (or a risk manager's) view of barter's engine state while barter calls it, and
/// the builder of the strategy's order requests. Valid only during the call it was given to:
/// afterwards every method raises `BarterError.InvalidInput`.
///
/// Reads are of the state as barter holds it at that moment, each one call into Rust; order
/// requests are sent when the call returns, in the order they were made.
#[derive(uniffi::Object)]
pub struct StrategyContext {
    scope: Arc<Scope>,
    call: u64,
}

impl std::fmt::Debug for StrategyContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StrategyContext").field("call", &self.call).finish_non_exhaustive()
    }
}

type Instrument = InstrumentState<crate::barter::strategy::InstrumentMarketData>;

fn instrument(state: &EngineState, index: InstrumentIndex) -> Result<&Instrument> {
    state.instruments.0.get_index(index.index()).map(|(_, instrument)| instrument).ok_or_else(|| BarterError::Index {
        reason: format!("instrument: {index} is not one of the engine's {} instruments", state.instruments.0.len()),
    })
}

/// `value`, if it is positive (a quantity: barter's position arithmetic divides by it).
pub(crate) fn positive(field: &str, value: Decimal) -> Result<Decimal> {
    if value > Decimal::ZERO {
        Ok(value)
    } else {
        Err(BarterError::InvalidInput { reason: format!("{field}: must be positive, got {value}") })
    }
}

/// An order request of foreign code must name an instrument of the engine, on its exchange:
/// barter's engine indexes its state with the keys and panics on any other.
fn check_key(state: &EngineState, key: &OrderKey) -> Result<()> {
    let exchange = instrument(state, key.instrument)?.instrument.exchange;
    if key.exchange != exchange {
        return Err(BarterError::Index { reason: format!("key.exchange: {} is not {}'s exchange ({})", key.exchange, key.instrument, exchange) });
    }
    Ok(())
}

/// `check_key` for every request a risk manager of the foreign language approved.
pub fn check_keys<'a>(state: &EngineState, keys: impl IntoIterator<Item = &'a OrderKey>) -> Result<()> {
    keys.into_iter().try_for_each(|key| check_key(state, key))
}

impl StrategyContext {
    fn slot(&self) -> Result<MutexGuard<'_, Slot>> {
        let slot = self.scope.lock();
        if slot.call != self.call || slot.state.is_null() {
            return Err(BarterError::InvalidInput {
                reason: "StrategyContext: used after the callback it was given to returned; read the state inside that callback".into(),
            });
        }
        Ok(slot)
    }

    fn read<T>(&self, read: impl FnOnce(&EngineState) -> Result<T>) -> Result<T> {
        let slot = self.slot()?;
        // SAFETY: non-null only while `Scope::call` for this call runs, which borrows the state
        // immutably for its whole duration and clears the pointer under this lock before
        // returning; the lock is held until `read` returns.
        read(unsafe { &*slot.state })
    }

    fn push(&self, build: impl FnOnce(&EngineState) -> Result<Request>) -> Result<ClientOrderId> {
        let mut slot = self.slot()?;
        if !slot.accepts_orders {
            return Err(BarterError::InvalidInput {
                reason: "StrategyContext: a risk manager approves or refuses requests; it cannot make new ones".into(),
            });
        }
        // SAFETY: as in `read`.
        let request = build(unsafe { &*slot.state })?;
        Ok(match request {
            Request::Open(open) => {
                let cid = open.key.cid.clone();
                slot.opens.push(open);
                cid
            }
            Request::Cancel(cancel) => {
                let cid = cancel.key.cid.clone();
                slot.cancels.push(cancel);
                cid
            }
        })
    }

    fn open(&self, instrument_index: InstrumentIndex, side: Side, kind: OrderKind, price: Option<Decimal>, quantity: Decimal, time_in_force: TimeInForce) -> Result<ClientOrderId> {
        self.push(|state| {
            let instrument = instrument(state, instrument_index)?;
            let price = match price {
                Some(price) => positive("price", price)?,
                // barter's mock fills a market order at its request's price: the instrument's
                // price now, as barter's own strategies send.
                None => instrument.data.price().ok_or_else(|| BarterError::InvalidInput {
                    reason: format!("instrument: {instrument_index} has no price yet (no L1 or trade seen) for a market order"),
                })?,
            };
            Ok(Request::Open(OrderRequestOpen {
                key: OrderKey { exchange: instrument.instrument.exchange, instrument: instrument.key, strategy: self.scope.strategy.clone(), cid: self.scope.next_order_id() },
                state: RequestOpen { side, price, quantity: positive("quantity", quantity)?, kind, time_in_force },
            }))
        })
    }
}

enum Request {
    Open(OrderRequestOpen),
    Cancel(OrderRequestCancel),
}

#[uniffi::export]
impl StrategyContext {
    /// The engine's clock time (in a backtest, the exchange time of the latest market event).
    pub fn time(&self) -> Result<Timestamp> {
        self.read(|_| {
            self.scope.clock.get().map(|clock| clock.time()).ok_or_else(|| BarterError::InvalidInput {
                reason: "StrategyContext.time: BacktestMode.UPSTREAM's engine clock is internal to barter's backtest()".into(),
            })
        })
    }

    /// Whether algorithmic trading is enabled.
    pub fn trading(&self) -> Result<TradingState> {
        self.read(|state| Ok(state.trading))
    }

    /// How many instruments the engine tracks (indexes `0..count`).
    pub fn instrument_count(&self) -> Result<u64> {
        self.read(|state| Ok(state.instruments.0.len() as u64))
    }

    /// The index of the instrument named `name` (its internal name, e.g. "binance_spot-btc_usdt").
    pub fn instrument_index(&self, name: InstrumentNameInternal) -> Result<InstrumentIndex> {
        self.read(|state| {
            state.instruments.0.get_index_of(&name).map(InstrumentIndex).ok_or_else(|| BarterError::Index { reason: format!("name: no instrument named {name}") })
        })
    }

    /// The index of the asset `name` of `exchange`.
    pub fn asset_index(&self, exchange: ExchangeId, name: AssetNameInternal) -> Result<AssetIndex> {
        self.read(|state| {
            let key = barter_instrument::asset::ExchangeAsset::new(exchange, name);
            state.assets.0.get_index_of(&key).map(AssetIndex).ok_or_else(|| BarterError::Index { reason: format!("name: no asset {} on {}", key.asset, key.exchange) })
        })
    }

    /// barter's price of the instrument (`InstrumentDataState::price`: the L1 volume-weighted
    /// mid price, else the last traded price); `None` before either is known.
    pub fn price(&self, instrument_index: InstrumentIndex) -> Result<Option<Decimal>> {
        self.read(|state| Ok(instrument(state, instrument_index)?.data.price()))
    }

    /// The instrument's best bid and ask.
    pub fn order_book_l1(&self, instrument_index: InstrumentIndex) -> Result<OrderBookL1> {
        self.read(|state| Ok(instrument(state, instrument_index)?.data.market.l1.clone()))
    }

    /// The instrument's last event, if it was a public trade.
    pub fn last_trade(&self, instrument_index: InstrumentIndex) -> Result<Option<PublicTrade>> {
        self.read(|state| Ok(instrument(state, instrument_index)?.data.last_trade.clone()))
    }

    /// The instrument's open position, if any.
    pub fn position(&self, instrument_index: InstrumentIndex) -> Result<Option<Position>> {
        self.read(|state| Ok(instrument(state, instrument_index)?.position.current.clone()))
    }

    /// The instrument's active orders (open, and opens and cancels in flight), by client order id.
    pub fn orders(&self, instrument_index: InstrumentIndex) -> Result<Vec<crate::barter::engine::state::ActiveOrder>> {
        self.read(|state| Ok(crate::barter::engine::state::sorted_orders(&instrument(state, instrument_index)?.orders)))
    }

    /// The asset's last balance, if one is known.
    pub fn balance(&self, asset_index: AssetIndex) -> Result<Option<Balance>> {
        self.read(|state| {
            let (_, asset) = state.assets.0.get_index(asset_index.index()).ok_or_else(|| BarterError::Index {
                reason: format!("asset: {asset_index} is not one of the engine's {} assets", state.assets.0.len()),
            })?;
            Ok(asset.balance.as_ref().map(|balance| balance.value))
        })
    }

    /// Everything barter keeps of the instrument (a copy, with its statistics).
    pub fn instrument(&self, instrument_index: InstrumentIndex) -> Result<crate::barter::engine::state::InstrumentState> {
        self.read(|state| Ok(crate::barter::engine::state::instrument_state(instrument(state, instrument_index)?)))
    }

    /// barter's serde JSON of the whole engine state now (a copy: for inspection, not per event).
    pub fn to_json(&self) -> Result<String> {
        self.read(|state| Ok(serde_json::to_string(state)?))
    }

    /// A market buy of `quantity` of the instrument, immediate or cancel, as barter's strategies
    /// send one: barter's request carries a `price` (its mock exchange fills at it), by default
    /// the instrument's price now (see `price`). Returns its client order id.
    #[uniffi::method(default(price = None))]
    pub fn market_buy(&self, instrument: InstrumentIndex, quantity: Decimal, price: Option<Decimal>) -> Result<ClientOrderId> {
        self.open(instrument, Side::Buy, OrderKind::Market, price, quantity, TimeInForce::ImmediateOrCancel)
    }

    /// A market sell; see `market_buy`.
    #[uniffi::method(default(price = None))]
    pub fn market_sell(&self, instrument: InstrumentIndex, quantity: Decimal, price: Option<Decimal>) -> Result<ClientOrderId> {
        self.open(instrument, Side::Sell, OrderKind::Market, price, quantity, TimeInForce::ImmediateOrCancel)
    }

    /// A limit buy of `quantity` at `price` (`time_in_force` default: good until cancelled).
    #[uniffi::method(default(time_in_force = None))]
    pub fn limit_buy(&self, instrument: InstrumentIndex, price: Decimal, quantity: Decimal, time_in_force: Option<TimeInForce>) -> Result<ClientOrderId> {
        self.open(instrument, Side::Buy, OrderKind::Limit, Some(price), quantity, time_in_force.unwrap_or(TimeInForce::GoodUntilCancelled { post_only: false }))
    }

    /// A limit sell; see `limit_buy`.
    #[uniffi::method(default(time_in_force = None))]
    pub fn limit_sell(&self, instrument: InstrumentIndex, price: Decimal, quantity: Decimal, time_in_force: Option<TimeInForce>) -> Result<ClientOrderId> {
        self.open(instrument, Side::Sell, OrderKind::Limit, Some(price), quantity, time_in_force.unwrap_or(TimeInForce::GoodUntilCancelled { post_only: false }))
    }

    /// Cancel the instrument's active order `cid` (see `orders`).
    pub fn cancel(&self, instrument_index: InstrumentIndex, cid: ClientOrderId) -> Result<ClientOrderId> {
        self.push(|state| {
            let order = instrument(state, instrument_index)?.orders.0.get(&cid).ok_or_else(|| BarterError::Index {
                reason: format!("cid: {instrument_index} has no active order {cid}"),
            })?;
            Ok(Request::Cancel(OrderRequestCancel {
                key: order.key.clone(),
                state: RequestCancel { id: order.state.open_meta().map(|open| open.id.clone()) },
            }))
        })
    }

    /// Send barter's own open request as it is (its key must name an instrument of the engine,
    /// on its exchange).
    pub fn send_open(&self, request: OrderRequestOpen) -> Result<ClientOrderId> {
        self.push(|state| {
            check_key(state, &request.key)?;
            positive("state.quantity", request.state.quantity)?;
            Ok(Request::Open(request))
        })
    }

    /// Send barter's own cancel request as it is.
    pub fn send_cancel(&self, request: OrderRequestCancel) -> Result<ClientOrderId> {
        self.push(|state| {
            check_key(state, &request.key)?;
            Ok(Request::Cancel(request))
        })
    }
}
