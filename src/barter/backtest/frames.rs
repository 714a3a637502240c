//! A backtest's records as Arrow tables (each an Arrow IPC stream, one crossing of the FFI):
//! fills, orders, positions exited and the equity curve, named as barter names things.
//!
//! Decimals are Arrow `decimal128(38, s)`, `s` the largest scale of the column, so every value is
//! exact; a column whose values cannot share one scale within 38 digits is text, still exact.
//! Times are UTC nanoseconds.

use super::record::{EquityCurve, OrderRow, Recorded};
use crate::{
    error::{BarterError, Result},
    execution::trade::Trade,
};
use arrow_array::{
    ArrayRef, RecordBatch,
    builder::{Decimal128Builder, Float64Builder, Int64Builder, StringBuilder, TimestampNanosecondBuilder},
};
use arrow_schema::{ArrowError, Field, Schema};
use barter_execution::order::{OrderKind, TimeInForce};
use barter_instrument::{Side, index::IndexedInstruments, instrument::InstrumentIndex};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use std::{collections::HashMap, sync::Arc};

/// A backtest's records, each table an Arrow IPC stream (`pyarrow.ipc.open_stream`).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ResultFrames {
    /// Every fill, in the order the engine received them: `time`, `exchange`, `instrument`,
    /// `side`, `price`, `quantity`, `fees`, `fees_asset`, `order_id`, `trade_id`, `strategy`.
    pub fills: Vec<u8>,
    /// Every order request, risk verdict and exchange answer, in order: `time`, `event`
    /// (`open_requested`, `open_refused_by_risk`, `opened`, `filled`,
    /// `open_refused_by_exchange`, `cancel_requested`, `cancel_refused_by_risk`, `cancelled`,
    /// `cancel_refused_by_exchange`, `expired`), `exchange`, `instrument`, `strategy`,
    /// `client_order_id`, `order_id`, `side`, `kind`, `time_in_force`, `price`, `quantity`,
    /// `filled_quantity`, `reason`.
    pub orders: Vec<u8>,
    /// Every position exited, as barter's `PositionExited`: `time_enter`, `time_exit`,
    /// `exchange`, `instrument`, `side`, `quantity` (the largest absolute quantity held),
    /// `price_entry_average`, `pnl_realised` (fees included), `fees_enter`, `fees_exit`,
    /// `fees_asset`, `trades`.
    pub positions: Vec<u8>,
    /// The equity curve: `time`, each asset's total balance (a column named by the asset, or
    /// `exchange:asset` where two exchanges hold one), and `value`, the sum in the quote asset
    /// of the first instrument at mark prices (null while an asset held has no mark).
    pub equity: Vec<u8>,
}

/// Names of the system's exchanges, instruments and assets, by index.
struct Names {
    exchange: Vec<&'static str>,
    instrument: Vec<String>,
    instrument_exchange: Vec<&'static str>,
}

impl Names {
    fn new(instruments: &IndexedInstruments) -> Self {
        Self {
            exchange: instruments.exchanges().iter().map(|exchange| exchange.value.as_str()).collect(),
            instrument: instruments.instruments().iter().map(|instrument| instrument.value.name_internal.name().to_string()).collect(),
            instrument_exchange: instruments.instruments().iter().map(|instrument| instrument.value.exchange.value.as_str()).collect(),
        }
    }

    fn instrument(&self, index: InstrumentIndex) -> &str {
        self.instrument.get(index.index()).map_or("", String::as_str)
    }

    fn exchange_of(&self, index: InstrumentIndex) -> &'static str {
        self.instrument_exchange.get(index.index()).copied().unwrap_or("")
    }
}

impl ResultFrames {
    pub fn new(fills_recorded: &[Trade], recorded: &Recorded, instruments: &IndexedInstruments) -> Result<Self> {
        let names = Names::new(instruments);
        Ok(Self {
            fills: fills(fills_recorded, &names).ipc()?,
            orders: orders(&recorded.orders, &names).ipc()?,
            positions: positions(recorded, &names).ipc()?,
            equity: equity(&recorded.equity, instruments).ipc()?,
        })
    }
}

fn fills(fills: &[Trade], names: &Names) -> Table {
    let mut table = Table::default();
    table.times("time", fills.iter().map(|fill| Some(fill.time_exchange)));
    table.text("exchange", fills.iter().map(|fill| Some(names.exchange_of(fill.instrument))));
    table.text("instrument", fills.iter().map(|fill| Some(names.instrument(fill.instrument))));
    table.text("side", fills.iter().map(|fill| Some(side(fill.side))));
    table.decimals("price", fills.iter().map(|fill| Some(fill.price)));
    table.decimals("quantity", fills.iter().map(|fill| Some(fill.quantity)));
    table.decimals("fees", fills.iter().map(|fill| Some(fill.fees.fees)));
    table.text("fees_asset", fills.iter().map(|fill| Some(fill.fees.asset.to_string())));
    table.text("order_id", fills.iter().map(|fill| Some(fill.order_id.0.as_str())));
    table.text("trade_id", fills.iter().map(|fill| Some(fill.id.0.as_str())));
    table.text("strategy", fills.iter().map(|fill| Some(fill.strategy.0.as_str())));
    table
}

fn orders(orders: &[OrderRow], names: &Names) -> Table {
    let mut table = Table::default();
    table.times("time", orders.iter().map(|row| Some(row.time)));
    table.text("event", orders.iter().map(|row| Some(row.event.as_str())));
    table.text("exchange", orders.iter().map(|row| names.exchange.get(row.key.exchange.index()).copied()));
    table.text("instrument", orders.iter().map(|row| Some(names.instrument(row.key.instrument))));
    table.text("strategy", orders.iter().map(|row| Some(row.key.strategy.0.as_str())));
    table.text("client_order_id", orders.iter().map(|row| Some(row.key.cid.0.as_str())));
    table.text("order_id", orders.iter().map(|row| row.order_id.as_ref().map(|id| id.0.as_str())));
    table.text("side", orders.iter().map(|row| row.side.map(side)));
    table.text("kind", orders.iter().map(|row| row.kind.map(kind)));
    table.text("time_in_force", orders.iter().map(|row| row.time_in_force.map(time_in_force)));
    table.decimals("price", orders.iter().map(|row| row.price));
    table.decimals("quantity", orders.iter().map(|row| row.quantity));
    table.decimals("filled_quantity", orders.iter().map(|row| row.filled_quantity));
    table.text("reason", orders.iter().map(|row| row.reason.as_deref()));
    table
}

fn positions(recorded: &Recorded, names: &Names) -> Table {
    let positions = &recorded.positions;
    let mut table = Table::default();
    table.times("time_enter", positions.iter().map(|position| Some(position.time_enter)));
    table.times("time_exit", positions.iter().map(|position| Some(position.time_exit)));
    table.text("exchange", positions.iter().map(|position| Some(names.exchange_of(position.instrument))));
    table.text("instrument", positions.iter().map(|position| Some(names.instrument(position.instrument))));
    table.text("side", positions.iter().map(|position| Some(side(position.side))));
    table.decimals("quantity", positions.iter().map(|position| Some(position.quantity_abs_max)));
    table.decimals("price_entry_average", positions.iter().map(|position| Some(position.price_entry_average)));
    table.decimals("pnl_realised", positions.iter().map(|position| Some(position.pnl_realised)));
    table.decimals("fees_enter", positions.iter().map(|position| Some(position.fees_enter.fees)));
    table.decimals("fees_exit", positions.iter().map(|position| Some(position.fees_exit.fees)));
    table.text("fees_asset", positions.iter().map(|position| Some(position.fees_enter.asset.to_string())));
    table.integers("trades", positions.iter().map(|position| position.trades.len() as i64));
    table
}

fn equity(curve: &EquityCurve, instruments: &IndexedInstruments) -> Table {
    let assets = instruments.assets();
    let mut count: HashMap<&str, usize> = HashMap::new();
    for asset in assets {
        *count.entry(asset.value.asset.name_internal.name().as_str()).or_default() += 1;
    }
    let mut table = Table::default();
    table.times("time", curve.times.iter().map(|time| Some(*time)));
    for (index, asset) in assets.iter().enumerate() {
        let name = asset.value.asset.name_internal.name().as_str();
        let column = if count[name] > 1 { format!("{}:{name}", asset.value.exchange.as_str()) } else { name.to_owned() };
        table.decimals(&column, curve.balances_of(index).map(Some));
    }
    table.decimals("value", curve.values.iter().copied());
    table
}

fn side(side: Side) -> &'static str {
    match side {
        Side::Buy => "buy",
        Side::Sell => "sell",
    }
}

fn kind(kind: OrderKind) -> &'static str {
    match kind {
        OrderKind::Market => "market",
        OrderKind::Limit => "limit",
    }
}

fn time_in_force(time_in_force: TimeInForce) -> &'static str {
    match time_in_force {
        TimeInForce::GoodUntilCancelled { post_only: false } => "good_until_cancelled",
        TimeInForce::GoodUntilCancelled { post_only: true } => "good_until_cancelled_post_only",
        TimeInForce::GoodUntilEndOfDay => "good_until_end_of_day",
        TimeInForce::FillOrKill => "fill_or_kill",
        TimeInForce::ImmediateOrCancel => "immediate_or_cancel",
    }
}

/// A table built column by column, written as an Arrow IPC stream.
#[derive(Default)]
pub(crate) struct Table {
    fields: Vec<Field>,
    columns: Vec<ArrayRef>,
}

impl Table {
    fn push(&mut self, name: &str, column: ArrayRef) {
        self.fields.push(Field::new(name, column.data_type().clone(), true));
        self.columns.push(column);
    }

    pub(crate) fn times(&mut self, name: &str, values: impl Iterator<Item = Option<DateTime<Utc>>>) {
        let mut builder = TimestampNanosecondBuilder::new().with_timezone("UTC");
        // Times a backtest handles fit i64 nanoseconds (1677-2262): the data's are checked.
        builder.extend(values.map(|time| time.and_then(|time| time.timestamp_nanos_opt())));
        self.push(name, Arc::new(builder.finish()));
    }

    pub(crate) fn text<T: AsRef<str>>(&mut self, name: &str, values: impl Iterator<Item = Option<T>>) {
        let mut builder = StringBuilder::new();
        builder.extend(values);
        self.push(name, Arc::new(builder.finish()));
    }

    pub(crate) fn integers(&mut self, name: &str, values: impl Iterator<Item = i64>) {
        let mut builder = Int64Builder::new();
        builder.extend(values.map(Some));
        self.push(name, Arc::new(builder.finish()));
    }

    pub(crate) fn floats(&mut self, name: &str, values: impl Iterator<Item = Option<f64>>) {
        let mut builder = Float64Builder::new();
        builder.extend(values);
        self.push(name, Arc::new(builder.finish()));
    }

    /// Exact decimals: `decimal128(38, s)` with `s` the column's largest scale, else text.
    pub(crate) fn decimals(&mut self, name: &str, values: impl Iterator<Item = Option<Decimal>>) {
        let values: Vec<Option<Decimal>> = values.collect();
        let scale = values.iter().flatten().map(Decimal::scale).max().unwrap_or(0);
        let rescaled: Option<Vec<Option<i128>>> = values
            .iter()
            .map(|value| match value {
                None => Some(None),
                Some(value) => 10i128
                    .checked_pow(scale - value.scale())
                    .and_then(|factor| value.mantissa().checked_mul(factor))
                    .filter(|mantissa| mantissa.unsigned_abs() < 10u128.pow(38))
                    .map(Some),
            })
            .collect();
        match rescaled {
            Some(mantissas) => {
                let mut builder = Decimal128Builder::new().with_precision_and_scale(38, scale as i8).expect("scale <= 28 < 38");
                builder.extend(mantissas);
                self.push(name, Arc::new(builder.finish()));
            }
            None => self.text(name, values.iter().map(|value| value.map(|value| value.to_string()))),
        }
    }

    /// The table as an Arrow IPC stream of one record batch.
    pub(crate) fn ipc(self) -> Result<Vec<u8>> {
        let error = |error: ArrowError| BarterError::Barter { reason: format!("writing a frame: {error}") };
        let schema = Arc::new(Schema::new(self.fields));
        let batch = RecordBatch::try_new(Arc::clone(&schema), self.columns).map_err(error)?;
        let mut bytes = Vec::new();
        let mut writer = arrow_ipc::writer::StreamWriter::try_new(&mut bytes, &schema).map_err(error)?;
        writer.write(&batch).map_err(error)?;
        writer.finish().map_err(error)?;
        drop(writer);
        Ok(bytes)
    }
}
