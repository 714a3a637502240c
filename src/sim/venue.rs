//! The simulated venue: an exchange's matching and accounting, fed by the market data.
//!
//! barter's `MockExchange` fills every order at the price its request wrote, knows only market
//! orders, debits a sell from the quote balance by the base quantity and credits nothing. This
//! venue keeps, per instrument, the market the data shows (best bid and ask of the L1 book, the
//! last trade), and:
//! - fills a market order at the touch: the best ask for a buy, the best bid for a sell, or the
//!   last trade's price where the data has only trades, worsened by `slippage_bps`;
//! - fills a limit order at once if it is marketable (at the touch, never beyond its price: a
//!   taker), else rests it until the market quotes or trades through its price, and fills it
//!   then at its price (a maker). `ImmediateOrCancel` and `FillOrKill` never rest, post-only
//!   orders never take, and `GoodUntilEndOfDay` orders expire when the day (UTC) they rested
//!   on is over;
//! - accounts as an exchange does: a buy debits the quote asset by value plus fees and credits
//!   the base, a sell the reverse; fees are maker or taker basis points of the value, in the
//!   quote asset; a resting order reserves what it could spend (the free balance falls, the
//!   total stays), and an order the free balance cannot pay for is refused with barter's
//!   `ApiError::BalanceInsufficient`. Balances never go negative.
//!
//! Fills are whole (the quantity at the touch is not consulted yet) and only spot instruments
//! trade. Everything here is synchronous and a function of its inputs: the client
//! ([`super::execution`]) decides when requests and market data arrive.

use barter_execution::{
    AccountEventKind, InstrumentAccountSnapshot, UnindexedAccountEvent, UnindexedAccountSnapshot,
    balance::{AssetBalance, Balance},
    error::{ApiError, OrderError, UnindexedOrderError},
    order::{
        Order, OrderEvent, OrderKind, TimeInForce, UnindexedOrder,
        id::{OrderId, StrategyId},
        request::{OrderRequestCancel, OrderRequestOpen, UnindexedOrderResponseCancel},
        state::{Cancelled, InactiveOrderState, Open, OrderState},
    },
    trade::{AssetFees, Trade, TradeId},
};
use barter_instrument::{
    Side,
    asset::{QuoteAsset, name::AssetNameExchange},
    exchange::ExchangeId,
    instrument::name::InstrumentNameExchange,
};
use barter_integration::collection::snapshot::Snapshot;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// barter's response to an open request, in exchange names.
pub type OpenResponse = Order<ExchangeId, InstrumentNameExchange, Result<Open, UnindexedOrderError>>;

/// What the venue charges and how far a taker's price moves, as fractions of value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Costs {
    pub maker: Decimal,
    pub taker: Decimal,
    pub slippage: Decimal,
}

/// A spot instrument's assets on the venue.
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    pub base: AssetNameExchange,
    pub quote: AssetNameExchange,
}

/// The market of one instrument as the data last showed it.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Market {
    pub bid: Option<Decimal>,
    pub ask: Option<Decimal>,
    pub last_trade: Option<Decimal>,
}

/// One market data update of an instrument.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MarketUpdate {
    /// The best bid and ask prices (`None`: that side is empty).
    Quote { bid: Option<Decimal>, ask: Option<Decimal> },
    /// A public trade at this price.
    Trade(Decimal),
}

/// A limit order resting on the venue, and what it holds of the free balance.
#[derive(Debug, Clone)]
struct Resting {
    order: Order<ExchangeId, InstrumentNameExchange, Open>,
    reserved: (AssetNameExchange, Decimal),
}

#[derive(Debug, Clone)]
pub struct Venue {
    exchange: ExchangeId,
    costs: Costs,
    pairs: BTreeMap<InstrumentNameExchange, Pair>,
    markets: BTreeMap<InstrumentNameExchange, Market>,
    balances: BTreeMap<AssetNameExchange, Balance>,
    /// In arrival order: orders that rest first fill first.
    resting: Vec<Resting>,
    trades: Vec<Trade<QuoteAsset, InstrumentNameExchange>>,
    sequence: u64,
}

/// Why an order cannot be placed as asked.
fn rejected(reason: impl Into<String>) -> UnindexedOrderError {
    OrderError::Rejected(ApiError::OrderRejected(reason.into()))
}

impl Venue {
    pub fn new(
        exchange: ExchangeId,
        costs: Costs,
        pairs: BTreeMap<InstrumentNameExchange, Pair>,
        balances: impl IntoIterator<Item = (AssetNameExchange, Balance)>,
    ) -> Self {
        let mut balances: BTreeMap<_, _> = balances.into_iter().collect();
        for pair in pairs.values() {
            for asset in [&pair.base, &pair.quote] {
                balances.entry(asset.clone()).or_insert(Balance::new(Decimal::ZERO, Decimal::ZERO));
            }
        }
        Self { exchange, costs, pairs, markets: BTreeMap::new(), balances, resting: Vec::new(), trades: Vec::new(), sequence: 0 }
    }

    pub fn balances(&self, time: DateTime<Utc>) -> Vec<AssetBalance<AssetNameExchange>> {
        self.balances.iter().map(|(asset, balance)| AssetBalance::new(asset.clone(), *balance, time)).collect()
    }

    pub fn orders_open(&self) -> Vec<Order<ExchangeId, InstrumentNameExchange, Open>> {
        self.resting.iter().map(|resting| resting.order.clone()).collect()
    }

    pub fn trades(&self, since: DateTime<Utc>) -> Vec<Trade<QuoteAsset, InstrumentNameExchange>> {
        self.trades.iter().filter(|trade| trade.time_exchange >= since).cloned().collect()
    }

    pub fn snapshot(&self, time: DateTime<Utc>) -> UnindexedAccountSnapshot {
        let instruments = self
            .pairs
            .keys()
            .map(|instrument| InstrumentAccountSnapshot {
                instrument: instrument.clone(),
                orders: self
                    .resting
                    .iter()
                    .filter(|resting| &resting.order.key.instrument == instrument)
                    .map(|resting| UnindexedOrder::from(resting.order.clone()))
                    .collect(),
            })
            .collect();
        UnindexedAccountSnapshot { exchange: self.exchange, balances: self.balances(time), instruments }
    }

    /// Place an order arriving now; the response, and the account events it causes.
    pub fn open(&mut self, request: OrderRequestOpen<ExchangeId, InstrumentNameExchange>, now: DateTime<Utc>) -> (OpenResponse, Vec<UnindexedAccountEvent>) {
        let mut events = self.expire(now);
        let state = self.try_open(&request, now, &mut events);
        let response = Order {
            key: request.key,
            side: request.state.side,
            price: request.state.price,
            quantity: request.state.quantity,
            kind: request.state.kind,
            time_in_force: request.state.time_in_force,
            state,
        };
        (response, events)
    }

    fn try_open(&mut self, request: &OrderRequestOpen<ExchangeId, InstrumentNameExchange>, now: DateTime<Utc>, events: &mut Vec<UnindexedAccountEvent>) -> Result<Open, UnindexedOrderError> {
        let instrument = &request.key.instrument;
        let pair = self.pairs.get(instrument).cloned().ok_or_else(|| {
            OrderError::Rejected(ApiError::InstrumentInvalid(instrument.clone(), format!("not a spot instrument of the simulated {}", self.exchange.as_str())))
        })?;
        let RequestLimits { side, quantity, limit } = RequestLimits::of(request)?;
        let market = self.markets.get(instrument).copied().unwrap_or_default();
        let post_only = matches!(request.state.time_in_force, TimeInForce::GoodUntilCancelled { post_only: true });
        let id = self.next_id();

        if let Some(price) = self.taker_price(&market, side, limit) {
            if post_only {
                return Err(rejected(format!("post-only order would take at {price}")));
            }
            let fee_rate = self.costs.taker;
            self.settle(&pair, side, price, quantity, fee_rate)?;
            let trade = self.trade(&id, request.key.strategy.clone(), instrument, side, price, quantity, fee_rate, now)?;
            events.extend(self.fill_events(&pair, trade, now));
            return Ok(Open { id, time_exchange: now, filled_quantity: quantity });
        }
        let Some(limit) = limit else {
            return Err(rejected(format!("no market price for {instrument}: no quote or trade yet")));
        };
        if matches!(request.state.time_in_force, TimeInForce::ImmediateOrCancel | TimeInForce::FillOrKill) {
            return Err(rejected(format!("{:?} order at {limit} is not marketable", request.state.time_in_force)));
        }
        // Rest, holding what a fill at the limit would spend.
        let reserved = match side {
            Side::Buy => (pair.quote.clone(), value(limit, quantity)?.checked_add(fee(value(limit, quantity)?, self.costs.maker)?).ok_or_else(overflow)?),
            Side::Sell => (pair.base.clone(), quantity),
        };
        let balance = self.balances.get_mut(&reserved.0).expect("the venue holds a balance of every pair's assets");
        if balance.free < reserved.1 {
            return Err(insufficient(&reserved.0, balance.free, reserved.1));
        }
        balance.free -= reserved.1;
        events.push(self.balance_event(&reserved.0, now));
        let open = Open { id, time_exchange: now, filled_quantity: Decimal::ZERO };
        let order = Order {
            key: request.key.clone(),
            side,
            price: limit,
            quantity,
            kind: request.state.kind,
            time_in_force: request.state.time_in_force,
            state: open.clone(),
        };
        self.resting.push(Resting { order, reserved });
        Ok(open)
    }

    /// Cancel a resting order; the response, and the balance it frees.
    pub fn cancel(&mut self, request: OrderRequestCancel<ExchangeId, InstrumentNameExchange>, now: DateTime<Utc>) -> (UnindexedOrderResponseCancel, Vec<UnindexedAccountEvent>) {
        let position = self.resting.iter().position(|resting| {
            resting.order.key.instrument == request.key.instrument
                && match &request.state.id {
                    Some(id) => &resting.order.state.id == id,
                    None => resting.order.key.cid == request.key.cid,
                }
        });
        let mut events = Vec::new();
        let state = match position {
            Some(position) => {
                let resting = self.resting.remove(position);
                let (asset, amount) = &resting.reserved;
                self.balances.get_mut(asset).expect("reserved from a held balance").free += *amount;
                events.push(self.balance_event(asset, now));
                Ok(Cancelled { id: resting.order.state.id, time_exchange: now })
            }
            None => Err(OrderError::Rejected(ApiError::OrderRejected(format!("no open order {:?} of {}", request.state.id, request.key.cid)))),
        };
        (OrderEvent { key: request.key, state }, events)
    }

    /// The market of `instrument` moves: resting orders it reaches fill at their price.
    pub fn market(&mut self, instrument: &InstrumentNameExchange, update: MarketUpdate, now: DateTime<Utc>) -> Vec<UnindexedAccountEvent> {
        let mut events = self.expire(now);
        let Some(pair) = self.pairs.get(instrument).cloned() else {
            return events;
        };
        let market = self.markets.entry(instrument.clone()).or_default();
        match update {
            MarketUpdate::Quote { bid, ask } => (market.bid, market.ask) = (bid, ask),
            MarketUpdate::Trade(price) => market.last_trade = Some(price),
        }
        let mut index = 0;
        while index < self.resting.len() {
            let order = &self.resting[index].order;
            if &order.key.instrument != instrument || !reached(order.side, order.price, update) {
                index += 1;
                continue;
            }
            let Resting { order, reserved } = self.resting.remove(index);
            // The reservation covers the fill at the limit exactly: it is released, then spent.
            self.balances.get_mut(&reserved.0).expect("reserved from a held balance").free += reserved.1;
            let fee_rate = self.costs.maker;
            self.settle(&pair, order.side, order.price, order.quantity, fee_rate)
                .expect("a resting order's reservation pays for its fill");
            let trade = self
                .trade(&order.state.id, order.key.strategy.clone(), instrument, order.side, order.price, order.quantity, fee_rate, now)
                .expect("a resting order's value was computed when it rested");
            events.extend(self.fill_events(&pair, trade, now));
            events.push(self.event(AccountEventKind::OrderSnapshot(Snapshot(inactive(order, InactiveOrderState::FullyFilled)))));
        }
        events
    }

    /// Orders good until the end of the day they rested on (UTC) leave the book once time has
    /// passed it: their reservation is freed and the engine told they expired.
    fn expire(&mut self, now: DateTime<Utc>) -> Vec<UnindexedAccountEvent> {
        let mut events = Vec::new();
        let mut index = 0;
        while index < self.resting.len() {
            let order = &self.resting[index].order;
            if order.time_in_force != TimeInForce::GoodUntilEndOfDay || order.state.time_exchange.date_naive() >= now.date_naive() {
                index += 1;
                continue;
            }
            let Resting { order, reserved: (asset, amount) } = self.resting.remove(index);
            self.balances.get_mut(&asset).expect("reserved from a held balance").free += amount;
            events.push(self.balance_event(&asset, now));
            events.push(self.event(AccountEventKind::OrderSnapshot(Snapshot(inactive(order, InactiveOrderState::Expired)))));
        }
        events
    }

    /// The price a taker gets now, if the order is marketable: the touch (or the last trade),
    /// moved by the slippage, never beyond the limit.
    fn taker_price(&self, market: &Market, side: Side, limit: Option<Decimal>) -> Option<Decimal> {
        let (touch, slipped) = match side {
            Side::Buy => {
                let touch = market.ask.or(market.last_trade)?;
                (touch, touch * (Decimal::ONE + self.costs.slippage))
            }
            Side::Sell => {
                let touch = market.bid.or(market.last_trade)?;
                (touch, touch * (Decimal::ONE - self.costs.slippage))
            }
        };
        match (side, limit) {
            (_, None) => Some(slipped),
            (Side::Buy, Some(limit)) => (touch <= limit).then(|| slipped.min(limit)),
            (Side::Sell, Some(limit)) => (touch >= limit).then(|| slipped.max(limit)),
        }
    }

    /// Move the balances of a fill, or refuse it if the free balance cannot pay.
    fn settle(&mut self, pair: &Pair, side: Side, price: Decimal, quantity: Decimal, fee_rate: Decimal) -> Result<(), UnindexedOrderError> {
        let notional = value(price, quantity)?;
        let fees = fee(notional, fee_rate)?;
        match side {
            Side::Buy => {
                let cost = notional.checked_add(fees).ok_or_else(overflow)?;
                let quote = self.balances[&pair.quote];
                if quote.free < cost {
                    return Err(insufficient(&pair.quote, quote.free, cost));
                }
                self.change(&pair.quote, -cost);
                self.change(&pair.base, quantity);
            }
            Side::Sell => {
                let base = self.balances[&pair.base];
                if base.free < quantity {
                    return Err(insufficient(&pair.base, base.free, quantity));
                }
                self.change(&pair.base, -quantity);
                self.change(&pair.quote, notional - fees);
            }
        }
        Ok(())
    }

    fn change(&mut self, asset: &AssetNameExchange, amount: Decimal) {
        let balance = self.balances.get_mut(asset).expect("the venue holds a balance of every pair's assets");
        balance.total += amount;
        balance.free += amount;
    }

    #[allow(clippy::too_many_arguments)]
    fn trade(
        &mut self,
        order: &OrderId,
        strategy: StrategyId,
        instrument: &InstrumentNameExchange,
        side: Side,
        price: Decimal,
        quantity: Decimal,
        fee_rate: Decimal,
        now: DateTime<Utc>,
    ) -> Result<Trade<QuoteAsset, InstrumentNameExchange>, UnindexedOrderError> {
        self.sequence += 1;
        let trade = Trade {
            id: TradeId::new(format!("{}-trade-{}", self.exchange.as_str(), self.sequence)),
            order_id: order.clone(),
            instrument: instrument.clone(),
            strategy,
            time_exchange: now,
            side,
            price,
            quantity,
            fees: AssetFees::quote_fees(fee(value(price, quantity)?, fee_rate)?),
        };
        self.trades.push(trade.clone());
        Ok(trade)
    }

    fn fill_events(&self, pair: &Pair, trade: Trade<QuoteAsset, InstrumentNameExchange>, now: DateTime<Utc>) -> [UnindexedAccountEvent; 3] {
        [self.balance_event(&pair.quote, now), self.balance_event(&pair.base, now), self.event(AccountEventKind::Trade(trade))]
    }

    fn balance_event(&self, asset: &AssetNameExchange, now: DateTime<Utc>) -> UnindexedAccountEvent {
        let balance = AssetBalance::new(asset.clone(), self.balances[asset], now);
        self.event(AccountEventKind::BalanceSnapshot(Snapshot(balance)))
    }

    fn event(&self, kind: AccountEventKind<ExchangeId, AssetNameExchange, InstrumentNameExchange>) -> UnindexedAccountEvent {
        UnindexedAccountEvent { exchange: self.exchange, kind }
    }

    fn next_id(&mut self) -> OrderId {
        self.sequence += 1;
        OrderId::new(format!("{}-order-{}", self.exchange.as_str(), self.sequence))
    }
}

/// A resting order as it leaves the book.
fn inactive(order: Order<ExchangeId, InstrumentNameExchange, Open>, state: InactiveOrderState<AssetNameExchange, InstrumentNameExchange>) -> UnindexedOrder {
    Order {
        key: order.key,
        side: order.side,
        price: order.price,
        quantity: order.quantity,
        kind: order.kind,
        time_in_force: order.time_in_force,
        state: OrderState::Inactive(state),
    }
}

/// What an open request asks, checked.
struct RequestLimits {
    side: Side,
    quantity: Decimal,
    /// `None` for a market order.
    limit: Option<Decimal>,
}

impl RequestLimits {
    fn of(request: &OrderRequestOpen<ExchangeId, InstrumentNameExchange>) -> Result<Self, UnindexedOrderError> {
        let state = &request.state;
        if state.quantity <= Decimal::ZERO {
            return Err(rejected(format!("quantity {} is not positive", state.quantity)));
        }
        let limit = match state.kind {
            OrderKind::Market => None,
            OrderKind::Limit if state.price > Decimal::ZERO => Some(state.price),
            OrderKind::Limit => return Err(rejected(format!("limit price {} is not positive", state.price))),
        };
        Ok(Self { side: state.side, quantity: state.quantity, limit })
    }
}

/// Whether a market update reaches a resting order: the opposite side quotes at or through its
/// price, or a trade prints through it (a trade at its price may have filled others queued first).
fn reached(side: Side, price: Decimal, update: MarketUpdate) -> bool {
    match (side, update) {
        (Side::Buy, MarketUpdate::Quote { ask, .. }) => ask.is_some_and(|ask| ask <= price),
        (Side::Sell, MarketUpdate::Quote { bid, .. }) => bid.is_some_and(|bid| bid >= price),
        (Side::Buy, MarketUpdate::Trade(trade)) => trade < price,
        (Side::Sell, MarketUpdate::Trade(trade)) => trade > price,
    }
}

fn value(price: Decimal, quantity: Decimal) -> Result<Decimal, UnindexedOrderError> {
    price.checked_mul(quantity).ok_or_else(overflow)
}

fn fee(value: Decimal, rate: Decimal) -> Result<Decimal, UnindexedOrderError> {
    value.checked_mul(rate).ok_or_else(overflow)
}

fn overflow() -> UnindexedOrderError {
    rejected("order value out of Decimal's range")
}

fn insufficient(asset: &AssetNameExchange, free: Decimal, required: Decimal) -> UnindexedOrderError {
    OrderError::Rejected(ApiError::BalanceInsufficient(asset.clone(), format!("free {free}, required {required}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use barter_execution::order::{OrderKey, id::ClientOrderId, request::{RequestCancel, RequestOpen}};

    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    fn venue(usdt: Decimal, btc: Decimal) -> Venue {
        let pairs = BTreeMap::from([(InstrumentNameExchange::new("BTCUSDT"), Pair { base: "BTC".into(), quote: "USDT".into() })]);
        let costs = Costs { maker: d("0.0001"), taker: d("0.0005"), slippage: Decimal::ZERO };
        Venue::new(ExchangeId::BinanceSpot, costs, pairs, [("USDT".into(), Balance::new(usdt, usdt)), ("BTC".into(), Balance::new(btc, btc))])
    }

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_742_940_000 + seconds, 0).unwrap()
    }

    fn request(cid: &str, side: Side, kind: OrderKind, price: Decimal, quantity: Decimal, time_in_force: TimeInForce) -> OrderRequestOpen<ExchangeId, InstrumentNameExchange> {
        OrderEvent {
            key: OrderKey { exchange: ExchangeId::BinanceSpot, instrument: "BTCUSDT".into(), strategy: StrategyId::new("test"), cid: ClientOrderId::new(cid) },
            state: RequestOpen { side, price, quantity, kind, time_in_force },
        }
    }

    fn gtc() -> TimeInForce {
        TimeInForce::GoodUntilCancelled { post_only: false }
    }

    fn balance(venue: &Venue, asset: &str) -> (Decimal, Decimal) {
        let balance = venue.balances[&AssetNameExchange::new(asset)];
        (balance.total, balance.free)
    }

    fn quote(venue: &mut Venue, bid: Decimal, ask: Decimal, time: DateTime<Utc>) -> Vec<UnindexedAccountEvent> {
        venue.market(&"BTCUSDT".into(), MarketUpdate::Quote { bid: Some(bid), ask: Some(ask) }, time)
    }

    #[test]
    fn market_orders_fill_at_the_touch_and_move_both_assets() {
        let mut venue = venue(d("10000"), Decimal::ZERO);
        quote(&mut venue, d("87000"), d("87001"), at(0));
        // The request's own price is ignored: a market order takes the ask.
        let (response, events) = venue.open(request("a", Side::Buy, OrderKind::Market, d("1"), d("0.1"), TimeInForce::ImmediateOrCancel), at(1));
        assert_eq!(response.state.unwrap().filled_quantity, d("0.1"));
        // 0.1 × 87001 = 8700.1, taker fee 5 bps = 4.35005.
        assert_eq!(balance(&venue, "USDT"), (d("1295.54995"), d("1295.54995")));
        assert_eq!(balance(&venue, "BTC"), (d("0.1"), d("0.1")));
        let AccountEventKind::Trade(trade) = &events[2].kind else { panic!("{events:?}") };
        assert_eq!((trade.price, trade.quantity, trade.fees.fees), (d("87001"), d("0.1"), d("4.35005")));

        quote(&mut venue, d("87100"), d("87101"), at(2));
        venue.open(request("b", Side::Sell, OrderKind::Market, d("1"), d("0.1"), TimeInForce::ImmediateOrCancel), at(3));
        // Sold at the bid: 8710 in, fee 4.355 out.
        assert_eq!(balance(&venue, "USDT"), (d("10001.19495"), d("10001.19495")));
        assert_eq!(balance(&venue, "BTC"), (Decimal::ZERO, Decimal::ZERO));
    }

    #[test]
    fn limit_orders_rest_reserve_and_fill_at_their_price_when_reached() {
        let mut venue = venue(d("10000"), Decimal::ZERO);
        quote(&mut venue, d("87000"), d("87001"), at(0));
        let (response, events) = venue.open(request("a", Side::Buy, OrderKind::Limit, d("86900"), d("0.1"), gtc()), at(1));
        assert_eq!(response.state.unwrap().filled_quantity, Decimal::ZERO);
        // Reserved: 8690 and the maker fee 0.869.
        assert_eq!(balance(&venue, "USDT"), (d("10000"), d("1309.131")));
        assert_eq!(events.len(), 1);

        // A trade at the limit does not reach it; a quote above it neither.
        assert!(venue.market(&"BTCUSDT".into(), MarketUpdate::Trade(d("86900")), at(2)).is_empty());
        assert!(quote(&mut venue, d("86899"), d("86950"), at(3)).is_empty());
        // The ask comes down through the limit: filled at 86900, not at the ask.
        let events = quote(&mut venue, d("86800"), d("86850"), at(4));
        let AccountEventKind::Trade(trade) = &events[2].kind else { panic!("{events:?}") };
        assert_eq!((trade.price, trade.fees.fees, trade.time_exchange), (d("86900"), d("0.869"), at(4)));
        assert!(matches!(&events[3].kind, AccountEventKind::OrderSnapshot(Snapshot(order)) if order.state == OrderState::Inactive(InactiveOrderState::FullyFilled)));
        assert_eq!(balance(&venue, "USDT"), (d("1309.131"), d("1309.131")));
        assert_eq!(balance(&venue, "BTC"), (d("0.1"), d("0.1")));
        assert!(venue.orders_open().is_empty());
    }

    #[test]
    fn marketable_limits_take_at_the_touch_and_never_beyond_their_price() {
        let mut venue = venue(d("10000"), Decimal::ZERO);
        quote(&mut venue, d("87000"), d("87001"), at(0));
        let (response, _) = venue.open(request("a", Side::Buy, OrderKind::Limit, d("87500"), d("0.1"), gtc()), at(1));
        assert_eq!(response.state.unwrap().filled_quantity, d("0.1"));
        assert_eq!(venue.trades(at(0))[0].price, d("87001"));
        // Post-only would take: refused, nothing moves.
        let (response, events) = venue.open(request("b", Side::Buy, OrderKind::Limit, d("87500"), d("0.01"), TimeInForce::GoodUntilCancelled { post_only: true }), at(2));
        assert!(response.state.is_err() && events.is_empty());
        // Not marketable, and not allowed to rest.
        for time_in_force in [TimeInForce::ImmediateOrCancel, TimeInForce::FillOrKill] {
            let (response, events) = venue.open(request("c", Side::Buy, OrderKind::Limit, d("86000"), d("0.01"), time_in_force), at(3));
            assert!(response.state.is_err() && events.is_empty());
        }
    }

    #[test]
    fn orders_good_for_the_day_expire_at_midnight_utc() {
        let mut venue = venue(d("10000"), Decimal::ZERO);
        let midnight = DateTime::from_timestamp(1_742_947_200, 0).unwrap(); // 2025-03-26T00:00:00Z
        let before = midnight - chrono::TimeDelta::seconds(10);
        quote(&mut venue, d("87000"), d("87001"), before);
        venue.open(request("day", Side::Buy, OrderKind::Limit, d("86000"), d("0.1"), TimeInForce::GoodUntilEndOfDay), before);
        venue.open(request("gtc", Side::Buy, OrderKind::Limit, d("86000"), d("0.01"), gtc()), before);
        assert_eq!(balance(&venue, "USDT").1, d("10000") - d("8600.86") - d("860.086"));
        assert!(quote(&mut venue, d("87000"), d("87001"), midnight - chrono::TimeDelta::nanoseconds(1)).is_empty());
        let events = quote(&mut venue, d("87000"), d("87001"), midnight);
        assert!(matches!(&events[1].kind, AccountEventKind::OrderSnapshot(Snapshot(order)) if order.state == OrderState::Inactive(InactiveOrderState::Expired) && order.key.cid.0 == "day"));
        assert_eq!(balance(&venue, "USDT").1, d("10000") - d("860.086"));
        assert_eq!(venue.orders_open().len(), 1);
    }

    #[test]
    fn what_the_free_balance_cannot_pay_is_refused_and_changes_nothing() {
        let mut venue = venue(d("100"), d("0.5"));
        quote(&mut venue, d("87000"), d("87001"), at(0));
        let (response, events) = venue.open(request("a", Side::Buy, OrderKind::Market, Decimal::ZERO, d("0.1"), TimeInForce::ImmediateOrCancel), at(1));
        assert!(matches!(response.state, Err(OrderError::Rejected(ApiError::BalanceInsufficient(ref asset, _))) if asset.name() == "USDT"));
        assert!(events.is_empty());
        let (response, _) = venue.open(request("b", Side::Sell, OrderKind::Market, Decimal::ZERO, d("0.6"), TimeInForce::ImmediateOrCancel), at(2));
        assert!(matches!(response.state, Err(OrderError::Rejected(ApiError::BalanceInsufficient(ref asset, _))) if asset.name() == "BTC"));
        assert_eq!((balance(&venue, "USDT"), balance(&venue, "BTC")), ((d("100"), d("100")), (d("0.5"), d("0.5"))));
    }

    #[test]
    fn cancels_release_the_reservation_and_trades_alone_price_orders() {
        let mut venue = venue(d("10000"), d("1"));
        let (response, _) = venue.open(request("a", Side::Buy, OrderKind::Market, Decimal::ZERO, d("0.1"), TimeInForce::ImmediateOrCancel), at(0));
        assert!(response.state.is_err(), "no quote or trade yet: no price");
        venue.market(&"BTCUSDT".into(), MarketUpdate::Trade(d("87000.5")), at(1));
        venue.open(request("b", Side::Sell, OrderKind::Limit, d("88000"), d("0.4"), gtc()), at(2));
        assert_eq!(balance(&venue, "BTC"), (d("1"), d("0.6")));
        let cancel = OrderEvent {
            key: OrderKey { exchange: ExchangeId::BinanceSpot, instrument: "BTCUSDT".into(), strategy: StrategyId::new("test"), cid: ClientOrderId::new("b") },
            state: RequestCancel { id: None },
        };
        let (response, _) = venue.cancel(cancel.clone(), at(3));
        assert_eq!(response.state.unwrap().time_exchange, at(3));
        assert_eq!(balance(&venue, "BTC"), (d("1"), d("1")));
        assert!(venue.cancel(cancel, at(4)).0.state.is_err(), "already cancelled");
        // With trades only, a market sell fills at the last trade.
        venue.open(request("c", Side::Sell, OrderKind::Market, Decimal::ZERO, d("0.1"), TimeInForce::ImmediateOrCancel), at(5));
        assert_eq!(venue.trades(at(5))[0].price, d("87000.5"));
    }
}
