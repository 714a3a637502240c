"""barter-instrument from Python: IndexedInstruments' look-ups, index keys, barter's JSON names.

The expected keys come from barter's own serde JSON of the same IndexedInstruments.
"""

from __future__ import annotations

import json

import pytest

from barter import BarterError
from barter.backtest import BacktestConfig
from barter.instrument import AssetIndex, ExchangeId, ExchangeIndex, InstrumentIndex, Side

from conftest import DATA_PATH


@pytest.fixture(scope="module")
def indexed(config: BacktestConfig):
    return config.system().indexed_instruments()


def test_look_ups_agree_with_barters_index(indexed) -> None:
    index = json.loads(indexed.to_json())
    assert indexed.exchanges() == [ExchangeId.from_json(json.dumps(entry["value"])) for entry in index["exchanges"]]
    for entry in index["exchanges"]:
        exchange = ExchangeId.from_json(json.dumps(entry["value"]))
        assert indexed.find_exchange_index(exchange) == ExchangeIndex(entry["key"])
        assert indexed.find_exchange(ExchangeIndex(entry["key"])) is exchange
    for entry in index["assets"]:
        exchange = ExchangeId.from_json(json.dumps(entry["value"]["exchange"]))
        assert indexed.find_asset_index(exchange, entry["value"]["asset"]["name_internal"]) == AssetIndex(entry["key"])
    assert indexed.num_instruments() == len(index["instruments"]) > 0
    for entry in index["instruments"]:
        instrument = entry["value"]
        exchange = ExchangeId.from_json(json.dumps(instrument["exchange"]["value"]))
        found = indexed.find_instrument_index(exchange, instrument["name_internal"])
        assert found == entry["key"] and isinstance(found, InstrumentIndex)
        assert indexed.find_instrument_name(found) == instrument["name_internal"]


def test_unknown_keys_raise_barters_index_error(indexed) -> None:
    with pytest.raises(BarterError.Index, match="is not present in indexed instruments"):
        indexed.find_instrument_index(ExchangeId.KRAKEN, "btc_usdt")
    with pytest.raises(BarterError.Index, match=r"InstrumentIndex\(99\) is not present"):
        indexed.find_instrument_name(InstrumentIndex(99))
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
