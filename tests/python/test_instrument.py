"""barter-instrument from Python: IndexedInstruments' look-ups, index keys, barter's JSON names.

The expected keys come from barter's own serde JSON of the same IndexedInstruments.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from barter import BarterError, Timestamp
from barter.backtest import BacktestConfig
from barter.instrument import (
    Asset,
    AssetIndex,
    ExchangeId,
    ExchangeIndex,
    IndexedInstruments,
    Instrument,
    InstrumentIndex,
    InstrumentKind,
    InstrumentQuoteAsset,
    InstrumentSpecNotional,
    InstrumentSpecPrice,
    KeyedExchange,
    MarketDataFutureContract,
    OptionContract,
    OptionExercise,
    OptionKind,
    Side,
    Underlying,
    UnindexedFutureContract,
    UnindexedInstrumentKind,
    UnindexedInstrumentSpec,
    UnindexedInstrumentSpecQuantity,
    UnindexedOptionContract,
    UnindexedOrderQuantityUnits,
    UnindexedPerpetualContract,
    UnindexedUnderlying,
)
from barter.system import InstrumentConfig

from conftest import DATA_PATH
from strategies import barter_decimals, names, timestamps_ms


@pytest.fixture(scope="module")
def indexed(config: BacktestConfig):
    return config.system().indexed_instruments()


def test_look_ups_agree_with_barters_index(indexed) -> None:
    index = json.loads(indexed.to_json())
    assert [keyed.value for keyed in indexed.exchanges()] == [ExchangeId.from_json(json.dumps(entry["value"])) for entry in index["exchanges"]]
    for entry in index["exchanges"]:
        exchange = ExchangeId.from_json(json.dumps(entry["value"]))
        assert indexed.find_exchange_index(exchange) == ExchangeIndex(entry["key"])
        assert indexed.find_exchange(ExchangeIndex(entry["key"])) is exchange
    for entry in index["assets"]:
        exchange = ExchangeId.from_json(json.dumps(entry["value"]["exchange"]))
        assert indexed.find_asset_index(exchange, entry["value"]["asset"]["name_internal"]) == AssetIndex(entry["key"])
    assert len(indexed.instruments()) == len(index["instruments"]) > 0
    for entry in index["instruments"]:
        instrument = entry["value"]
        exchange = ExchangeId.from_json(json.dumps(instrument["exchange"]["value"]))
        found = indexed.find_instrument_index(exchange, instrument["name_internal"])
        assert found == entry["key"] and isinstance(found, InstrumentIndex)
        assert indexed.find_instrument(found).name_internal == instrument["name_internal"]


def test_unknown_keys_raise_barters_index_error(indexed) -> None:
    with pytest.raises(BarterError.Index, match="is not present in indexed instruments"):
        indexed.find_instrument_index(ExchangeId.KRAKEN, "btc_usdt")
    with pytest.raises(BarterError.Index, match=r"InstrumentIndex\(99\) is not present"):
        indexed.find_instrument(InstrumentIndex(99))
    with pytest.raises(BarterError.Index, match="ExchangeIndex -1 is out of range"):
        indexed.find_exchange(-1)
    with pytest.raises(TypeError):
        indexed.find_exchange("0")


def test_indexes_are_ints_that_say_what_they_index() -> None:
    assert InstrumentIndex(3) == 3 and hash(InstrumentIndex(3)) == hash(3)
    assert repr(InstrumentIndex(3)) == "InstrumentIndex(3)" and str(AssetIndex(2)) == "2"
    assert {InstrumentIndex(1): "eth"}[1] == "eth"


@pytest.mark.parametrize("exchange", list(ExchangeId))
def test_exchange_names_round_trip_barters_json(exchange: ExchangeId) -> None:
    assert ExchangeId.from_json(exchange.to_json()) is exchange


def test_exchange_names_are_the_ones_in_barters_files(config: BacktestConfig) -> None:
    # The names barter's own example config and market data use for the one exchange they have.
    system = json.loads(config.system().to_json())
    name = system["instruments"][0]["exchange"]
    assert ExchangeId.from_json(json.dumps(name)) is ExchangeId.BINANCE_SPOT
    assert ExchangeId.BINANCE_SPOT.to_json() == json.dumps(name)
    assert f'"exchange":{json.dumps(name)}' in DATA_PATH.read_text(encoding="utf-8")[:500]


def test_side_names_and_barters_aliases() -> None:
    assert [side.to_json() for side in Side] == ['"Buy"', '"Sell"']
    assert Side.from_json('"b"') is Side.BUY and Side.from_json('"SELL"') is Side.SELL
    with pytest.raises(BarterError.Json, match="unknown variant `long`"):
        Side.from_json('"long"')


# Instruments of every kind, as configured and as barter indexes them (the same values as
# tests/json.rs builds natively).

EXPIRY = Timestamp.from_rfc3339("2026-06-26T08:00:00Z")


def _configs() -> list[InstrumentConfig]:
    spec = UnindexedInstrumentSpec(
        price=InstrumentSpecPrice(min=Decimal("0.1"), tick_size=Decimal("0.10")),
        quantity=UnindexedInstrumentSpecQuantity(unit=UnindexedOrderQuantityUnits.ASSET("BTC"), min=Decimal("0.001"), increment=Decimal("0.001")),
        notional=InstrumentSpecNotional(min=Decimal("5")),
    )

    def config(exchange: ExchangeId, name: str, base: str, quote: str, kind: UnindexedInstrumentKind, spec: UnindexedInstrumentSpec | None) -> InstrumentConfig:
        return InstrumentConfig(exchange=exchange, name_exchange=name, underlying=UnindexedUnderlying(base=base, quote=quote), quote=InstrumentQuoteAsset.UNDERLYING_QUOTE, kind=kind, spec=spec)

    option = UnindexedOptionContract(contract_size=Decimal("0.01"), settlement_asset="BTC", kind=OptionKind.CALL, exercise=OptionExercise.EUROPEAN, expiry=EXPIRY, strike=Decimal("100000"))
    return [
        config(ExchangeId.BINANCE_SPOT, "BTCUSDT", "BTC", "USDT", UnindexedInstrumentKind.SPOT(), spec),
        config(ExchangeId.BINANCE_FUTURES_USD, "BTCUSDT", "BTC", "USDT", UnindexedInstrumentKind.PERPETUAL(UnindexedPerpetualContract(contract_size=Decimal("1"), settlement_asset="USDT")), None),
        config(ExchangeId.OKX, "BTC-USD-260626", "BTC", "USD", UnindexedInstrumentKind.FUTURE(UnindexedFutureContract(contract_size=Decimal("100"), settlement_asset="BTC", expiry=EXPIRY)), None),
        config(ExchangeId.OKX, "BTC-USD-260626-100000-C", "BTC", "USD", UnindexedInstrumentKind.OPTION(option), None),
    ]


def test_instrument_configs_built_in_python_are_barters(instrument_samples: dict) -> None:
    for config, expected in zip(_configs(), instrument_samples["configs"], strict=True):
        assert config.to_json() == expected
        assert InstrumentConfig.from_json(expected) == config
        assert hash(InstrumentConfig.from_json(expected)) == hash(config)


def test_indexed_instruments_are_barters_index_of_the_configs(instrument_samples: dict) -> None:
    indexed = IndexedInstruments(_configs())
    assert indexed.to_json() == instrument_samples["indexed_instruments"]
    assert indexed == IndexedInstruments.from_json(instrument_samples["indexed_instruments"])
    barters = json.loads(instrument_samples["indexed_instruments"])
    assert [keyed.to_json() for keyed in indexed.exchanges()] == [json.dumps(entry, separators=(",", ":")) for entry in barters["exchanges"]]
    for keyed, expected in zip(indexed.instruments(), instrument_samples["instruments"], strict=True):
        assert keyed.value.to_json() == expected
        assert indexed.find_instrument(keyed.key) == keyed.value == Instrument.from_json(expected)
        assert indexed.find_instrument_index(keyed.value.exchange.value, keyed.value.name_internal) <= keyed.key
    for keyed in indexed.assets():
        assert indexed.find_asset(keyed.key) == keyed.value
        assert indexed.find_asset_index(keyed.value.exchange, keyed.value.asset.name_internal) == keyed.key
    # barter names instruments by exchange and underlying: the future and the option share one.
    internal_names = [keyed.value.name_internal for keyed in indexed.instruments()]
    assert internal_names == [json.loads(instrument)["name_internal"] for instrument in instrument_samples["instruments"]]
    assert internal_names[2] == internal_names[3] == "okx-btc_usd"


def test_an_instrument_built_in_python_is_barters(instrument_samples: dict) -> None:
    barters = json.loads(instrument_samples["instruments"][3])
    btc, usd = AssetIndex(barters["underlying"]["base"]), AssetIndex(barters["underlying"]["quote"])
    instrument = Instrument(
        exchange=KeyedExchange(key=ExchangeIndex(barters["exchange"]["key"]), value=ExchangeId.OKX),
        name_internal="okx-btc_usd",
        name_exchange="BTC-USD-260626-100000-C",
        underlying=Underlying(base=btc, quote=usd),
        quote=InstrumentQuoteAsset.UNDERLYING_QUOTE,
        kind=InstrumentKind.OPTION(OptionContract(contract_size=Decimal("0.01"), settlement_asset=btc, kind=OptionKind.CALL, exercise=OptionExercise.EUROPEAN, expiry=EXPIRY, strike=Decimal("100000"))),
        spec=None,
    )
    assert instrument.to_json() == instrument_samples["instruments"][3]
    assert {instrument: "call"}[Instrument.from_json(instrument.to_json())] == "call"
    assert repr(instrument.kind).startswith("InstrumentKind.OPTION(OptionContract(contract_size=Decimal('0.01')")
    assert InstrumentKind.SPOT() == InstrumentKind.SPOT() != InstrumentKind.OPTION(instrument.kind[0])


def test_internal_names_are_lowercased_as_barter_does() -> None:
    # barter's AssetNameInternal and InstrumentNameInternal lowercase what they are given;
    # exchange names are kept as they are.
    asset = Asset(name_internal="BTC", name_exchange="XBT")
    assert asset.to_json() == '{"name_internal":"btc","name_exchange":"XBT"}'
    assert Asset.from_json(asset.to_json()) == Asset(name_internal="btc", name_exchange="XBT")


@given(
    exchange=st.sampled_from(list(ExchangeId)),
    name=names,
    base=names,
    quote=names,
    size=barter_decimals,
    strike=barter_decimals,
    expiry=timestamps_ms,
    option=st.sampled_from(list(OptionKind)),
    exercise=st.sampled_from(list(OptionExercise)),
)
def test_any_config_round_trips_barters_json(exchange, name, base, quote, size, strike, expiry, option, exercise) -> None:
    kind = UnindexedInstrumentKind.OPTION(UnindexedOptionContract(contract_size=size, settlement_asset=quote, kind=option, exercise=exercise, expiry=expiry, strike=strike))
    config = InstrumentConfig(exchange=exchange, name_exchange=name, underlying=UnindexedUnderlying(base=base, quote=quote), quote=InstrumentQuoteAsset.UNDERLYING_BASE, kind=kind, spec=None)
    assert InstrumentConfig.from_json(config.to_json()) == config
    assert json.loads(config.to_json())["kind"]["option"]["expiry"] == expiry.timestamp_ns() // 1_000_000


def test_sub_millisecond_expiries_are_refused_by_to_json_not_cut() -> None:
    """barter's JSON keeps expiries in milliseconds: a finer one would be written cut."""
    contract = MarketDataFutureContract(expiry=Timestamp.from_rfc3339("2026-06-26T08:00:00.123456789Z"))
    with pytest.raises(BarterError.InvalidValue, match=r"reads back as MarketDataFutureContract \{ expiry: 2026-06-26T08:00:00.123Z \}"):
        contract.to_json()
    in_ms = MarketDataFutureContract(expiry=Timestamp.from_rfc3339("2026-06-26T08:00:00.123Z"))
    assert in_ms.to_json() == '{"expiry":1782460800123}'
    assert MarketDataFutureContract.from_json(in_ms.to_json()) == in_ms


def test_bad_instrument_input_raises_typed_errors_naming_the_field() -> None:
    with pytest.raises(BarterError.Json, match=r"option\.exercise: unknown variant `asian`"):
        UnindexedInstrumentKind.from_json('{"option":{"contract_size":"1","settlement_asset":"BTC","kind":"call","exercise":"asian","expiry":0,"strike":"1"}}')
    with pytest.raises(BarterError.Json, match=r"underlying\.base"):
        Instrument.from_json('{"exchange":{"key":0,"value":"okx"},"name_internal":"a","name_exchange":"A","underlying":{"base":-1,"quote":1},"quote":"UnderlyingQuote","kind":"spot","spec":null}')
    with pytest.raises(BarterError.Index, match="out of range"):
        Underlying(base=AssetIndex(0), quote=-1).to_json()
    with pytest.raises(BarterError.InvalidValue, match="Decimal"):
        InstrumentSpecNotional(min=Decimal("79228162514264337593543950336")).to_json()
    with pytest.raises(BarterError.InvalidValue, match="Decimal"):
        InstrumentSpecNotional(min=Decimal("NaN")).to_json()
    with pytest.raises(TypeError):
        UnindexedUnderlying(base=1, quote=2).to_json()
