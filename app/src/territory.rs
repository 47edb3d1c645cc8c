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

pub use views::{ProvinceList, ProvincePage, ProvincesPage, RegionScope};

use crate::domain::{ProvinceSummary, SiteSummary};
use serde::{Deserialize, Serialize};

/// The cookie that keeps the region a buyer chose to shop in (absent: the whole Kingdom),
/// set by `/region/{code}` (the server's `preferences`).
pub const REGION_COOKIE: &str = "souk_region";

/// The region the buyer chose, if any: the catalogue, the calendar and the home page
/// start there when the address names no region.
pub fn chosen_region() -> Option<String> {
    crate::ui::forms::request_cookie(REGION_COOKIE).filter(|code| !code.is_empty())
}

/// The region a page filters by: the address's `region` (empty: the whole Kingdom) or,
/// when it names none, the chosen one; and whether it came from the choice.
pub fn region_in_scope(from_address: Option<String>) -> (String, bool) {
    match from_address {
        Some(region) => (region, false),
        None => chosen_region().map_or((String::new(), false), |r| (r, true)),
    }
}

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

/// Prefectures and provinces as choices under their region's name (in the order given:
/// the list comes region by region), for a `Select`'s `groups`.
pub fn province_groups(
    locale: crate::i18n::Locale,
    provinces: &[ProvinceSummary],
) -> Vec<crate::ui::forms::OptionGroup> {
    use crate::ui::localized;
    let mut groups: Vec<crate::ui::forms::OptionGroup> = Vec::new();
    let mut current = None;
    for p in provinces {
        let choice = (
            p.code.clone(),
            localized(locale, &p.name_fr, &p.name_ar, &p.name_en).to_owned(),
        );
        match groups.last_mut() {
            Some((_, options)) if current == Some(&p.region_code) => options.push(choice),
            _ => {
                let heading = localized(locale, &p.region_fr, &p.region_ar, &p.region_en);
                groups.push((heading.to_owned(), vec![choice]));
                current = Some(&p.region_code);
            }
        }
    }
    groups
}
