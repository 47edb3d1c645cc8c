//! The regional hubs: the Kingdom's twelve regions on one map, and a page per region
//! with its prefectures and provinces, its coming markets and its cooperatives. It reads
//! through the territory, markets and cooperatives rooms' services and writes nothing.
pub mod api;
mod views;

pub use views::{RegionPage, RegionsPage};

use crate::cooperatives::CooperativeSummary;
use crate::domain::{ProvinceSummary, RegionSummary};
use crate::markets::CalendarEntry;
use serde::{Deserialize, Serialize};

/// What a region's page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionHub {
    pub region: RegionSummary,
    pub provinces: Vec<ProvinceSummary>,
    /// The coming salons and market stops (the first few).
    pub entries: Vec<CalendarEntry>,
    /// Verified cooperatives (the first few) and how many there are.
    pub cooperatives: Vec<CooperativeSummary>,
    pub cooperative_count: i64,
}

/// How many coming entries and cooperatives a region's page lists.
pub const HUB_ITEMS: u32 = 12;
