//! The council's own tools: the indicators organisers and admins read (`/council`), each
//! chart with its table and its CSV, and the follow-up of its programmes (enrolments and
//! accompaniment sessions, `/council/programmes`; a cooperative sees its own). It reads
//! the orders, markets and cooperatives rooms' rows in aggregate and writes only its
//! own tables.
#[cfg(feature = "ssr")]
mod activity;
pub mod api;
#[cfg(feature = "ssr")]
mod buyers;
mod charts;
#[cfg(feature = "ssr")]
pub mod csv;
#[cfg(feature = "ssr")]
pub mod dashboard;
mod dashboard_views;
#[cfg(feature = "ssr")]
pub mod follow_up;
mod follow_up_views;
#[cfg(feature = "ssr")]
pub mod open_data;
#[cfg(feature = "ssr")]
mod open_months;
mod report;
#[cfg(feature = "ssr")]
mod sales;
#[cfg(feature = "ssr")]
mod scope;
#[cfg(feature = "ssr")]
pub mod service;
mod views;

pub use dashboard_views::MySalesPage;
pub use follow_up_views::{FollowUpPage, MyAccompanimentPage};
pub use views::CouncilPage;

use crate::domain::council::{Collection, SalesRow};
use serde::{Deserialize, Serialize};

/// Everything `/council` shows for one filter.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
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
    /// Accompaniment sessions held, and the cooperatives present at one at least.
    pub sessions: i64,
    pub accompanied: i64,
}

/// One salon or tour over the period: its applications, stands and cooperatives.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ProgrammeRow {
    pub code: String,
    pub name_fr: String,
    pub name_ar: String,
    pub name_en: String,
    pub cooperatives: i64,
    pub sales: i64,
    /// Enrolled by the council during the period, and the support recorded (centimes).
    pub enrolled: i64,
    pub support: i64,
    /// What enrolled cooperatives sold in the period before and after joining.
    pub sales_before: i64,
    pub sales_after: i64,
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

/// A cooperative's enrolment in a programme, as the council recorded it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrolment {
    pub id: i64,
    pub cooperative_id: i64,
    pub cooperative_fr: String,
    pub cooperative_ar: String,
    pub programme: String,
    pub programme_fr: String,
    pub programme_ar: String,
    pub programme_en: String,
    pub starts_on: String,
    pub ends_on: Option<String>,
    pub status: crate::domain::follow_up::EnrolmentStatus,
    pub support: String,
    /// Centimes of MAD.
    pub amount: i64,
}

/// An accompaniment session and the cooperatives present (id, French, Arabic name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub id: i64,
    pub kind: crate::domain::follow_up::SessionKind,
    pub held_on: String,
    pub place: String,
    pub topic: String,
    pub programme_fr: Option<String>,
    pub programme_ar: Option<String>,
    pub cooperatives: Vec<(i64, String, String)>,
}

/// What the follow-up page shows: the enrolments and sessions (newest first), and for
/// an organiser the cooperatives it may follow (id, French, Arabic name) and programmes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    pub enrolments: Vec<Enrolment>,
    pub sessions: Vec<Session>,
    pub cooperatives: Vec<(i64, String, String)>,
}

/// A cooperative's own dashboard (`/cooperative/sales`) over a period: its sales by month,
/// product and market, its best stops, its payouts and its low stock.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CooperativeSales {
    pub from: String,
    pub to: String,
    /// Orders, buyers, units and sales in cash and by card (the cooperative's parts).
    pub totals: Totals,
    pub collection: Collection,
    pub months: Vec<SalesRow>,
    /// By product (`key`: its id) and by market (`key`: the event id, `0` delivery).
    pub products: Vec<SalesRow>,
    pub events: Vec<SalesRow>,
    /// Stops by what was handed over there, best first (ten at most).
    pub stops: Vec<StopSales>,
    /// Owed and not yet paid out, whatever the period, and the period's payouts.
    pub unsettled: i64,
    pub payouts: Vec<crate::payments::Payout>,
    pub low_stock: Vec<crate::inventory::LowStock>,
}

/// What a cooperative handed over at one market stop.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StopSales {
    pub stop_id: i64,
    pub event_id: i64,
    pub day: String,
    pub site_fr: String,
    pub site_ar: String,
    pub orders: i64,
    pub units: i64,
    /// Centimes.
    pub amount: i64,
}
