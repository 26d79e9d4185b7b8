//! The data types of `ibkr_client::areas::orders::enums`, with their lenient decoders
//! (re-exported there).

use crate::lenient;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $wire:literal $(| $alias:literal)*),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
            /// Any other value, kept as IBKR wrote it (and sent as is).
            Other(String),
        }

        impl $name {
            /// IBKR's code for this value.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $wire,)*
                    $name::Other(s) => s,
                }
            }

            /// The codes this type knows (not `Other`).
            pub const KNOWN: &'static [&'static str] = &[$($wire),*];
        }

        /// Reads IBKR's code or display name, whatever its case.
        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                let t = s.trim();
                $(if t.eq_ignore_ascii_case($wire) $(|| t.eq_ignore_ascii_case($alias))* {
                    return $name::$variant;
                })*
                $name::Other(s.to_string())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
                let s = lenient::opt_string(d)?
                    .ok_or_else(|| serde::de::Error::custom(concat!("a ", stringify!($name))))?;
                Ok($name::from(s.as_str()))
            }
        }

        #[cfg(feature = "schemars")]
        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                code_schema($name::KNOWN)
            }
        }
    };
}

/// A string schema listing IBKR's known codes as examples (other codes
/// pass: the enums keep them in `Other`).
#[cfg(feature = "schemars")]
fn code_schema(known: &[&str]) -> schemars::Schema {
    schemars::json_schema!({ "type": "string", "examples": known })
}

/// An optional enum field, read leniently (`""`, `"N/A"`, `null` are `None`).
#[doc(hidden)]
pub fn opt_code<'de, D, T>(d: D) -> std::result::Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: for<'a> From<&'a str>,
{
    Ok(lenient::opt_string(d)?.map(|s| T::from(s.as_str())))
}

string_enum!(
    /// Buy or sell. Reads IBKR's `BUY`/`SELL` and the `B`/`S` of order
    /// status and trades.
    Side {
        /// Buy (`BUY`).
        Buy = "BUY" | "B",
        /// Sell (`SELL`).
        Sell = "SELL" | "S",
    }
);

impl Side {
    /// The other side (a bracket's children trade against their parent).
    pub fn opposite(&self) -> Option<Side> {
        match self {
            Side::Buy => Some(Side::Sell),
            Side::Sell => Some(Side::Buy),
            Side::Other(_) => None,
        }
    }
}

string_enum!(
    /// The order type: IBKR's code on requests; its codes and display
    /// names (`Limit`, `LIMIT`, `Stop Limit`) on reads.
    OrderType {
        /// Market (`MKT`).
        Market = "MKT" | "MARKET",
        /// Limit (`LMT`): `price` is the limit.
        Limit = "LMT" | "LIMIT",
        /// Stop (`STP`): `price` is the stop (trigger) price.
        Stop = "STP" | "STOP",
        /// Stop limit (`STOP_LIMIT`): `auxPrice` is the stop, `price` the limit.
        StopLimit = "STOP_LIMIT" | "STOP LIMIT" | "STP LMT" | "STOPLIMIT",
        /// Market on close (`MOC`).
        MarketOnClose = "MOC" | "MARKET ON CLOSE",
        /// Limit on close (`LOC`): `price` is the limit.
        LimitOnClose = "LOC" | "LIMIT ON CLOSE",
        /// Trailing stop (`TRAIL`): `trailingAmt`/`trailingType`, optional
        /// initial stop in `price`.
        TrailingStop = "TRAIL" | "TRAILING STOP",
        /// Trailing stop limit (`TRAILLMT`): trailing terms, `auxPrice` the
        /// stop, `price` the limit.
        TrailingStopLimit = "TRAILLMT" | "TRAIL LIMIT" | "TRAILING STOP LIMIT",
        /// Midprice (`MIDPRICE`): `price` is an optional price cap.
        Midprice = "MIDPRICE" | "MID PRICE",
        /// Relative (`REL`), where IBKR offers it for the contract (see
        /// `contracts().info`'s order types): `price` is an optional cap.
        Relative = "REL" | "RELATIVE",
    }
);

string_enum!(
    /// Time in force.
    TimeInForce {
        /// Day (`DAY`).
        Day = "DAY",
        /// Good till cancelled (`GTC`).
        Gtc = "GTC",
        /// Immediate or cancel (`IOC`).
        Ioc = "IOC",
        /// At the opening (`OPG`): market or limit on open.
        Opg = "OPG",
        /// Overnight plus day (`PAX`).
        Pax = "PAX",
    }
);

string_enum!(
    /// An order's status as IBKR reports it.
    OrderState {
        /// Sent, not yet acknowledged (`PendingSubmit`).
        PendingSubmit = "PendingSubmit",
        /// A cancel was sent, not yet acknowledged (`PendingCancel`).
        PendingCancel = "PendingCancel",
        /// Accepted and held until its conditions are met (`PreSubmitted`).
        PreSubmitted = "PreSubmitted",
        /// Working (`Submitted`).
        Submitted = "Submitted",
        /// Accepted by the API, not yet working (`ApiPending`).
        ApiPending = "ApiPending",
        /// Cancelled through the API (`ApiCancelled`).
        ApiCancelled = "ApiCancelled",
        /// Cancelled (`Cancelled`).
        Cancelled = "Cancelled" | "Canceled",
        /// Completely filled (`Filled`).
        Filled = "Filled",
        /// No longer working: rejected, or cancelled by the system (`Inactive`).
        Inactive = "Inactive",
        /// Rejected (`Rejected`).
        Rejected = "Rejected",
        /// Working with a warning (`WarnState`).
        WarnState = "WarnState",
    }
);

impl OrderState {
    /// Whether the order is done: filled, cancelled or rejected (IBKR's
    /// `Inactive` included). A terminal order never fills again.
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            OrderState::Filled
                | OrderState::Cancelled
                | OrderState::ApiCancelled
                | OrderState::Inactive
                | OrderState::Rejected
        )
    }
}

string_enum!(
    /// A security type (`secType` on reads).
    SecurityType {
        /// Stock (`STK`).
        Stock = "STK",
        /// Option (`OPT`).
        Option = "OPT",
        /// Future (`FUT`).
        Future = "FUT",
        /// Option on a future (`FOP`).
        FutureOption = "FOP",
        /// Forex (`CASH`).
        Forex = "CASH",
        /// Contract for difference (`CFD`).
        Cfd = "CFD",
        /// Bond (`BOND`).
        Bond = "BOND",
        /// Warrant (`WAR`).
        Warrant = "WAR",
        /// Index (`IND`).
        Index = "IND",
        /// Mutual fund (`FUND`).
        Fund = "FUND",
        /// Cryptocurrency (`CRYPTO`).
        Crypto = "CRYPTO",
        /// Commodity (`CMDTY`).
        Commodity = "CMDTY",
        /// Combination (`BAG`).
        Combo = "BAG",
    }
);

string_enum!(
    /// How a trailing order's offset is expressed (`trailingType`).
    TrailingType {
        /// An amount in the price's currency (`amt`).
        Amount = "amt",
        /// A percentage of the price (`%`).
        Percent = "%",
    }
);
