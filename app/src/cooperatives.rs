//! Cooperatives: their profiles, membership, the admin's verification and programmes.
mod admin;
pub mod api;
#[cfg(feature = "ssr")]
pub mod service;
mod views;

pub use admin::AdminCooperativesPage;
pub use views::{CooperativePage, CooperativeProfilePage, CooperativesPage};

use crate::domain::CooperativeStatus;
use serde::{Deserialize, Serialize};

/// A support programme (Mouaazara, Tamkine, ...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Programme {
    pub code: String,
    pub name_fr: String,
    pub name_ar: String,
    pub name_en: String,
}

/// A cooperative in a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CooperativeSummary {
    pub id: i64,
    pub name_fr: String,
    pub name_ar: String,
    pub province_code: String,
    pub province_fr: String,
    pub province_ar: String,
    pub province_en: String,
    pub member_count: i64,
    pub women_led: bool,
    pub youth_led: bool,
    pub status: CooperativeStatus,
    pub product_count: i64,
    /// The logo's file stem (`/media/photos/{stem}-thumb.jpg`).
    pub logo: Option<String>,
}

/// A cooperative's whole profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CooperativeDetail {
    #[serde(flatten)]
    pub summary: CooperativeSummary,
    pub registration_number: String,
    pub address: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub description_fr: String,
    pub description_ar: String,
    pub description_en: String,
    pub phone: String,
    pub email: String,
    pub labels: String,
    pub programmes: Vec<Programme>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CooperativePage {
    pub items: Vec<CooperativeSummary>,
    pub page: u32,
    pub per_page: u32,
    pub total: i64,
}

/// A programme as an admin types it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProgrammeForm {
    pub code: String,
    pub name_fr: String,
    pub name_ar: String,
    pub name_en: String,
}
