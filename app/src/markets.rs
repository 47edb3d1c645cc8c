//! Salons and travelling markets: sites, events and their stops and stands, the
//! cooperatives' applications, and what buyers see (calendar, map, near me, `.ics`).
pub mod api;
#[cfg(feature = "ssr")]
pub mod applicants;
#[cfg(feature = "ssr")]
pub mod applications;
#[cfg(feature = "ssr")]
pub mod calendar;
pub mod ical;
#[cfg(feature = "ssr")]
pub mod lifecycle;
#[cfg(feature = "ssr")]
pub mod plan;
#[cfg(feature = "ssr")]
pub mod reach;
#[cfg(feature = "ssr")]
pub mod service;
pub mod site_api;
#[cfg(feature = "ssr")]
pub mod sites;
mod views;

pub use views::{
    dates_text, event_id_param, kind_label, CalendarPage, EntryList, EventPage, LocateButton,
    MyApplicationsPage, NearbyPage, OrganiserEventPage, OrganiserEventsPage, SitesPage,
};

use crate::catalogue::ProductCard;
use crate::domain::markets::{ApplicationStatus, Day, EventKind, EventStatus};
use serde::{Deserialize, Serialize};

/// What this room remembers (sites, the map's entries) starts with this key.
#[cfg(feature = "ssr")]
const MEMO: &str = "markets:";

/// Drops what this room remembers after a change to events, stops or sites (the
/// calendar, the map and "near me" then read the rows again).
#[cfg(feature = "ssr")]
pub fn calendar_changed(db: &crate::db::Db) {
    db.forget(MEMO);
}

/// A market square or salon venue with its province.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Site {
    pub id: i64,
    pub code: String,
    pub kind: String,
    pub name_fr: String,
    pub name_ar: String,
    pub address: String,
    pub lat: f64,
    pub lon: f64,
    pub province_code: String,
    pub province_fr: String,
    pub province_ar: String,
    pub province_en: String,
}

/// An event in a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct EventSummary {
    pub id: i64,
    pub kind: EventKind,
    pub status: EventStatus,
    pub name_fr: String,
    pub name_ar: String,
    pub starts_on: Day,
    pub ends_on: Day,
    pub opens_at: i64,
    pub closes_at: i64,
    pub capacity: i64,
    pub accepted_count: i64,
    /// The salon's venue.
    pub venue: Option<Site>,
    /// The prefectures and provinces it visits (codes).
    pub provinces: Vec<String>,
    pub stop_count: i64,
}

/// A tour's stop.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Stop {
    pub id: i64,
    pub site: Site,
    pub day: Day,
    pub opens_at: i64,
    pub closes_at: i64,
}

/// A salon's stand and who holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Stand {
    pub id: i64,
    pub number: i64,
    pub size_m2: i64,
    pub fee: i64,
    pub cooperative_id: Option<i64>,
    pub cooperative_fr: Option<String>,
    pub cooperative_ar: Option<String>,
}

/// A cooperative taking part (an accepted application), with what it brings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Participant {
    pub cooperative_id: i64,
    pub name_fr: String,
    pub name_ar: String,
    pub province_fr: String,
    pub province_ar: String,
    pub province_en: String,
    pub categories: Vec<String>,
    /// The stops it comes to (empty: every stop).
    pub stop_ids: Vec<i64>,
    pub stands: Vec<i64>,
    pub products: Vec<ProductCard>,
}

/// An event's whole page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct EventDetail {
    #[serde(flatten)]
    pub summary: EventSummary,
    pub description_fr: String,
    pub description_ar: String,
    pub multiple_stands: bool,
    pub cancel_reason: String,
    pub stops: Vec<Stop>,
    pub stands: Vec<Stand>,
    pub participants: Vec<Participant>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventPage {
    pub items: Vec<EventSummary>,
    pub page: u32,
    pub per_page: u32,
    pub total: i64,
}

/// An application as the organiser reviews it (and the cooperative follows it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Application {
    pub id: i64,
    pub event_id: i64,
    pub event_fr: String,
    pub event_ar: String,
    pub event_kind: EventKind,
    pub event_status: EventStatus,
    pub starts_on: Day,
    pub cooperative_id: i64,
    pub cooperative_fr: String,
    pub cooperative_ar: String,
    pub province_fr: String,
    pub province_ar: String,
    pub province_en: String,
    pub women_led: bool,
    pub youth_led: bool,
    pub programmes: Vec<String>,
    pub status: ApplicationStatus,
    pub categories: Vec<String>,
    pub stop_ids: Vec<i64>,
    pub note: String,
    pub reason: String,
    pub stands: Vec<i64>,
    pub created_at: i64,
}

/// One line of the public calendar: a salon over its dates, or one stop of a tour.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CalendarEntry {
    pub event_id: i64,
    pub stop_id: Option<i64>,
    pub kind: EventKind,
    pub status: EventStatus,
    pub name_fr: String,
    pub name_ar: String,
    pub first_day: Day,
    pub last_day: Day,
    pub opens_at: i64,
    pub closes_at: i64,
    pub site: Site,
}

/// A page of the calendar.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CalendarPage {
    pub items: Vec<CalendarEntry>,
    pub page: u32,
    pub per_page: u32,
    pub total: i64,
}

/// A calendar entry with its distance from the buyer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NearbyEntry {
    #[serde(flatten)]
    pub entry: CalendarEntry,
    pub distance_m: f64,
}

/// What the calendar, the map and "near me" ask for.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct CalendarQuery {
    pub province: String,
    /// A region's code (`fes-meknes`): its entries only.
    pub region: String,
    pub kind: String,
    /// First day (`YYYY-MM-DD`); empty: today.
    pub from: String,
    /// Last day; empty: a year after `from`.
    pub to: String,
    /// Page number (from 1) and size (at most 500; default 100).
    pub page: String,
    pub per_page: String,
}

/// Where "near me" measures from, and how far it looks.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct NearbyQuery {
    pub lat: String,
    pub lon: String,
    /// A province code: measure from its seat (a chosen town).
    pub town: String,
    pub radius_km: String,
}

/// Everything the region map draws.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MapData {
    pub provinces: Vec<crate::domain::ProvinceSummary>,
    pub sites: Vec<Site>,
    pub entries: Vec<CalendarEntry>,
}
