//! The keys of what foreign code sends a running engine, checked before the engine sees them.
//!
//! barter's engine indexes its state with every exchange, asset and instrument key it is sent,
//! and panics on an unknown one: the engine task dies and every position, balance and order with
//! it. A request for an exchange without an execution stops the engine too (barter's
//! `UnrecoverableEngineError::IndexError`), and so would an order or position on such an exchange
//! (barter closes and cancels them with requests). So each key is checked here and a bad one
//! raises `BarterError.Index` naming the field, while the engine keeps running.
//!
//! One value is checked too: a quantity of zero. barter's mock fills a zero-quantity order with a
//! zero-quantity trade, and its position arithmetic then divides zero by zero and panics.

use crate::{
    barter::{
        engine::{AccountStreamEvent, Command, EngineEvent, InstrumentFilter},
        strategy::context::positive,
    },
    data,
    error::{BarterError, Result},
    execution::{
        account::AccountEvent,
        order::{OrderKey, OrderRequestCancel, OrderRequestOpen},
    },
    instrument::{IndexedInstruments, Underlying},
};
use barter_execution::{AccountEventKind, InstrumentAccountSnapshot};
use barter_instrument::{asset::AssetIndex, exchange::ExchangeIndex, instrument::InstrumentIndex};
use std::sync::Arc;

/// What a running system knows: its instruments, and the exchanges it has an execution for.
#[derive(Debug, Clone)]
pub(crate) struct EngineKeys {
    instruments: Arc<IndexedInstruments>,
    executions: Vec<ExchangeIndex>,
}

impl EngineKeys {
    pub(crate) fn new(instruments: Arc<IndexedInstruments>, executions: Vec<ExchangeIndex>) -> Self {
        Self { instruments, executions }
    }

    pub(crate) fn instruments(&self) -> &Arc<IndexedInstruments> {
        &self.instruments
    }

    /// barter's own index, which the bindings' `IndexedInstruments` wraps.
    fn indexed(&self) -> &barter_instrument::index::IndexedInstruments {
        &self.instruments.0
    }

    /// Any event for the engine's feed (`System.send`).
    pub(crate) fn event(&self, event: &EngineEvent) -> Result<()> {
        match event {
            EngineEvent::Market(market) => data::check_keys([market], self.indexed()),
            EngineEvent::Account(AccountStreamEvent::Item(account)) => self.account(account, "event.Account.Item"),
            EngineEvent::Account(AccountStreamEvent::Reconnecting(exchange)) => {
                self.indexed().find_exchange_index(*exchange).map(drop).map_err(|_| {
                    BarterError::Index { reason: format!("event.Account.Reconnecting: exchange {} is not one of the system's", exchange.as_str()) }
                })
            }
            EngineEvent::Command(command) => self.command(command, "event.Command"),
            EngineEvent::Shutdown(_) | EngineEvent::TradingStateUpdate(_) => Ok(()),
        }
    }

    fn command(&self, command: &Command, field: &str) -> Result<()> {
        match command {
            Command::SendOpenRequests(requests) => self.opens(requests, &format!("{field}.SendOpenRequests")),
            Command::SendCancelRequests(requests) => self.cancels(requests, &format!("{field}.SendCancelRequests")),
            Command::ClosePositions(filter) => self.filter(filter, &format!("{field}.ClosePositions")),
            Command::CancelOrders(filter) => self.filter(filter, &format!("{field}.CancelOrders")),
        }
    }

    /// Open requests: each key as `cancels` checks it, and a positive quantity.
    pub(crate) fn opens<'a>(&self, requests: impl IntoIterator<Item = &'a OrderRequestOpen>, field: &str) -> Result<()> {
        requests.into_iter().enumerate().try_for_each(|(index, request)| {
            self.request_key(&request.key, &format!("{field}[{index}].key"))?;
            positive(&format!("{field}[{index}].state.quantity"), request.state.quantity).map(drop)
        })
    }

    /// Cancel requests: each key names an instrument of the system, on its own exchange, which
    /// has an execution.
    pub(crate) fn cancels<'a>(&self, requests: impl IntoIterator<Item = &'a OrderRequestCancel>, field: &str) -> Result<()> {
        requests.into_iter().enumerate().try_for_each(|(index, request)| self.request_key(&request.key, &format!("{field}[{index}].key")))
    }

    fn request_key(&self, key: &OrderKey, field: &str) -> Result<()> {
        self.order_key(key, field)?;
        self.has_execution(key.exchange, &format!("{field}.exchange"))
    }

    fn has_execution(&self, exchange: ExchangeIndex, field: &str) -> Result<()> {
        if self.executions.contains(&exchange) {
            Ok(())
        } else {
            Err(BarterError::Index { reason: format!("{field}: the system has no execution for {exchange}") })
        }
    }

    /// A filter selecting instruments: every key it names must be the system's (barter would
    /// silently select nothing for an unknown one).
    pub(crate) fn filter(&self, filter: &InstrumentFilter, field: &str) -> Result<()> {
        match filter {
            InstrumentFilter::None => Ok(()),
            InstrumentFilter::Exchanges(exchanges) => {
                exchanges.iter().enumerate().try_for_each(|(index, exchange)| self.exchange(*exchange, &format!("{field}.Exchanges[{index}]")))
            }
            InstrumentFilter::Instruments(instruments) => instruments
                .iter()
                .enumerate()
                .try_for_each(|(index, instrument)| self.instrument(*instrument, &format!("{field}.Instruments[{index}]"))),
            InstrumentFilter::Underlyings(underlyings) => underlyings.iter().enumerate().try_for_each(|(index, underlying)| {
                let field = format!("{field}.Underlyings[{index}]");
                self.underlying(underlying, &field)
            }),
        }
    }

    /// An account event: its keys, and for orders and trades an exchange with an execution (barter
    /// would close and cancel them with requests it cannot route).
    fn account(&self, event: &AccountEvent, field: &str) -> Result<()> {
        self.exchange(event.exchange, &format!("{field}.exchange"))?;
        let in_exchange = |key: &OrderKey, field: &str| {
            self.order_key(key, field)?;
            same_exchange(event.exchange, key.exchange, field)?;
            self.has_execution(key.exchange, &format!("{field}.exchange"))
        };
        match &event.kind {
            AccountEventKind::Snapshot(snapshot) => {
                let field = format!("{field}.kind.Snapshot");
                same_exchange(event.exchange, snapshot.exchange, &format!("{field}.exchange"))?;
                for (index, balance) in snapshot.balances.iter().enumerate() {
                    self.asset(balance.asset, &format!("{field}.balances[{index}].asset"))?;
                }
                for (index, InstrumentAccountSnapshot { instrument, orders }) in snapshot.instruments.iter().enumerate() {
                    let field = format!("{field}.instruments[{index}]");
                    self.instrument(*instrument, &format!("{field}.instrument"))?;
                    for (order_index, order) in orders.iter().enumerate() {
                        let order_field = format!("{field}.orders[{order_index}].key");
                        in_exchange(&order.key, &order_field)?;
                        if order.key.instrument != *instrument {
                            return Err(BarterError::Index {
                                reason: format!("{order_field}.instrument: {} is not the snapshot's instrument {instrument}", order.key.instrument),
                            });
                        }
                    }
                }
                Ok(())
            }
            AccountEventKind::BalanceSnapshot(balance) => self.asset(balance.0.asset, &format!("{field}.kind.BalanceSnapshot.asset")),
            AccountEventKind::OrderSnapshot(order) => in_exchange(&order.0.key, &format!("{field}.kind.OrderSnapshot.key")),
            AccountEventKind::OrderCancelled(response) => in_exchange(&response.key, &format!("{field}.kind.OrderCancelled.key")),
            AccountEventKind::Trade(trade) => {
                let field = format!("{field}.kind.Trade");
                self.instrument(trade.instrument, &format!("{field}.instrument"))?;
                let exchange = self.exchange_of(trade.instrument);
                same_exchange(event.exchange, exchange, &format!("{field}.instrument (its exchange)"))?;
                self.has_execution(exchange, &format!("{field}.instrument (its exchange)"))?;
                positive(&format!("{field}.quantity"), trade.quantity).map(drop)
            }
        }
    }

    fn order_key(&self, key: &OrderKey, field: &str) -> Result<()> {
        self.instrument(key.instrument, &format!("{field}.instrument"))?;
        let exchange = self.exchange_of(key.instrument);
        if key.exchange != exchange {
            return Err(BarterError::Index { reason: format!("{field}.exchange: {} is not {}'s exchange ({exchange})", key.exchange, key.instrument) });
        }
        Ok(())
    }

    fn underlying(&self, underlying: &Underlying, field: &str) -> Result<()> {
        self.asset(underlying.base, &format!("{field}.base"))?;
        self.asset(underlying.quote, &format!("{field}.quote"))
    }

    /// The exchange of a known instrument.
    fn exchange_of(&self, instrument: InstrumentIndex) -> ExchangeIndex {
        self.indexed().instruments()[instrument.index()].value.exchange.key
    }

    fn exchange(&self, exchange: ExchangeIndex, field: &str) -> Result<()> {
        known(exchange.index(), self.indexed().exchanges().len(), field, "exchanges", exchange)
    }

    fn asset(&self, asset: AssetIndex, field: &str) -> Result<()> {
        known(asset.index(), self.indexed().assets().len(), field, "assets", asset)
    }

    fn instrument(&self, instrument: InstrumentIndex, field: &str) -> Result<()> {
        known(instrument.index(), self.indexed().instruments().len(), field, "instruments", instrument)
    }
}

fn known(index: usize, count: usize, field: &str, what: &str, key: impl std::fmt::Display) -> Result<()> {
    if index < count {
        Ok(())
    } else {
        Err(BarterError::Index { reason: format!("{field}: {key} is not one of the system's {count} {what}") })
    }
}

fn same_exchange(expected: ExchangeIndex, found: ExchangeIndex, field: &str) -> Result<()> {
    if expected == found {
        Ok(())
    } else {
        Err(BarterError::Index { reason: format!("{field}: {found} is not the event's exchange {expected}") })
    }
}
