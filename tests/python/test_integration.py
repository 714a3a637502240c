"""barter-integration from Python: metrics in barter's JSON."""

from __future__ import annotations

import pytest

from barter import BarterError
from barter.integration import Field, Metric, Tag, Value


def test_a_metric_built_in_python_writes_barters_json(instrument_samples: dict) -> None:
    metric = Metric(
        name="order_latency",
        time=1_742_944_080_000,
        tags=[Tag(key="exchange", value="binance_spot")],
        fields=[
            Field(key="ms", value=Value.FLOAT(12.5)),
            Field(key="count", value=Value.U_INT(3)),
            Field(key="retries", value=Value.INT(-1)),
            Field(key="ok", value=Value.BOOL(True)),
            Field(key="note", value=Value.STRING("ünïcode")),
        ],
    )
    assert metric.to_json() == instrument_samples["metric"]
    # Names cross into barter's `&'static str`s and back unchanged, however often they are sent.
    for _ in range(3):
        assert metric.to_json() == instrument_samples["metric"]


def test_metric_values_read_barters_json() -> None:
    assert Value.from_json('{"UInt":18446744073709551615}') == Value.U_INT(2**64 - 1)
    with pytest.raises(BarterError.Json, match="unknown variant `Decimal`"):
        Value.from_json('{"Decimal":"1"}')
    with pytest.raises(ValueError, match="u64 requires 0 <= value"):
        Value.U_INT(-1).to_json()

