//! An SMA crossover on public trades, in Rust, on the bindings' foreign strategy trait (called
//! from Rust, so no FFI): the twin of `examples/sma_crossover.py`, line for line. Shared by the
//! strategy parity test and the benchmark.
//!
//! Per instrument: the means of the last `FAST` and `SLOW` trade prices; when the fast mean
//! crosses above the slow one, a market buy of `NOTIONAL` quote worth (truncated to 4 decimal
//! places); when it crosses below, a market sell of what was bought.

use barter_ffi::{
    barter::strategy::{algo::AlgoStrategy, context::StrategyContext},
    data::MarketEvent,
    error::Result,
    execution::account::AccountEvent,
};
use barter_data::subscription::book::OrderBookL1;
use barter_instrument::instrument::InstrumentIndex;
use rust_decimal::{Decimal, RoundingStrategy};
use std::{collections::VecDeque, str::FromStr, sync::{Arc, Mutex}};

pub const FAST: usize = 20;
pub const SLOW: usize = 50;
pub const NOTIONAL: Decimal = Decimal::from_parts(1000, 0, 0, false, 0);

#[derive(Default)]
struct Means {
    prices: VecDeque<f64>,
    fast_sum: f64,
    slow_sum: f64,
    above: Option<bool>,
    held: Option<Decimal>,
}

#[derive(Default)]
pub struct SmaCrossover {
    instruments: Mutex<Vec<Means>>,
}

impl AlgoStrategy for SmaCrossover {
    fn on_trade(&self, context: Arc<StrategyContext>, instrument: InstrumentIndex, price: f64, _: f64, _: bool) -> Result<()> {
        let mut instruments = self.instruments.lock().unwrap();
        if instruments.len() <= instrument.index() {
            instruments.resize_with(instrument.index() + 1, Means::default);
        }
        let means = &mut instruments[instrument.index()];
        means.prices.push_back(price);
        means.fast_sum += price;
        means.slow_sum += price;
        if means.prices.len() > FAST {
            means.fast_sum -= means.prices[means.prices.len() - 1 - FAST];
        }
        if means.prices.len() > SLOW {
            means.slow_sum -= means.prices.pop_front().unwrap();
        }
        if means.prices.len() < SLOW {
            return Ok(());
        }
        let above = means.fast_sum / FAST as f64 > means.slow_sum / SLOW as f64;
        let crossed = means.above.is_some_and(|was| was != above);
        means.above = Some(above);
        if !crossed {
            return Ok(());
        }
        match (above, means.held) {
            (true, None) => {
                let quantity = (NOTIONAL / Decimal::from_str(&price.to_string()).unwrap()).round_dp_with_strategy(4, RoundingStrategy::ToZero);
                context.market_buy(instrument, quantity, None)?;
                means.held = Some(quantity);
            }
            (false, Some(quantity)) => {
                context.market_sell(instrument, quantity, None)?;
                means.held = None;
            }
            _ => {}
        }
        Ok(())
    }

    fn on_order_book_l1(&self, _: Arc<StrategyContext>, _: InstrumentIndex, _: OrderBookL1) -> Result<()> {
        unreachable!("woken by trades only")
    }

    fn on_market_event(&self, _: Arc<StrategyContext>, _: MarketEvent) -> Result<()> {
        unreachable!("woken by trades only")
    }

    fn on_account_event(&self, _: Arc<StrategyContext>, _: AccountEvent) -> Result<()> {
        unreachable!("woken by trades only")
    }
}
