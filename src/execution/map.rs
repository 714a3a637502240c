//! barter-execution's `ExecutionInstrumentMap` (indexes ↔ an exchange's names) and its
//! `AccountEventIndexer` (unindexed account events → indexed ones).

use crate::{
    error::Result,
    execution::{
        account::{AccountEvent, AccountSnapshot, UnindexedAccountEvent, UnindexedAccountSnapshot},
        balance::{AssetBalance, UnindexedAssetBalance},
        error::{ApiError, ClientError, OrderError, UnindexedApiError, UnindexedClientError, UnindexedOrderError},
        order::{
            BarterOrderResponseCancel, BarterUnindexedOrderResponseCancel, Order, OrderKey, OrderRequestCancel,
            OrderRequestOpen, UnindexedOrder, UnindexedOrderKey, UnindexedOrderRequestCancel, UnindexedOrderRequestOpen,
        },
        trade::{Trade, UnindexedTrade},
    },
    instrument::{ExchangeAssetNames, IndexedInstruments, Instrument},
};
use barter_execution::order::{OrderEvent, OrderKey as BarterOrderKey};
use barter_instrument::{
    asset::{AssetIndex, name::AssetNameExchange},
    exchange::{ExchangeId, ExchangeIndex},
    instrument::{InstrumentIndex, name::InstrumentNameExchange},
};
use std::sync::Arc;

/// barter's map between the indexes of one exchange's assets and instruments (`AssetIndex`,
/// `InstrumentIndex`) and their names on that exchange (`AssetNameExchange`,
/// `InstrumentNameExchange`), eg/ `"BTCUSDT"` ↔ `InstrumentIndex(0)`.
#[derive(Debug, uniffi::Object)]
pub struct ExecutionInstrumentMap {
    pub(crate) map: Arc<barter_execution::map::ExecutionInstrumentMap>,
    /// What it was generated from, to generate it again elsewhere (pickling).
    instruments: Arc<IndexedInstruments>,
}

#[uniffi::export]
impl ExecutionInstrumentMap {
    /// barter's `generate_execution_instrument_map`: the map of `exchange` in `instruments`
    /// (`BarterError.Index` if `instruments` has no such exchange).
    #[uniffi::constructor]
    pub fn new(instruments: Arc<IndexedInstruments>, exchange: ExchangeId) -> Result<Arc<Self>> {
        let map = barter_execution::map::generate_execution_instrument_map(&instruments.0, exchange)?;
        Ok(Arc::new(Self { map: Arc::new(map), instruments }))
    }

    /// The instruments the map was generated from.
    pub fn indexed_instruments(&self) -> Arc<IndexedInstruments> {
        Arc::clone(&self.instruments)
    }

    /// The exchange of the map.
    pub fn exchange(&self) -> ExchangeId {
        self.map.exchange.value
    }

    /// The exchange's index in the system.
    pub fn exchange_index(&self) -> ExchangeIndex {
        self.map.exchange.key
    }

    /// Every indexed asset (barter keeps them all, in index order).
    pub fn assets(&self) -> Vec<ExchangeAssetNames> {
        self.map.assets.iter().cloned().collect()
    }

    /// Every indexed instrument (barter keeps them all, in index order).
    pub fn instruments(&self) -> Vec<Instrument> {
        self.map.instruments.iter().cloned().collect()
    }

    /// The exchange's names of its assets, in no particular order.
    pub fn exchange_assets(&self) -> Vec<AssetNameExchange> {
        self.map.exchange_assets().cloned().collect()
    }

    /// The exchange's names of its instruments, in no particular order.
    pub fn exchange_instruments(&self) -> Vec<InstrumentNameExchange> {
        self.map.exchange_instruments().cloned().collect()
    }

    /// The `ExchangeId` of the map's exchange index `exchange`.
    pub fn find_exchange_id(&self, exchange: ExchangeIndex) -> Result<ExchangeId> {
        Ok(self.map.find_exchange_id(exchange)?)
    }

    /// The `ExchangeIndex` of `exchange`, if it is the map's exchange.
    pub fn find_exchange_index(&self, exchange: ExchangeId) -> Result<ExchangeIndex> {
        Ok(self.map.find_exchange_index(exchange)?)
    }

    /// The exchange's name of the asset at `asset`.
    pub fn find_asset_name_exchange(&self, asset: AssetIndex) -> Result<AssetNameExchange> {
        Ok(self.map.find_asset_name_exchange(asset)?.clone())
    }

    /// The `AssetIndex` of the asset the exchange names `asset`.
    pub fn find_asset_index(&self, asset: AssetNameExchange) -> Result<AssetIndex> {
        Ok(self.map.find_asset_index(&asset)?)
    }

    /// The exchange's name of the instrument at `instrument`.
    pub fn find_instrument_name_exchange(&self, instrument: InstrumentIndex) -> Result<InstrumentNameExchange> {
        Ok(self.map.find_instrument_name_exchange(instrument)?.clone())
    }

    /// The `InstrumentIndex` of the instrument the exchange names `instrument`.
    pub fn find_instrument_index(&self, instrument: InstrumentNameExchange) -> Result<InstrumentIndex> {
        Ok(self.map.find_instrument_index(&instrument)?)
    }
}

/// barter's `AccountEventIndexer`: turns what an execution client sends (keyed by exchange names)
/// into what the engine uses (keyed by indexes), and engine requests back into exchange names.
/// A name or index the map lacks raises `BarterError.Index` with barter's message.
#[derive(Debug, uniffi::Object)]
pub struct AccountEventIndexer {
    indexer: barter_execution::indexer::AccountEventIndexer,
    map: Arc<ExecutionInstrumentMap>,
}

/// An engine request keyed by exchange names, owned (barter borrows the instrument name).
fn owned<Kind>(request: OrderEvent<Kind, ExchangeId, &InstrumentNameExchange>) -> OrderEvent<Kind, ExchangeId, InstrumentNameExchange> {
    let OrderEvent { key: BarterOrderKey { exchange, instrument, strategy, cid }, state } = request;
    OrderEvent { key: BarterOrderKey { exchange, instrument: instrument.clone(), strategy, cid }, state }
}

#[uniffi::export]
impl AccountEventIndexer {
    /// barter's `AccountEventIndexer::new` over `map`.
    #[uniffi::constructor]
    pub fn new(map: Arc<ExecutionInstrumentMap>) -> Arc<Self> {
        Arc::new(Self { indexer: barter_execution::indexer::AccountEventIndexer::new(Arc::clone(&map.map)), map })
    }

    /// The map it indexes with.
    pub fn map(&self) -> Arc<ExecutionInstrumentMap> {
        Arc::clone(&self.map)
    }

    /// barter's `account_event`: an exchange's account event in the engine's indexes.
    pub fn account_event(&self, event: UnindexedAccountEvent) -> Result<AccountEvent> {
        Ok(self.indexer.account_event(event)?)
    }

    /// barter's `snapshot`: an account snapshot in the engine's indexes.
    pub fn snapshot(&self, snapshot: UnindexedAccountSnapshot) -> Result<AccountSnapshot> {
        Ok(self.indexer.snapshot(snapshot)?)
    }

    /// barter's `asset_balance`: a balance in the engine's indexes.
    pub fn asset_balance(&self, balance: UnindexedAssetBalance) -> Result<AssetBalance> {
        Ok(self.indexer.asset_balance(balance)?)
    }

    /// barter's `order_snapshot`: an order in the engine's indexes.
    pub fn order_snapshot(&self, order: UnindexedOrder) -> Result<Order> {
        Ok(self.indexer.order_snapshot(order)?)
    }

    /// barter's `order_response_cancel`: a cancel response in the engine's indexes.
    pub fn order_response_cancel(&self, response: BarterUnindexedOrderResponseCancel) -> Result<BarterOrderResponseCancel> {
        Ok(self.indexer.order_response_cancel(response)?)
    }

    /// barter's `order_key`: an order key in the engine's indexes.
    pub fn order_key(&self, key: UnindexedOrderKey) -> Result<OrderKey> {
        Ok(self.indexer.order_key(key)?)
    }

    /// barter's `order_error`: an order error in the engine's indexes.
    pub fn order_error(&self, error: UnindexedOrderError) -> Result<OrderError> {
        Ok(self.indexer.order_error(error)?)
    }

    /// barter's `api_error`: an API error in the engine's indexes.
    pub fn api_error(&self, error: UnindexedApiError) -> Result<ApiError> {
        Ok(self.indexer.api_error(error)?)
    }

    /// barter's `client_error`: a client error in the engine's indexes.
    pub fn client_error(&self, error: UnindexedClientError) -> Result<ClientError> {
        Ok(self.indexer.client_error(error)?)
    }

    /// barter's `trade`: a trade in the engine's indexes.
    pub fn trade(&self, trade: UnindexedTrade) -> Result<Trade> {
        Ok(self.indexer.trade(trade)?)
    }

    /// barter's `order_request` for an open request: the engine's request in the exchange's names.
    pub fn order_request_open(&self, request: OrderRequestOpen) -> Result<UnindexedOrderRequestOpen> {
        Ok(owned(self.indexer.order_request(&request)?))
    }

    /// barter's `order_request` for a cancel request: the engine's request in the exchange's names.
    pub fn order_request_cancel(&self, request: OrderRequestCancel) -> Result<UnindexedOrderRequestCancel> {
        Ok(owned(self.indexer.order_request(&request)?))
    }
}
