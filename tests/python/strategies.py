"""Hypothesis strategies for the values barter holds, shared by the property tests."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

from barter import Timestamp

# Every value barter's 96-bit Decimal holds: up to 28 fractional digits, |mantissa| < 2**96.
barter_decimals = st.builds(
    lambda mantissa, scale: Decimal(f"{mantissa}E-{scale}"),  # from text: no context rounding
    st.integers(min_value=-(2**96) + 1, max_value=2**96 - 1),
    st.integers(min_value=0, max_value=28),
)

_FIRST_NS, _LAST_NS = -62_135_596_800 * 10**9, 253_402_300_799 * 10**9 + 999_999_999  # years 1 to 9999

# Any instant of years 1 to 9999, to the nanosecond.
timestamps = st.integers(min_value=_FIRST_NS, max_value=_LAST_NS).map(Timestamp.from_timestamp_ns)

# Instants to the millisecond: what barter's JSON keeps of contract expiries.
timestamps_ms = st.integers(min_value=_FIRST_NS // 10**6 + 1, max_value=_LAST_NS // 10**6).map(lambda ms: Timestamp.from_timestamp_ns(ms * 10**6))

# Names in any script (barter keeps them as `SmolStr`).
names = st.text(min_size=1, max_size=24)
