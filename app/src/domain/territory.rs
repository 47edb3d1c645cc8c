//! The reference territory: region → prefecture or province → site.
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum ProvinceKind {
    Prefecture,
    Province,
}

impl ProvinceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Prefecture => "prefecture",
            Self::Province => "province",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "prefecture" => Some(Self::Prefecture),
            "province" => Some(Self::Province),
            _ => None,
        }
    }
}

/// A prefecture or province with its seat, as lists and the API show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ProvinceSummary {
    pub code: String,
    pub region_code: String,
    /// The region's names, for grouping provinces under their region.
    pub region_fr: String,
    pub region_ar: String,
    pub region_en: String,
    pub kind: ProvinceKind,
    pub name_fr: String,
    pub name_ar: String,
    pub name_en: String,
    pub seat_fr: String,
    pub seat_ar: String,
    pub seat_lat: f64,
    pub seat_lon: f64,
}

/// A region with how many prefectures and provinces it holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RegionSummary {
    pub code: String,
    /// ISO 3166-2 (`MA-03`), absent for a region loaded from an older file.
    pub iso: Option<String>,
    pub name_fr: String,
    pub name_ar: String,
    pub name_en: String,
    pub provinces: i64,
}

/// A market square or salon venue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteSummary {
    pub code: String,
    pub province_code: String,
    pub kind: String,
    pub name_fr: String,
    pub name_ar: String,
    pub lat: f64,
    pub lon: f64,
}

/// Whether a latitude and longitude are numbers on the globe.
pub fn valid_coordinates(lat: f64, lon: f64) -> bool {
    lat.is_finite()
        && lon.is_finite()
        && (-90.0..=90.0).contains(&lat)
        && (-180.0..=180.0).contains(&lon)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_off_the_globe_are_refused() {
        assert!(valid_coordinates(34.0331, -5.0003));
        assert!(!valid_coordinates(91.0, 0.0));
        assert!(!valid_coordinates(0.0, -181.0));
        assert!(!valid_coordinates(f64::NAN, 0.0));
    }

    #[test]
    fn province_kinds_round_trip() {
        for kind in [ProvinceKind::Prefecture, ProvinceKind::Province] {
            assert_eq!(ProvinceKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(ProvinceKind::parse("commune"), None);
    }
}
