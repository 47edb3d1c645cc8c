//! The reference territory: regions, prefectures and provinces, market sites.
pub mod api;
#[cfg(feature = "ssr")]
pub mod atlas;
#[cfg(feature = "ssr")]
pub mod kingdom;
#[cfg(feature = "ssr")]
pub mod regions;
#[cfg(feature = "ssr")]
pub mod service;
mod views;

pub use views::{ProvinceList, ProvincePage, ProvincesPage};

use crate::domain::{ProvinceSummary, SiteSummary};
use serde::{Deserialize, Serialize};

/// The Kingdom's regions drawn by the server: each region's outline as SVG path data in
/// the map's pixels, where its number goes, and the region itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KingdomMap {
    pub width: f64,
    pub height: f64,
    pub regions: Vec<DrawnRegion>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DrawnRegion {
    pub region: crate::domain::RegionSummary,
    pub path: String,
    pub label: (f64, f64),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProvinceDetail {
    pub province: ProvinceSummary,
    pub sites: Vec<SiteSummary>,
}
