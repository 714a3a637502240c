//! The simulated venue as barter's engine sees it: an `ExecutionClient`, added through barter's
//! `ExecutionBuilder::add_live` like any exchange's client, and a tap on the market stream that
//! shows the venue the market.
//!
//! Timing: a request reaches the venue `latency_ms` after the engine sent it, and is matched
//! against the market of that instant. Its answer and the account events it causes (balances,
//! the trade) reach the engine at that instant too. A resting order fills when the market data
//! reaching it is released, and the engine hears of the fill at once. In event time the clock is
//! the data's, so the whole run is a function of the data.

use crate::{
    error::{BarterError, Result},
    execution::account::UnindexedAccountSnapshot,
    sim::venue::{Costs, MarketUpdate, Pair, Venue},
};
use ::barter::execution::builder::ExecutionBuilder;
use barter_data::{books::Level, event::DataKind, streams::consumer::MarketStreamEvent, subscription::book::OrderBookEvent};
use barter_execution::{
    UnindexedAccountEvent,
    balance::AssetBalance,
    client::ExecutionClient,
    error::{ConnectivityError, UnindexedClientError, UnindexedOrderError},
    order::{
        Order, OrderKey,
        request::{OrderRequestCancel, OrderRequestOpen, UnindexedOrderResponseCancel},
        state::Open,
    },
    trade::Trade,
};
use barter_instrument::{
    asset::{QuoteAsset, name::AssetNameExchange},
    exchange::ExchangeId,
    index::IndexedInstruments,
    instrument::{InstrumentIndex, kind::InstrumentKind, name::InstrumentNameExchange},
};
use chrono::{DateTime, Utc};
use futures::channel::mpsc;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::{
    collections::BTreeMap,
    marker::PhantomData,
    str::FromStr,
    sync::{Arc, Mutex},
    time::Duration,
};

/// Configuration of the bindings' simulated venue (`{"simulated": {...}}` in a system's
/// `executions`, beside barter's mock configs): the `exchange` it stands for, its
/// `initial_state` (balances, as the mock's), `latency_ms` (from the engine to the venue: an
/// order is matched against the market that much later), `fees` (maker and taker basis points
/// of each fill's value, in the quote asset), the `fill` model and `slippage_bps` (how much worse
/// than the touch a taker's price is, in basis points). In JSON, `fill` and `slippage_bps` may
/// be left out: `l1` and 0.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, uniffi::Record)]
pub struct SimulatedExecutionConfig {
    pub exchange: ExchangeId,
    pub initial_state: UnindexedAccountSnapshot,
    pub latency_ms: u64,
    pub fees: SimulatedFees,
    #[serde(default)]
    pub fill: FillModel,
    #[serde(default)]
    pub slippage_bps: Decimal,
}

/// A simulated venue's fees, in basis points of a fill's value: `maker_bps` for an order that
/// rested before it filled, `taker_bps` for one that filled on arrival.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, uniffi::Record)]
pub struct SimulatedFees {
    pub maker_bps: Decimal,
    pub taker_bps: Decimal,
}

/// How a simulated venue fills: `L1`, at the best bid and ask of the L1 book (or of an L2
/// snapshot), or at the last trade's price where the data has only trades.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum FillModel {
    #[default]
    L1,
}

/// How long the execution manager waits for the venue: always longer than its latency, which is
/// the only wait.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(3600);

/// What one simulated venue's clients share (the `Config` barter hands each client).
pub struct Shared {
    exchange: ExchangeId,
    venue: Mutex<Venue>,
    latency: Duration,
    clock: Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>,
    events: mpsc::UnboundedSender<UnindexedAccountEvent>,
    account_stream: Mutex<Option<mpsc::UnboundedReceiver<UnindexedAccountEvent>>>,
}

impl Shared {
    fn venue(&self) -> std::sync::MutexGuard<'_, Venue> {
        // The venue's methods do not panic while it is locked but for a broken invariant.
        self.venue.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn publish(&self, events: Vec<UnindexedAccountEvent>) {
        for event in events {
            // The engine has stopped listening: nothing is left to tell.
            let _ = self.events.unbounded_send(event);
        }
    }

    fn offline(&self) -> UnindexedClientError {
        UnindexedClientError::Connectivity(ConnectivityError::ExchangeOffline(self.exchange))
    }
}

/// Feeds each simulated venue the market events of its instruments.
#[derive(Clone, Default)]
pub struct MarketTap(BTreeMap<InstrumentIndex, (Arc<Shared>, InstrumentNameExchange)>);

impl MarketTap {
    /// Show the venue of the event's instrument (if any) the market: resting orders it reaches
    /// fill, and their account events go out.
    pub fn observe<Kind: AsMarketUpdate>(&self, event: &MarketStreamEvent<InstrumentIndex, Kind>) {
        let MarketStreamEvent::Item(event) = event else { return };
        let (Some((shared, name)), Some(update)) = (self.0.get(&event.instrument), event.kind.as_market_update()) else {
            return;
        };
        let events = shared.venue().market(name, update, (shared.clock)());
        shared.publish(events);
    }
}

/// The market update a kind of market data carries, if the venue uses it.
pub trait AsMarketUpdate {
    fn as_market_update(&self) -> Option<MarketUpdate>;
}

impl AsMarketUpdate for DataKind {
    fn as_market_update(&self) -> Option<MarketUpdate> {
        let price = |level: Option<Level>| level.map(|level| level.price);
        match self {
            // A float's shortest form is the price as the data wrote it.
            DataKind::Trade(trade) => Decimal::from_str(&trade.price.to_string()).ok().map(MarketUpdate::Trade),
            DataKind::OrderBookL1(book) => Some(MarketUpdate::Quote { bid: price(book.best_bid), ask: price(book.best_ask) }),
            DataKind::OrderBook(OrderBookEvent::Snapshot(book)) => {
                Some(MarketUpdate::Quote { bid: price(book.bids().best().copied()), ask: price(book.asks().best().copied()) })
            }
            DataKind::OrderBook(OrderBookEvent::Update(_)) | DataKind::Candle(_) | DataKind::Liquidation(_) => None,
        }
    }
}

/// Add a simulated venue to barter's `builder`, on `clock`'s time, and let `tap` show it the
/// market.
pub fn add<'a>(
    builder: ExecutionBuilder<'a>,
    config: SimulatedExecutionConfig,
    instruments: &'a IndexedInstruments,
    clock: Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>,
    tap: &mut MarketTap,
) -> Result<ExecutionBuilder<'a>> {
    let exchange = config.exchange;
    let mut pairs = BTreeMap::new();
    let mut names = Vec::new();
    for keyed in instruments.instruments().iter().filter(|keyed| keyed.value.exchange.value == exchange) {
        let instrument = &keyed.value;
        if !matches!(instrument.kind, InstrumentKind::Spot) {
            continue; // the venue trades spot only: an order for another kind is refused
        }
        let asset = |index| instruments.find_asset(index).map(|asset| asset.asset.name_exchange.clone());
        pairs.insert(
            instrument.name_exchange.clone(),
            Pair { base: asset(instrument.underlying.base)?, quote: asset(instrument.underlying.quote)? },
        );
        names.push((keyed.key, instrument.name_exchange.clone()));
    }
    let bps = |value: Decimal, name: &str| {
        let exchange = exchange.as_str();
        if value.is_sign_negative() {
            return Err(BarterError::invalid_value(format!("simulated {exchange}: {name} {value} is negative")));
        }
        Ok(value / Decimal::from(10_000))
    };
    let costs = Costs { maker: bps(config.fees.maker_bps, "fees.maker_bps")?, taker: bps(config.fees.taker_bps, "fees.taker_bps")?, slippage: bps(config.slippage_bps, "slippage_bps")? };
    let balances = config.initial_state.balances.into_iter().map(|balance| (balance.asset, balance.balance));
    let (events, account_stream) = mpsc::unbounded();
    let shared = Arc::new(Shared {
        exchange,
        venue: Mutex::new(Venue::new(exchange, costs, pairs, balances)),
        latency: Duration::from_millis(config.latency_ms),
        clock,
        events,
        account_stream: Mutex::new(Some(account_stream)),
    });
    for (index, name) in names {
        tap.0.insert(index, (Arc::clone(&shared), name));
    }
    add_client(builder, exchange, shared)
}

/// One venue per exchange barter knows: barter names an execution client's exchange in a
/// constant (`ExecutionClient::EXCHANGE`), so each gets a client type of its own.
pub trait SimulatedExchange: Send + Sync + 'static {
    const ID: ExchangeId;
}

macro_rules! simulated_exchanges {
    ($($exchange:ident),* $(,)?) => {
        mod exchanges {
            $(
                pub struct $exchange;
                impl super::SimulatedExchange for $exchange {
                    const ID: barter_instrument::exchange::ExchangeId = barter_instrument::exchange::ExchangeId::$exchange;
                }
            )*
        }

        fn add_client<'a>(builder: ExecutionBuilder<'a>, exchange: ExchangeId, shared: Arc<Shared>) -> Result<ExecutionBuilder<'a>> {
            Ok(match exchange {
                $(ExchangeId::$exchange => builder.add_live::<SimulatedExecution<exchanges::$exchange>>(shared, REQUEST_TIMEOUT)?,)*
            })
        }
    };
}

simulated_exchanges!(
    Other, Simulated, Mock, BinanceFuturesCoin, BinanceFuturesUsd, BinanceOptions, BinancePortfolioMargin, BinanceSpot,
    BinanceUs, Bitazza, Bitfinex, Bitflyer, Bitget, Bitmart, BitmartFuturesUsd, Bitmex, Bitso, Bitstamp, Bitvavo, Bithumb,
    BybitPerpetualsUsd, BybitSpot, Cexio, Coinbase, CoinbaseInternational, Cryptocom, Deribit, GateioFuturesBtc,
    GateioFuturesUsd, GateioOptions, GateioPerpetualsBtc, GateioPerpetualsUsd, GateioSpot, Gemini, Hitbtc, Htx, Kraken,
    Kucoin, Liquid, Mexc, Okx, Poloniex,
);

/// The execution client of a simulated venue standing for `Exchange`.
pub struct SimulatedExecution<Exchange> {
    shared: Arc<Shared>,
    exchange: PhantomData<Exchange>,
}

impl<Exchange> Clone for SimulatedExecution<Exchange> {
    fn clone(&self) -> Self {
        Self { shared: Arc::clone(&self.shared), exchange: PhantomData }
    }
}

impl<Exchange: SimulatedExchange> ExecutionClient for SimulatedExecution<Exchange> {
    const EXCHANGE: ExchangeId = Exchange::ID;
    type Config = Arc<Shared>;
    type AccountStream = mpsc::UnboundedReceiver<UnindexedAccountEvent>;

    fn new(shared: Self::Config) -> Self {
        Self { shared, exchange: PhantomData }
    }

    async fn account_snapshot(&self, _: &[AssetNameExchange], _: &[InstrumentNameExchange]) -> Result<barter_execution::UnindexedAccountSnapshot, UnindexedClientError> {
        Ok(self.shared.venue().snapshot((self.shared.clock)()))
    }

    /// The venue's account events; barter's execution manager takes them once.
    async fn account_stream(&self, _: &[AssetNameExchange], _: &[InstrumentNameExchange]) -> Result<Self::AccountStream, UnindexedClientError> {
        let taken = self.shared.account_stream.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).take();
        taken.ok_or_else(|| self.shared.offline())
    }

    async fn cancel_order(&self, request: OrderRequestCancel<ExchangeId, &InstrumentNameExchange>) -> Option<UnindexedOrderResponseCancel> {
        let request = OrderRequestCancel { key: owned(request.key), state: request.state };
        tokio::time::sleep(self.shared.latency).await;
        let (response, events) = self.shared.venue().cancel(request, (self.shared.clock)());
        self.shared.publish(events);
        Some(response)
    }

    async fn open_order(
        &self,
        request: OrderRequestOpen<ExchangeId, &InstrumentNameExchange>,
    ) -> Option<Order<ExchangeId, InstrumentNameExchange, Result<Open, UnindexedOrderError>>> {
        let request = OrderRequestOpen { key: owned(request.key), state: request.state };
        tokio::time::sleep(self.shared.latency).await;
        let (response, events) = self.shared.venue().open(request, (self.shared.clock)());
        self.shared.publish(events);
        Some(response)
    }

    async fn fetch_balances(&self, assets: &[AssetNameExchange]) -> Result<Vec<AssetBalance<AssetNameExchange>>, UnindexedClientError> {
        let mut balances = self.shared.venue().balances((self.shared.clock)());
        balances.retain(|balance| assets.is_empty() || assets.contains(&balance.asset));
        Ok(balances)
    }

    async fn fetch_open_orders(&self, instruments: &[InstrumentNameExchange]) -> Result<Vec<Order<ExchangeId, InstrumentNameExchange, Open>>, UnindexedClientError> {
        let mut orders = self.shared.venue().orders_open();
        orders.retain(|order| instruments.is_empty() || instruments.contains(&order.key.instrument));
        Ok(orders)
    }

    async fn fetch_trades(&self, time_since: DateTime<Utc>) -> Result<Vec<Trade<QuoteAsset, InstrumentNameExchange>>, UnindexedClientError> {
        Ok(self.shared.venue().trades(time_since))
    }
}

fn owned(key: OrderKey<ExchangeId, &InstrumentNameExchange>) -> OrderKey<ExchangeId, InstrumentNameExchange> {
    OrderKey { exchange: key.exchange, instrument: key.instrument.clone(), strategy: key.strategy, cid: key.cid }
}

crate::json::json_functions!(SimulatedExecutionConfig, SimulatedFees, FillModel);
