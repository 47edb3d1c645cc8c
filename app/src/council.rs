//! The council's own tools: the indicators organisers and admins read (`/council`), each
//! chart with its table and its CSV. It reads the orders, markets and cooperatives
//! rooms' rows in aggregate and writes none of them.
pub mod api;
mod charts;
#[cfg(feature = "ssr")]
pub mod csv;
mod report;
#[cfg(feature = "ssr")]
pub mod service;
mod views;

pub use views::CouncilPage;

use crate::domain::council::{Collection, SalesRow};
use serde::{Deserialize, Serialize};

/// Everything `/council` shows for one filter.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Indicators {
    /// The period read (`YYYY-MM-DD`, both days included).
    pub from: String,
    pub to: String,
    pub totals: Totals,
    pub collection: Collection,
    /// Sales by month (every month of the period, empty ones too), by the cooperatives'
    /// province, by event (`0`: delivery orders, outside any market) and by category.
    pub months: Vec<SalesRow>,
    pub provinces: Vec<SalesRow>,
    pub events: Vec<SalesRow>,
    pub categories: Vec<SalesRow>,
    pub markets: Vec<MarketRow>,
    pub stops: Vec<StopRow>,
    pub programmes: Vec<ProgrammeRow>,
}

/// The period's totals, and the cooperatives the filter covers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    /// Orders placed (paid or cash), their buyers and the units reserved in them.
    pub orders: i64,
    pub buyers: i64,
    pub reserved_units: i64,
    /// Sold: handed over, shipped or delivered; centimes.
    pub sales_cash: i64,
    pub sales_card: i64,
    pub sold_units: i64,
    /// Verified cooperatives, those led by women and by young people, and their members.
    pub cooperatives: i64,
    pub women_led: i64,
    pub youth_led: i64,
    pub members: i64,
}

/// One salon or tour over the period: its applications, stands and cooperatives.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarketRow {
    pub event_id: i64,
    pub name_fr: String,
    pub name_ar: String,
    pub starts_on: String,
    pub applications: i64,
    pub accepted: i64,
    pub waitlisted: i64,
    /// Stands (salons): how many there are and how many a cooperative holds.
    pub stands: i64,
    pub stands_taken: i64,
}

/// A market stop and the buyers who ordered to collect there.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StopRow {
    pub stop_id: i64,
    pub day: String,
    pub site_fr: String,
    pub site_ar: String,
    pub buyers: i64,
    pub orders: i64,
}

/// A support programme: its cooperatives (of the filter's area) and what they sold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgrammeRow {
    pub code: String,
    pub name_fr: String,
    pub name_ar: String,
    pub name_en: String,
    pub cooperatives: i64,
    pub sales: i64,
}

/// The tables `/council` offers as CSV (`/api/v1/council/{table}.csv`).
pub const TABLES: [&str; 7] = [
    "months",
    "provinces",
    "events",
    "categories",
    "markets",
    "stops",
    "programmes",
];
