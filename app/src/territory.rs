//! The reference territory: regions, prefectures and provinces, market sites.
pub mod api;
#[cfg(feature = "ssr")]
pub mod atlas;
#[cfg(feature = "ssr")]
pub mod kingdom;
#[cfg(feature = "ssr")]
pub mod service;
mod views;

pub use views::{ProvinceList, ProvincePage, ProvincesPage};

use crate::domain::{ProvinceSummary, SiteSummary};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProvinceDetail {
    pub province: ProvinceSummary,
    pub sites: Vec<SiteSummary>,
}
