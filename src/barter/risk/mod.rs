//! Bindings for `barter::risk`: the verdicts of a risk manager on order requests, barter's
//! risk checks, and the risk manager of a backtest or system (`manager`: barter's
//! `DefaultRiskManager`, or one written in the foreign language).

pub mod manager;

use crate::{
    execution::order::{OrderRequestCancel, OrderRequestOpen},
    json::json_functions,
};
use ::barter::risk::{
    RiskApproved,
    check::{CheckFailHigherThan as CheckFailHigherThanOf, CheckHigherThan as CheckHigherThanOf, RiskCheck},
};
use rust_decimal::Decimal;

/// Export barter's `RiskApproved<$item>` as `$item` itself (a newtype: approval is where it is
/// found) and `RiskRefused<$item>` as `$refused`.
macro_rules! risk_verdicts {
    ($approved:ident, $refused:ident, $item:ty) => {
        pub type $approved = RiskApproved<$item>;

        uniffi::custom_type!($approved, $item, {
            remote,
            lower: |approved| approved.into_item(),
            try_lift: |item| Ok(RiskApproved(item)),
        });

        pub type $refused = ::barter::risk::RiskRefused<$item>;

        /// An order request a risk manager refused (`item`), with its `reason`.
        #[uniffi::remote(Record)]
        pub struct $refused {
            pub item: $item,
            pub reason: String,
        }
    };
}

risk_verdicts!(RiskApprovedOrderRequestOpen, RiskRefusedOrderRequestOpen, OrderRequestOpen);
risk_verdicts!(RiskApprovedOrderRequestCancel, RiskRefusedOrderRequestCancel, OrderRequestCancel);

pub type CheckHigherThan = CheckHigherThanOf<Decimal>;

/// barter's risk check that an input is not higher than `limit`.
#[uniffi::remote(Record)]
pub struct CheckHigherThan {
    pub limit: Decimal,
}

pub type CheckFailHigherThan = CheckFailHigherThanOf<Decimal>;

/// A failed `CheckHigherThan`: the `input` was higher than the `limit`.
#[uniffi::remote(Record)]
pub struct CheckFailHigherThan {
    pub limit: Decimal,
    pub input: Decimal,
}

/// barter's `CheckHigherThan::check`: `None` if `input` is within the limit, else the failure.
#[uniffi::export]
pub fn check_higher_than_check(check: CheckHigherThan, input: Decimal) -> Option<CheckFailHigherThan> {
    check.check(&input).err()
}

json_functions!(
    RiskRefusedOrderRequestOpen, RiskRefusedOrderRequestCancel, CheckHigherThan, CheckFailHigherThan,
);
