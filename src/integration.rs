//! Bindings for `barter-integration`: the values it defines for the other crates (subscription
//! ids, metrics). Its errors are `BarterError.Socket` (src/error.rs); its sockets, protocols and
//! streams run inside barter's own tasks and are not exported.

use crate::json::json_functions;
use barter_integration::{
    metric::{self, Value},
    subscription::SubscriptionId,
};
use std::{collections::BTreeSet, sync::Mutex};

uniffi::custom_type!(SubscriptionId, String, {
    remote,
    lower: |id| id.0.to_string(),
    try_lift: |id| Ok(SubscriptionId(id.into())),
});

/// Export barter's `OneOrMany<$item>` as `$name` (`One(item)` or `Many(items)`, as barter's JSON
/// keeps them apart).
macro_rules! one_or_many {
    ($name:ident, $item:ty) => {
        pub type $name = barter_integration::collection::one_or_many::OneOrMany<$item>;

        /// One item, or many.
        #[uniffi::remote(Enum)]
        pub enum $name {
            One($item),
            Many(Vec<$item>),
        }
    };
}

pub(crate) use one_or_many;

/// Export barter's `NoneOneOrMany<$item>` as `$name` (`None`, `One(item)` or `Many(items)`, as
/// barter's JSON keeps them apart).
macro_rules! none_one_or_many {
    ($name:ident, $item:ty) => {
        pub type $name = barter_integration::collection::none_one_or_many::NoneOneOrMany<$item>;

        /// No item, one item, or many.
        #[uniffi::remote(Enum)]
        pub enum $name {
            None,
            One($item),
            Many(Vec<$item>),
        }
    };
}

pub(crate) use none_one_or_many;

/// A metric value.
#[uniffi::remote(Enum)]
pub enum Value {
    Float(f64),
    Int(i64),
    UInt(u64),
    Bool(bool),
    String(String),
}

/// A measurement: its `name`, `time` (milliseconds since the epoch, as barter's callers write it),
/// `tags` and `fields`, in the shape of barter's `Metric` (whose names are `&'static str`).
#[derive(uniffi::Record)]
pub struct Metric {
    pub name: String,
    pub time: u64,
    pub tags: Vec<Tag>,
    pub fields: Vec<Field>,
}

/// A `key`-`value` label of a metric.
#[derive(uniffi::Record)]
pub struct Tag {
    pub key: String,
    pub value: String,
}

/// A named `value` of a metric.
#[derive(uniffi::Record)]
pub struct Field {
    pub key: String,
    pub value: Value,
}

type BarterMetric = metric::Metric;

uniffi::custom_type!(BarterMetric, Metric, {
    remote,
    lower: |metric| Metric {
        name: metric.name.to_owned(),
        time: metric.time,
        tags: metric.tags.into_iter().map(|tag| Tag { key: tag.key.to_owned(), value: tag.value }).collect(),
        fields: metric.fields.into_iter().map(|field| Field { key: field.key.to_owned(), value: field.value }).collect(),
    },
    try_lift: |metric| Ok(metric::Metric {
        name: intern(metric.name),
        time: metric.time,
        tags: metric.tags.into_iter().map(|tag| metric::Tag::new(intern(tag.key), tag.value)).collect(),
        fields: metric.fields.into_iter().map(|field| metric::Field::new(intern(field.key), field.value)).collect(),
    }),
});

/// barter's metric names and keys are `&'static str`: each distinct one from Python is kept for
/// the life of the process (a program uses a few), never once per metric.
fn intern(text: String) -> &'static str {
    static INTERNED: Mutex<BTreeSet<&'static str>> = Mutex::new(BTreeSet::new());
    let mut interned = INTERNED.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    match interned.get(text.as_str()) {
        Some(known) => known,
        None => {
            let leaked: &'static str = Box::leak(text.into_boxed_str());
            interned.insert(leaked);
            leaked
        }
    }
}

/// barter's serde JSON of a metric (barter writes metrics; it does not read them).
#[uniffi::export]
pub fn metric_to_json(metric: BarterMetric) -> crate::error::Result<String> {
    Ok(serde_json::to_string(&metric)?)
}

json_functions!(Value);
