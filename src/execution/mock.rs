//! barter's mock execution from Python: `MockExecution` runs barter's `MockExchange` on the
//! bindings' runtime and talks to it through barter's `MockExecution` execution client.

use crate::{
    custom::Timestamp,
    error::{BarterError, Result},
    execution::{
        account::{UnindexedAccountEvent, UnindexedAccountSnapshot},
        balance::UnindexedAssetBalance,
        order::{
            BarterUnindexedOrderResponseCancel, BarterUnindexedOrderResponseOpen, UnindexedOrderOpen,
            UnindexedOrderRequestCancel, UnindexedOrderRequestOpen,
        },
        trade::UnindexedTrade,
    },
    instrument::IndexedInstruments,
    json::json_functions,
    runtime,
};
use barter_execution::{
    client::{ExecutionClient, mock::MockExecutionClientConfig},
    exchange::mock::MockExchange,
    order::{OrderEvent, OrderKey},
};
use barter_instrument::{
    Keyed,
    asset::name::AssetNameExchange,
    exchange::ExchangeId,
    instrument::{Instrument, kind::InstrumentKind, name::InstrumentNameExchange},
};
use chrono::Utc;
use futures::StreamExt;
use rust_decimal::Decimal;
use std::sync::Arc;
use tokio::{
    sync::{broadcast, mpsc},
    task::JoinHandle,
};

pub type MockExecutionConfig = barter_execution::client::mock::MockExecutionConfig;

/// Configuration of a mock exchange: the `mocked_exchange`, its `initial_state` (an
/// `UnindexedAccountSnapshot`), `latency_ms` (each response and notification arrives after it)
/// and `fees_percent` (a fraction of each trade's value, eg/ `0.001`).
#[uniffi::remote(Record)]
pub struct MockExecutionConfig {
    pub mocked_exchange: ExchangeId,
    pub initial_state: UnindexedAccountSnapshot,
    pub latency_ms: u64,
    pub fees_percent: Decimal,
}

/// barter's mock execution client, with the wall clock as its clock.
type BarterMockExecution = barter_execution::client::mock::MockExecution<fn() -> Timestamp>;

/// Capacity of the account event channel, as barter's `ExecutionBuilder::add_mock` uses.
const ACCOUNT_STREAM_CAPACITY: usize = 256;

/// barter's `MockExchange` for `config`, started on the bindings' runtime, and barter's
/// `MockExecution` execution client connected to it. The mock exchange trades the spot
/// instruments of `config.mocked_exchange` in `instruments`, and fills only `OrderKind.MARKET`
/// orders, at the request's own price, charging `fees_percent`.
///
/// Each call blocks until barter's client returns (after `latency_ms`). Requests barter's mock
/// exchange refuses come back as data (an `UnindexedOrderResponseOpen` whose state is
/// `UnindexedOrderOpenResult.ERR`); a failing fetch raises `BarterError.Execution`.
#[derive(Debug, uniffi::Object)]
pub struct MockExecution {
    /// Dropped only in its own process (see `Drop`).
    client: std::mem::ManuallyDrop<BarterMockExecution>,
    exchange: std::mem::ManuallyDrop<JoinHandle<()>>,
    owner: runtime::Owner,
}

impl Drop for MockExecution {
    /// Stop the mock exchange. In a forked child the exchange and the client's channels belong to
    /// the parent's runtime, whose threads are not there: the child leaks them instead.
    fn drop(&mut self) {
        if self.owner.is_current() {
            self.exchange.abort();
            // SAFETY: dropped once, here, and never used again.
            unsafe {
                std::mem::ManuallyDrop::drop(&mut self.client);
                std::mem::ManuallyDrop::drop(&mut self.exchange);
            }
        }
    }
}

/// The instruments barter's `MockExchange` trades, as barter's `ExecutionBuilder` gives them to
/// it: the spot instruments of `exchange`, keyed by exchange names (barter panics on other kinds;
/// here they are an error).
fn mock_exchange_instruments(
    instruments: &barter_instrument::index::IndexedInstruments,
    exchange: ExchangeId,
) -> Result<Vec<(InstrumentNameExchange, Instrument<ExchangeId, AssetNameExchange>)>> {
    instruments
        .instruments()
        .iter()
        .filter(|Keyed { value, .. }| value.exchange.value == exchange)
        .map(|Keyed { value, .. }| {
            if !matches!(value.kind, InstrumentKind::Spot) {
                return Err(BarterError::InvalidInput {
                    reason: format!("MockExchange does not support: {:?}", value.kind),
                });
            }
            let instrument = value
                .clone()
                .map_exchange_key(exchange)
                .map_asset_key_with_lookup(|asset| instruments.find_asset(*asset).map(|asset| asset.asset.name_exchange.clone()))?;
            Ok((instrument.name_exchange.clone(), instrument))
        })
        .collect()
}

fn wall_clock() -> Timestamp {
    Utc::now()
}

/// An engine-free request, with the instrument name borrowed as barter's client takes it.
fn borrowed<Kind>(request: &OrderEvent<Kind, ExchangeId, InstrumentNameExchange>) -> OrderEvent<Kind, ExchangeId, &InstrumentNameExchange>
where
    Kind: Clone,
{
    let OrderKey { exchange, instrument, strategy, cid } = &request.key;
    OrderEvent {
        key: OrderKey { exchange: *exchange, instrument, strategy: strategy.clone(), cid: cid.clone() },
        state: request.state.clone(),
    }
}

#[uniffi::export]
impl MockExecution {
    /// Start barter's `MockExchange` for `config`, trading the instruments of
    /// `config.mocked_exchange` in `instruments` (`BarterError.Index` if it has none).
    #[uniffi::constructor]
    pub fn new(config: MockExecutionConfig, instruments: Arc<IndexedInstruments>) -> Result<Arc<Self>> {
        instruments.0.find_exchange_index(config.mocked_exchange)?;
        let mock_instruments = mock_exchange_instruments(&instruments.0, config.mocked_exchange)?;

        let (request_tx, request_rx) = mpsc::unbounded_channel();
        let (event_tx, event_rx) = broadcast::channel(ACCOUNT_STREAM_CAPACITY);
        let client = <BarterMockExecution as ExecutionClient>::new(MockExecutionClientConfig {
            mocked_exchange: config.mocked_exchange,
            clock: wall_clock as fn() -> Timestamp,
            request_tx,
            event_rx,
        });
        let exchange = MockExchange::new(config, request_rx, event_tx, mock_instruments.into_iter().collect());
        let exchange = runtime::spawn(exchange.run());
        Ok(Arc::new(Self {
            client: std::mem::ManuallyDrop::new(client),
            exchange: std::mem::ManuallyDrop::new(exchange),
            owner: runtime::Owner::this_process(),
        }))
    }

    /// The exchange this mock exchange mocks.
    pub fn mocked_exchange(&self) -> ExchangeId {
        self.client.mocked_exchange
    }

    /// barter's `open_order`: the exchange's response (`None` if barter's client gives none).
    pub fn open_order(&self, request: UnindexedOrderRequestOpen) -> Result<Option<BarterUnindexedOrderResponseOpen>> {
        self.block_on(self.client.open_order(borrowed(&request)))
    }

    /// barter's `open_orders`: the responses, in the order they arrive.
    pub fn open_orders(&self, requests: Vec<UnindexedOrderRequestOpen>) -> Result<Vec<Option<BarterUnindexedOrderResponseOpen>>> {
        self.block_on(self.client.open_orders(requests.iter().map(borrowed)).collect())
    }

    /// barter's `cancel_order`: the exchange's response (`None` if barter's client gives none).
    /// barter's `MockExchange` supports only Market orders and answers no cancel request: the
    /// response is barter's `OrderError.Connectivity(ExchangeOffline)`.
    pub fn cancel_order(&self, request: UnindexedOrderRequestCancel) -> Result<Option<BarterUnindexedOrderResponseCancel>> {
        self.block_on(self.client.cancel_order(borrowed(&request)))
    }

    /// barter's `cancel_orders`: the responses, in the order they arrive.
    pub fn cancel_orders(&self, requests: Vec<UnindexedOrderRequestCancel>) -> Result<Vec<Option<BarterUnindexedOrderResponseCancel>>> {
        self.block_on(self.client.cancel_orders(requests.iter().map(borrowed)).collect())
    }

    /// barter's `fetch_balances`: the balances of `assets` (exchange names).
    pub fn fetch_balances(&self, assets: Vec<AssetNameExchange>) -> Result<Vec<UnindexedAssetBalance>> {
        Ok(self.block_on(self.client.fetch_balances(&assets))??)
    }

    /// barter's `fetch_open_orders`: the open orders of `instruments` (exchange names).
    pub fn fetch_open_orders(&self, instruments: Vec<InstrumentNameExchange>) -> Result<Vec<UnindexedOrderOpen>> {
        Ok(self.block_on(self.client.fetch_open_orders(&instruments))??)
    }

    /// barter's `fetch_trades`: the trades since `time_since` (inclusive).
    pub fn fetch_trades(&self, time_since: Timestamp) -> Result<Vec<UnindexedTrade>> {
        Ok(self.block_on(self.client.fetch_trades(time_since))??)
    }

    /// barter's `account_snapshot` (barter's mock exchange ignores `assets` and `instruments`
    /// and returns the whole account).
    pub fn account_snapshot(&self, assets: Vec<AssetNameExchange>, instruments: Vec<InstrumentNameExchange>) -> Result<UnindexedAccountSnapshot> {
        Ok(self.block_on(self.client.account_snapshot(&assets, &instruments))??)
    }

    /// barter's `account_stream`: the account events the exchange sends from now on.
    pub fn account_stream(&self, assets: Vec<AssetNameExchange>, instruments: Vec<InstrumentNameExchange>) -> Result<Arc<AccountStream>> {
        let stream = self.block_on(self.client.account_stream(&assets, &instruments))??;
        Ok(Arc::new(AccountStream(runtime::Receiver::new(stream))))
    }
}

impl MockExecution {
    /// Wait for barter's client, in the process whose runtime runs the mock exchange.
    fn block_on<F: Future>(&self, future: F) -> Result<F::Output> {
        self.owner.check("this MockExecution")?;
        Ok(runtime::block_on(future))
    }
}

/// barter's account event stream of an execution client: `poll(timeout)` waits for the next
/// `UnindexedAccountEvent`. In Python, `next(timeout)` waits too, in slices Ctrl-C can
/// interrupt, and the stream is an iterator ending with the stream (when the exchange stops, or
/// barter ends a stream that lagged behind).
#[derive(Debug, uniffi::Object)]
pub struct AccountStream(runtime::Receiver<UnindexedAccountEvent>);

#[uniffi::export]
impl AccountStream {
    /// The next event, waiting at most `timeout` seconds (`None`: without limit). `None` if no
    /// event came in time, or if the stream has ended (then `ended()` is true).
    pub fn poll(&self, timeout: Option<f64>) -> Result<Option<UnindexedAccountEvent>> {
        self.0.next(timeout)
    }

    /// Whether the stream has ended: no further event will come.
    pub fn ended(&self) -> bool {
        self.0.ended()
    }
}

json_functions!(MockExecutionConfig);

#[cfg(test)]
mod tests {
    use super::*;
    use barter_instrument::{
        index::IndexedInstruments,
        instrument::kind::{InstrumentKind, perpetual::PerpetualContract},
        test_utils,
    };

    #[test]
    fn mock_exchange_trades_the_spot_instruments_of_its_exchange_by_exchange_names() {
        let instruments = IndexedInstruments::new([
            test_utils::instrument(ExchangeId::BinanceSpot, "btc", "usdt"),
            test_utils::instrument(ExchangeId::Kraken, "eth", "usdt"),
        ]);
        let mapped = mock_exchange_instruments(&instruments, ExchangeId::BinanceSpot).unwrap();
        assert_eq!(mapped.len(), 1);
        let (name, instrument) = &mapped[0];
        assert_eq!(name.name().as_str(), "btc_usdt");
        assert_eq!((instrument.exchange, instrument.underlying.quote.name().as_str()), (ExchangeId::BinanceSpot, "usdt"));
    }

    #[test]
    fn mock_exchange_refuses_what_barter_would_panic_on() {
        let mut perpetual = test_utils::instrument(ExchangeId::BinanceSpot, "btc", "usdt");
        perpetual.kind = InstrumentKind::Perpetual(PerpetualContract { contract_size: Decimal::ONE, settlement_asset: test_utils::asset("usdt") });
        let instruments = IndexedInstruments::new([perpetual]);
        let error = mock_exchange_instruments(&instruments, ExchangeId::BinanceSpot).unwrap_err();
        assert!(matches!(error, BarterError::InvalidInput { ref reason } if reason.contains("MockExchange does not support")), "{error}");
    }
}
