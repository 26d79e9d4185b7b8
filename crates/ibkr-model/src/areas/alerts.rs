//! The data types of `ibkr_client::areas::alerts`, with their lenient decoders
//! (re-exported there).

use super::ids::{self, AccountId};
use super::orders::{OrderState, TimeInForce};
use crate::decode::LenientDeserialize;
use crate::decode::wire;
use crate::lenient;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// One alert in an account's list.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct AlertSummary {
    /// The alert id (IBKR calls it `order_id`).
    #[serde(default, rename = "order_id", deserialize_with = "lenient::opt_i64")]
    pub id: Option<i64>,
    /// The account.
    #[serde(default, deserialize_with = "ids::opt_account_id")]
    pub account: Option<AccountId>,
    /// The alert's name.
    #[serde(
        default,
        rename = "alert_name",
        deserialize_with = "lenient::opt_string"
    )]
    pub name: Option<String>,
    /// Whether it is active.
    #[serde(
        default,
        rename = "alert_active",
        deserialize_with = "lenient::bool_or_false"
    )]
    pub active: bool,
    /// Whether it fires repeatedly.
    #[serde(
        default,
        rename = "alert_repeatable",
        deserialize_with = "lenient::bool_or_false"
    )]
    pub repeatable: bool,
    /// Whether it has fired.
    #[serde(
        default,
        rename = "alert_triggered",
        deserialize_with = "lenient::bool_or_false"
    )]
    pub triggered: bool,
    /// When it was created, as IBKR writes it.
    #[serde(
        default,
        rename = "order_time",
        deserialize_with = "lenient::opt_string"
    )]
    pub created: Option<String>,
}

/// One condition of an alert, as sent and as received.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct AlertCondition {
    /// Condition type: 1 price, 3 time, 4 margin, 5 trade, 6 volume, 7 MTA
    /// market, 8 MTA position, 9 MTA account daily PnL.
    #[serde(
        default,
        rename = "type",
        alias = "condition_type",
        deserialize_with = "lenient::opt_i64"
    )]
    pub kind: Option<i64>,
    /// `conid@exchange`, e.g. `265598@SMART`.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub conidex: Option<String>,
    /// `>=` or `<=`.
    #[serde(
        default,
        alias = "condition_operator",
        deserialize_with = "lenient::opt_string"
    )]
    pub operator: Option<String>,
    /// The threshold, as text.
    #[serde(
        default,
        alias = "condition_value",
        deserialize_with = "lenient::opt_string"
    )]
    pub value: Option<String>,
    /// How a price is triggered (`0` default, `1` double bid/ask, ...).
    #[serde(
        default,
        rename = "triggerMethod",
        alias = "condition_trigger_method",
        deserialize_with = "lenient::opt_string"
    )]
    pub trigger_method: Option<String>,
    /// `a` (and), `o` (or) or `n` (end) joining this condition to the next.
    #[serde(
        default,
        rename = "logicBind",
        alias = "condition_logic_bind",
        deserialize_with = "lenient::opt_string"
    )]
    pub logic_bind: Option<String>,
    /// Time zone of a time condition.
    #[serde(
        default,
        rename = "timeZone",
        alias = "condition_time_zone",
        deserialize_with = "lenient::opt_string"
    )]
    pub time_zone: Option<String>,
    /// IBKR's description of the contract (received only).
    #[serde(
        default,
        rename = "contract_description_1",
        skip_serializing,
        deserialize_with = "lenient::opt_string"
    )]
    pub contract_description: Option<String>,
}

impl AlertCondition {
    /// A price condition on `conidex` (`conid@exchange`): `operator` is
    /// `>=` or `<=`, `value` the price.
    pub fn price(conidex: &str, operator: &str, value: &str) -> Self {
        AlertCondition {
            kind: Some(1),
            conidex: Some(conidex.into()),
            operator: Some(operator.into()),
            value: Some(value.into()),
            trigger_method: Some("0".into()),
            logic_bind: Some("n".into()),
            time_zone: None,
            contract_description: None,
        }
    }
}

/// An alert's details.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(from = "AlertDetailsWire")]
pub struct AlertDetails {
    /// The alert id.
    #[serde(rename = "order_id")]
    pub id: Option<i64>,
    /// The account.
    pub account: Option<AccountId>,
    /// The name (`alert_name`; the Web API has also sent `alertName`).
    #[serde(rename = "alertName")]
    pub name: Option<String>,
    /// The message sent when it fires.
    #[serde(rename = "alert_message")]
    pub message: Option<String>,
    /// Whether it is active.
    #[serde(rename = "alert_active")]
    pub active: bool,
    /// Whether it fires repeatedly.
    #[serde(rename = "alert_repeatable")]
    pub repeatable: bool,
    /// Whether it has fired.
    #[serde(rename = "alert_triggered")]
    pub triggered: bool,
    /// Time in force (`GTC`; `GTD` is [`TimeInForce::Other`]).
    pub tif: Option<TimeInForce>,
    /// Expiry of a `GTD` alert.
    pub expire_time: Option<String>,
    /// IBKR's status of the alert order (`Submitted` while active).
    #[serde(rename = "order_status")]
    pub status: Option<OrderState>,
    /// The email address notified, if any.
    #[serde(rename = "alert_email")]
    pub email: Option<String>,
    /// Whether an email is sent when it fires.
    #[serde(rename = "alert_send_message")]
    pub send_message: Option<bool>,
    /// Whether IBKR's platforms show a popup when it fires.
    #[serde(rename = "alert_show_popup")]
    pub show_popup: Option<bool>,
    /// The sound IBKR's platforms play, if any.
    #[serde(rename = "alert_play_audio")]
    pub play_audio: Option<String>,
    /// Whether it fires outside regular trading hours.
    #[serde(rename = "condition_outside_rth")]
    pub outside_rth: Option<bool>,
    /// How many conditions it has, as IBKR counts them.
    #[serde(rename = "condition_size")]
    pub condition_size: Option<i64>,
    /// Whether IBKR lets it be modified (`false` when
    /// `order_not_editable` is set).
    #[serde(rename = "order_not_editable")]
    pub not_editable: Option<bool>,
    /// Whether it only places orders in TWS (`itws_orders_only`).
    #[serde(rename = "itws_orders_only")]
    pub tws_orders_only: Option<bool>,
    /// The currency of an MTA alert's amounts.
    #[serde(rename = "alert_mta_currency")]
    pub mta_currency: Option<String>,
    /// An MTA alert's thresholds, as IBKR writes them
    /// (`9:STATE=1,MIN=-260000,...|8:...`).
    #[serde(rename = "alert_mta_defaults")]
    pub mta_defaults: Option<String>,
    /// IBKR's tool id of an MTA alert.
    #[serde(rename = "tool_id")]
    pub tool_id: Option<i64>,
    /// The time zone of its time conditions.
    #[serde(rename = "time_zone")]
    pub time_zone: Option<String>,
    /// IBKR's default alert type, when set.
    #[serde(rename = "alert_default_type")]
    pub default_type: Option<String>,
    /// The conditions.
    pub conditions: Vec<AlertCondition>,
}

/// The wire form of [`AlertDetails`] (what it serializes to reads back):
/// `alertName` and `alert_name` are two fields, as IBKR has sent both.
#[derive(LenientDeserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
struct AlertDetailsWire {
    #[serde(default, rename = "order_id", deserialize_with = "lenient::opt_i64")]
    id: Option<i64>,
    #[serde(default, deserialize_with = "ids::opt_account_id")]
    account: Option<AccountId>,
    #[serde(
        default,
        rename = "alertName",
        deserialize_with = "lenient::opt_string"
    )]
    name: Option<String>,
    #[serde(
        default,
        rename = "alert_message",
        deserialize_with = "lenient::opt_string"
    )]
    message: Option<String>,
    #[serde(
        default,
        rename = "alert_active",
        deserialize_with = "lenient::bool_or_false"
    )]
    active: bool,
    #[serde(
        default,
        rename = "alert_repeatable",
        deserialize_with = "lenient::bool_or_false"
    )]
    repeatable: bool,
    #[serde(
        default,
        rename = "alert_triggered",
        deserialize_with = "lenient::bool_or_false"
    )]
    triggered: bool,
    #[serde(default, deserialize_with = "wire::opt_code")]
    tif: Option<TimeInForce>,
    #[serde(
        default,
        rename = "expire_time",
        deserialize_with = "lenient::opt_string"
    )]
    expire_time: Option<String>,
    #[serde(default, rename = "order_status", deserialize_with = "wire::opt_code")]
    status: Option<OrderState>,
    #[serde(
        default,
        rename = "alert_email",
        deserialize_with = "lenient::opt_string"
    )]
    email: Option<String>,
    #[serde(
        default,
        rename = "alert_send_message",
        deserialize_with = "lenient::opt_bool"
    )]
    send_message: Option<bool>,
    #[serde(
        default,
        rename = "alert_show_popup",
        deserialize_with = "lenient::opt_bool"
    )]
    show_popup: Option<bool>,
    #[serde(
        default,
        rename = "alert_play_audio",
        deserialize_with = "lenient::opt_string"
    )]
    play_audio: Option<String>,
    #[serde(
        default,
        rename = "condition_outside_rth",
        deserialize_with = "lenient::opt_bool"
    )]
    outside_rth: Option<bool>,
    #[serde(
        default,
        rename = "condition_size",
        deserialize_with = "lenient::opt_i64"
    )]
    condition_size: Option<i64>,
    #[serde(
        default,
        rename = "order_not_editable",
        deserialize_with = "lenient::opt_bool"
    )]
    not_editable: Option<bool>,
    #[serde(
        default,
        rename = "itws_orders_only",
        deserialize_with = "lenient::opt_bool"
    )]
    tws_orders_only: Option<bool>,
    #[serde(
        default,
        rename = "alert_mta_currency",
        deserialize_with = "lenient::opt_string"
    )]
    mta_currency: Option<String>,
    #[serde(
        default,
        rename = "alert_mta_defaults",
        deserialize_with = "lenient::opt_string"
    )]
    mta_defaults: Option<String>,
    #[serde(default, rename = "tool_id", deserialize_with = "lenient::opt_i64")]
    tool_id: Option<i64>,
    #[serde(
        default,
        rename = "time_zone",
        deserialize_with = "lenient::opt_string"
    )]
    time_zone: Option<String>,
    #[serde(
        default,
        rename = "alert_default_type",
        deserialize_with = "lenient::opt_string"
    )]
    default_type: Option<String>,
    #[serde(default, deserialize_with = "lenient::vec_or_single")]
    conditions: Vec<AlertCondition>,
    #[serde(
        default,
        rename = "alert_name",
        deserialize_with = "lenient::opt_string"
    )]
    alt_name: Option<String>,
}

impl From<AlertDetailsWire> for AlertDetails {
    fn from(w: AlertDetailsWire) -> Self {
        AlertDetails {
            id: w.id,
            account: w.account,
            name: w.name.or(w.alt_name),
            message: w.message,
            active: w.active,
            repeatable: w.repeatable,
            triggered: w.triggered,
            tif: w.tif,
            expire_time: w.expire_time,
            status: w.status,
            email: w.email,
            send_message: w.send_message,
            show_popup: w.show_popup,
            play_audio: w.play_audio,
            outside_rth: w.outside_rth,
            condition_size: w.condition_size,
            not_editable: w.not_editable,
            tws_orders_only: w.tws_orders_only,
            mta_currency: w.mta_currency,
            mta_defaults: w.mta_defaults,
            tool_id: w.tool_id,
            time_zone: w.time_zone,
            default_type: w.default_type,
            conditions: w.conditions,
        }
    }
}

/// What [`Alerts::create`](struct.Alerts.html#method.create) sends.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct AlertRequest {
    /// The name.
    #[serde(rename = "alertName")]
    pub name: String,
    /// The message sent when it fires (defaults to the name).
    #[serde(rename = "alertMessage")]
    pub message: String,
    /// `1` to fire repeatedly.
    #[serde(rename = "alertRepeatable")]
    pub repeatable: i64,
    /// Time in force: `GTC` (default) or `GTD` with `expire_time`.
    pub tif: String,
    /// Expiry (`YYYYMMDD-HH:mm:ss`) of a `GTD` alert.
    #[serde(rename = "expireTime", skip_serializing_if = "Option::is_none")]
    pub expire_time: Option<String>,
    /// `1` to fire outside regular trading hours.
    #[serde(rename = "outsideRth")]
    pub outside_rth: i64,
    /// Email address to notify, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// `1` to send an email.
    #[serde(rename = "sendMessage")]
    pub send_message: i64,
    /// `1` to show a popup in IBKR's platforms.
    #[serde(rename = "showPopup")]
    pub show_popup: i64,
    /// The conditions.
    pub conditions: Vec<AlertCondition>,
    /// The alert to modify; `None` (sent as 0) creates a new one.
    #[serde(rename = "orderId")]
    pub alert_id: Option<i64>,
}

impl AlertRequest {
    /// A new `GTC` alert named `name`; add conditions with
    /// [`AlertRequest::condition`].
    pub fn new(name: impl Into<String>) -> Self {
        let name = name.into();
        AlertRequest {
            message: name.clone(),
            name,
            tif: "GTC".into(),
            ..AlertRequest::default()
        }
    }

    /// Adds a condition.
    pub fn condition(mut self, condition: AlertCondition) -> Self {
        self.conditions.push(condition);
        self
    }

    #[doc(hidden)]
    pub fn to_json(&self, alert_id: Option<i64>) -> Value {
        let mut v = serde_json::to_value(self).unwrap_or_default();
        v["orderId"] = json!(alert_id.or(self.alert_id).unwrap_or(0));
        if let Some(conditions) = v.get_mut("conditions").and_then(Value::as_array_mut) {
            for c in conditions.iter_mut().filter_map(Value::as_object_mut) {
                c.retain(|_, v| !v.is_null());
            }
        }
        if let Some(obj) = v.as_object_mut() {
            obj.retain(|_, v| !v.is_null());
        }
        v
    }
}

/// IBKR's answer to a create, modify, activate or delete.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct AlertResult {
    /// Whether IBKR accepted the request.
    #[serde(default, deserialize_with = "lenient::bool_or_false")]
    pub success: bool,
    /// The alert id concerned.
    #[serde(default, rename = "order_id", deserialize_with = "lenient::opt_i64")]
    pub id: Option<i64>,
    /// IBKR's text.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub text: Option<String>,
    /// A warning, if any.
    #[serde(
        default,
        rename = "warning_message",
        deserialize_with = "lenient::opt_string"
    )]
    pub warning: Option<String>,
    /// Alerts that failed, if any.
    #[serde(
        default,
        rename = "failure_list",
        deserialize_with = "lenient::opt_string"
    )]
    pub failures: Option<String>,
    /// IBKR's status of the alert order, when sent.
    #[serde(default, rename = "order_status", deserialize_with = "wire::opt_code")]
    pub status: Option<OrderState>,
    /// IBKR's request id, when sent.
    #[serde(
        default,
        rename = "request_id",
        deserialize_with = "lenient::opt_string"
    )]
    pub request_id: Option<String>,
}
