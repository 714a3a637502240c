//! What a backtest records as it runs, for its frames: every fill, every order request and
//! every answer to one, and the equity curve; the positions exited are barter's own
//! `PositionManager` run over the fills afterwards.
//!
//! Recording is ours, not barter's: barter's engine gives these only through its audit stream,
//! one cloned tick per event. Here the run's risk manager records the requests it checked, the
//! account channel the exchange's answers, fills and balances, and the market stream the marks:
//! a few rows per order and one per second (or per change) of equity, never a crossing of the
//! FFI.

use crate::{
    barter::risk::{RiskApprovedOrderRequestCancel, RiskApprovedOrderRequestOpen, RiskRefusedOrderRequestCancel, RiskRefusedOrderRequestOpen},
    execution::trade::Trade,
};
use ::barter::engine::state::{
    asset::AssetStates,
    instrument::data::{DefaultInstrumentMarketData, InstrumentDataState},
    position::{PositionExited, PositionManager},
};
use ::barter::engine::Processor;
use barter_data::event::{DataKind, MarketEvent};
use barter_execution::{
    AccountEvent, AccountEventKind,
    order::{
        OrderKey, OrderKind, TimeInForce,
        id::OrderId,
        state::{ActiveOrderState, InactiveOrderState, OrderState},
    },
};
use barter_instrument::{Side, asset::QuoteAsset, index::IndexedInstruments, instrument::InstrumentIndex};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use std::{sync::Mutex, time::Duration};

/// What a backtest records beside barter's summary and fills (which it always keeps).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct Recording {
    /// Record every order request, answer and refusal, and the equity curve. Off for sweeps
    /// that need only summaries.
    #[uniffi(default = true)]
    pub enabled: bool,
    /// Sample the equity curve once per interval of event time where it changed (the state the
    /// interval's last change left); zero: on every change of a balance or of the mark of an
    /// asset held; `None`: [`EQUITY_INTERVAL`], one second.
    #[uniffi(default = None)]
    pub equity_interval: Option<Duration>,
}

/// The equity curve's default sampling interval: every change costs a row and a valuation per
/// market event of an asset held (1.3x the cost of the example backtest of tick data, measured);
/// one row per second of event time costs a few percent.
pub const EQUITY_INTERVAL: Duration = Duration::from_secs(1);

impl Default for Recording {
    fn default() -> Self {
        Self { enabled: true, equity_interval: None }
    }
}

/// What happened to an order, as one row of the orders frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderEventKind {
    /// The strategy's open request, approved by the risk manager and sent.
    OpenRequested,
    /// The strategy's cancel request, approved and sent.
    CancelRequested,
    /// An open request the risk manager refused (`reason`).
    OpenRefusedByRisk,
    /// A cancel request the risk manager refused (`reason`).
    CancelRefusedByRisk,
    /// The exchange's answer: open (resting, maybe partly filled).
    Opened,
    /// The exchange's answer: filled whole.
    Filled,
    /// The exchange's answer: refused (`reason`).
    OpenRefusedByExchange,
    /// The exchange's answer: cancelled.
    Cancelled,
    /// The exchange's answer to a cancel: refused (`reason`).
    CancelRefusedByExchange,
    /// The exchange's answer: expired (its time in force ran out).
    Expired,
}

impl OrderEventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OpenRequested => "open_requested",
            Self::CancelRequested => "cancel_requested",
            Self::OpenRefusedByRisk => "open_refused_by_risk",
            Self::CancelRefusedByRisk => "cancel_refused_by_risk",
            Self::Opened => "opened",
            Self::Filled => "filled",
            Self::OpenRefusedByExchange => "open_refused_by_exchange",
            Self::Cancelled => "cancelled",
            Self::CancelRefusedByExchange => "cancel_refused_by_exchange",
            Self::Expired => "expired",
        }
    }
}

/// One row of the orders frame: the order's key, what happened, and what is known of the order
/// at that point (a cancel request knows no side, price or quantity).
#[derive(Debug, Clone)]
pub struct OrderRow {
    pub time: DateTime<Utc>,
    pub event: OrderEventKind,
    pub key: OrderKey,
    pub order_id: Option<OrderId>,
    pub side: Option<Side>,
    pub kind: Option<OrderKind>,
    pub time_in_force: Option<TimeInForce>,
    pub price: Option<Decimal>,
    pub quantity: Option<Decimal>,
    pub filled_quantity: Option<Decimal>,
    pub reason: Option<String>,
}

impl OrderRow {
    /// A row of a cancel: a cancel knows its order's key and id only.
    fn cancel(time: DateTime<Utc>, event: OrderEventKind, key: OrderKey, order_id: Option<OrderId>, reason: Option<String>) -> Self {
        Self { time, event, key, order_id, side: None, kind: None, time_in_force: None, price: None, quantity: None, filled_quantity: None, reason }
    }
}

/// The equity curve: one row per change of a balance, or of the mark of an asset held (or the
/// last of each sampling interval), stored by column. A row's `time` is the latest exchange time
/// seen (of market events and balances, so it never goes back), its balances every asset's total
/// (in `IndexedInstruments`' asset order), its value their sum in the quote asset at mark prices
/// (`None` while an asset held has no mark yet, or no instrument prices it in the quote asset).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EquityCurve {
    pub times: Vec<DateTime<Utc>>,
    pub values: Vec<Option<Decimal>>,
    /// Each row's balances, one after another.
    balances: Vec<Decimal>,
    assets: usize,
}

impl EquityCurve {
    /// Asset `asset`'s balance in every row.
    pub fn balances_of(&self, asset: usize) -> impl Iterator<Item = Decimal> + '_ {
        self.balances.iter().skip(asset).step_by(self.assets.max(1)).copied()
    }

    fn push(&mut self, time: DateTime<Utc>, balances: &[Decimal], value: Option<Decimal>) {
        let time = self.times.last().map_or(time, |last| (*last).max(time));
        let last = self.times.len().checked_sub(1);
        if last.is_some_and(|last| self.values[last] == value && self.balances[last * self.assets..] == *balances) {
            return;
        }
        self.times.push(time);
        self.values.push(value);
        self.balances.extend_from_slice(balances);
    }
}

/// A run's recorder, shared by its risk manager, account channel and market stream (one thread
/// at a time: they all run on the backtest's current-thread runtime).
#[derive(Debug, Default)]
pub struct Recorder {
    options: Recording,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    fills: Vec<Trade>,
    orders: Vec<OrderRow>,
    equity: EquityCurve,
    /// The time of the last change not yet sampled (sampling by interval).
    pending: Option<DateTime<Utc>>,
    marks: Marks,
}

/// What the equity curve is computed from: the balances as the exchange last reported them and
/// barter's `DefaultInstrumentMarketData` per instrument, whose `price()` is the mark (the L1
/// mid, else the last trade), as the engine's state computes it.
#[derive(Debug, Default)]
struct Marks {
    balances: Vec<Decimal>,
    markets: Vec<DefaultInstrumentMarketData>,
    /// Each instrument's mark, computed when a value needs it after its market moved.
    prices: Vec<Option<Option<Decimal>>>,
    /// Each instrument's base asset.
    base: Vec<usize>,
    /// For each asset, the instrument pricing it in the quote asset (the quote asset itself: none).
    pricing: Vec<Option<InstrumentIndex>>,
    quote: Vec<bool>,
}

impl Recorder {
    /// A recorder for a run over `instruments`, starting from the engine's initial `assets`.
    pub fn new(options: Recording, instruments: &IndexedInstruments, assets: &AssetStates) -> Self {
        let balances = assets.assets().map(|asset| asset.balance.map_or(Decimal::ZERO, |balance| balance.value.total)).collect();
        // The quote asset of the first instrument (by name, on every exchange) values the rest.
        let quote_name = instruments
            .instruments()
            .first()
            .and_then(|instrument| instruments.find_asset(instrument.value.underlying.quote).ok())
            .map(|asset| asset.asset.name_internal.clone());
        let assets = instruments.assets();
        let quote: Vec<bool> = assets.iter().map(|asset| Some(&asset.value.asset.name_internal) == quote_name.as_ref()).collect();
        let pricing = assets
            .iter()
            .map(|asset| {
                instruments.instruments().iter().find_map(|instrument| {
                    let priced_in_quote = quote.get(instrument.value.underlying.quote.index()).copied().unwrap_or(false);
                    (instrument.value.underlying.base == asset.key && priced_in_quote).then_some(instrument.key)
                })
            })
            .collect();
        let marks = Marks {
            balances,
            markets: vec![DefaultInstrumentMarketData::default(); instruments.instruments().len()],
            prices: vec![None; instruments.instruments().len()],
            base: instruments.instruments().iter().map(|instrument| instrument.value.underlying.base.index()).collect(),
            pricing,
            quote,
        };
        let equity = EquityCurve { assets: assets.len(), ..EquityCurve::default() };
        Self { options, state: Mutex::new(State { marks, equity, ..State::default() }) }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // Nothing panics while holding it.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The requests the risk manager checked at engine time `time`.
    pub fn checked(
        &self,
        time: DateTime<Utc>,
        approved: (&[RiskApprovedOrderRequestCancel], &[RiskApprovedOrderRequestOpen]),
        refused: (&[RiskRefusedOrderRequestCancel], &[RiskRefusedOrderRequestOpen]),
    ) {
        if !self.options.enabled {
            return;
        }
        let cancel = |event, key: &OrderKey, order_id: &Option<OrderId>, reason| OrderRow::cancel(time, event, key.clone(), order_id.clone(), reason);
        let open = |event, request: &barter_execution::order::request::OrderRequestOpen, reason: Option<String>| OrderRow {
            time,
            event,
            key: request.key.clone(),
            order_id: None,
            side: Some(request.state.side),
            kind: Some(request.state.kind),
            time_in_force: Some(request.state.time_in_force),
            price: Some(request.state.price),
            quantity: Some(request.state.quantity),
            filled_quantity: None,
            reason,
        };
        let mut state = self.lock();
        let orders = &mut state.orders;
        orders.extend(approved.0.iter().map(|approved| cancel(OrderEventKind::CancelRequested, &approved.0.key, &approved.0.state.id, None)));
        orders.extend(refused.0.iter().map(|refused| {
            cancel(OrderEventKind::CancelRefusedByRisk, &refused.item.key, &refused.item.state.id, Some(refused.reason.to_string()))
        }));
        orders.extend(approved.1.iter().map(|approved| open(OrderEventKind::OpenRequested, &approved.0, None)));
        orders.extend(refused.1.iter().map(|refused| open(OrderEventKind::OpenRefusedByRisk, &refused.item, Some(refused.reason.to_string()))));
    }

    /// An account event on its way to the engine: fills always; answers and balances if enabled.
    pub fn account(&self, event: &AccountEvent) {
        let mut state = self.lock();
        match &event.kind {
            AccountEventKind::Trade(trade) => state.fills.push(trade.clone()),
            _ if !self.options.enabled => {}
            AccountEventKind::OrderSnapshot(snapshot) => {
                let order = &snapshot.0;
                let (event, time, order_id, filled_quantity, reason) = match &order.state {
                    OrderState::Active(ActiveOrderState::Open(open)) => {
                        (OrderEventKind::Opened, Some(open.time_exchange), Some(open.id.clone()), Some(open.filled_quantity), None)
                    }
                    OrderState::Inactive(InactiveOrderState::FullyFilled) => (OrderEventKind::Filled, None, None, Some(order.quantity), None),
                    OrderState::Inactive(InactiveOrderState::OpenFailed(error)) => {
                        (OrderEventKind::OpenRefusedByExchange, None, None, None, Some(error.to_string()))
                    }
                    OrderState::Inactive(InactiveOrderState::Cancelled(cancelled)) => {
                        (OrderEventKind::Cancelled, Some(cancelled.time_exchange), Some(cancelled.id.clone()), None, None)
                    }
                    OrderState::Inactive(InactiveOrderState::Expired) => (OrderEventKind::Expired, None, None, None, None),
                    // In-flight states are the engine's own bookkeeping, not an exchange's answer.
                    OrderState::Active(_) => return,
                };
                let time = time.unwrap_or_else(|| state.time());
                state.orders.push(OrderRow {
                    time,
                    event,
                    key: order.key.clone(),
                    order_id,
                    side: Some(order.side),
                    kind: Some(order.kind),
                    time_in_force: Some(order.time_in_force),
                    price: Some(order.price),
                    quantity: Some(order.quantity),
                    filled_quantity,
                    reason,
                });
            }
            AccountEventKind::OrderCancelled(response) => {
                let (event, time, order_id, reason) = match &response.state {
                    Ok(cancelled) => (OrderEventKind::Cancelled, cancelled.time_exchange, Some(cancelled.id.clone()), None),
                    Err(error) => (OrderEventKind::CancelRefusedByExchange, state.time(), None, Some(error.to_string())),
                };
                state.orders.push(OrderRow::cancel(time, event, response.key.clone(), order_id, reason));
            }
            AccountEventKind::BalanceSnapshot(snapshot) => {
                let balance = &snapshot.0;
                self.change(&mut state, balance.time_exchange, |marks| match marks.balances.get_mut(balance.asset.index()) {
                    Some(total) => {
                        *total = balance.balance.total;
                        true
                    }
                    None => false,
                });
            }
            AccountEventKind::Snapshot(_) => {}
        }
    }

    /// A market event as the engine will see it: it moves its instrument's mark, which changes
    /// the equity only where its base asset is held.
    pub fn market(&self, event: &MarketEvent<InstrumentIndex, DataKind>) {
        if !self.options.enabled {
            return;
        }
        let mut state = self.lock();
        self.change(&mut state, event.time_exchange, |marks| {
            let instrument = event.instrument.index();
            let Some(market) = marks.markets.get_mut(instrument) else { return false };
            market.process(event);
            marks.prices[instrument] = None;
            !marks.balances[marks.base[instrument]].is_zero()
        });
    }

    /// A change of the equity at `time` (`apply` says whether it changed anything the curve
    /// shows): a row at once, or, sampling by interval, when the interval is over.
    fn change(&self, state: &mut State, time: DateTime<Utc>, apply: impl FnOnce(&mut Marks) -> bool) {
        let interval = Some(self.options.equity_interval.unwrap_or(EQUITY_INTERVAL)).filter(|interval| !interval.is_zero());
        if let Some(interval) = interval {
            // The last change of an interval that is over: its row shows the state it left.
            let nanos = i64::try_from(interval.as_nanos()).unwrap_or(i64::MAX);
            let bucket = |time: DateTime<Utc>| time.timestamp_nanos_opt().unwrap_or_default().div_euclid(nanos);
            // (An exchange's answer may carry a time before market events already seen.)
            if let Some(pending) = state.pending.filter(|pending| bucket(time) > bucket(*pending)) {
                state.sample(pending);
                state.pending = None;
            }
        }
        if apply(&mut state.marks) {
            match interval {
                Some(_) => state.pending = Some(state.pending.map_or(time, |pending| pending.max(time))),
                None => state.sample(time),
            }
        }
    }

    /// What was recorded: every fill, and the orders, equity curve and the positions barter's
    /// `PositionManager` exits from the fills, in order.
    pub fn finish(&self, instruments: usize) -> (Vec<Trade>, Recorded) {
        let mut state = std::mem::take(&mut *self.lock());
        if let Some(pending) = state.pending.take() {
            state.sample(pending);
        }
        let State { fills, orders, equity, .. } = state;
        let mut managers: Vec<PositionManager> = (0..instruments).map(|_| PositionManager::default()).collect();
        let positions = fills
            .iter()
            .filter_map(|fill| managers.get_mut(fill.instrument.index()).and_then(|manager| manager.update_from_trade(fill)))
            .collect();
        (fills, Recorded { orders, equity, positions })
    }
}

impl State {
    /// A row of the equity curve at `time`, unless nothing it shows changed.
    fn sample(&mut self, time: DateTime<Utc>) {
        let value = self.marks.value();
        self.equity.push(time, &self.marks.balances, value);
    }

    /// The latest time recorded, for answers that carry none.
    fn time(&self) -> DateTime<Utc> {
        let orders = self.orders.last().map(|row| row.time);
        let fills = self.fills.last().map(|fill| fill.time_exchange);
        orders.max(fills).unwrap_or_default()
    }
}

impl Marks {
    fn value(&mut self) -> Option<Decimal> {
        let mut sum = Decimal::ZERO;
        for asset in 0..self.balances.len() {
            let balance = self.balances[asset];
            if self.quote[asset] {
                sum = sum.checked_add(balance)?;
            } else if !balance.is_zero() {
                let instrument = self.pricing[asset]?.index();
                let markets = &self.markets;
                let price = *self.prices[instrument].get_or_insert_with(|| markets[instrument].price());
                sum = sum.checked_add(balance.checked_mul(price?)?)?;
            }
        }
        Some(sum)
    }
}

/// What a run recorded beside its fills (see [`Recorder::finish`]).
#[derive(Debug, Clone, Default)]
pub struct Recorded {
    pub orders: Vec<OrderRow>,
    pub equity: EquityCurve,
    pub positions: Vec<PositionExited<QuoteAsset>>,
}
