//! Server functions of the territory room: public reads.
use super::ProvinceDetail;
use crate::domain::ProvinceSummary;
use crate::error::AppError;
use leptos::prelude::*;

#[server]
pub async fn list_provinces() -> Result<Vec<ProvinceSummary>, AppError> {
    crate::error::respond(
        async move {
            let state = crate::state::app_state()?;
            super::service::list_provinces(&state.db).await
        }
        .await,
    )
}

/// The regions, for the filters that choose one.
#[server]
pub async fn list_regions() -> Result<Vec<crate::domain::RegionSummary>, AppError> {
    crate::error::respond(
        async move {
            let state = crate::state::app_state()?;
            super::service::list_regions(&state.db).await
        }
        .await,
    )
}

/// The prefectures and provinces of `region` (the buyer's choice) or, when it names no
/// loaded region, of the one this hub serves (all of them when that is not loaded either).
#[server]
pub async fn home_provinces(region: Option<String>) -> Result<Vec<ProvinceSummary>, AppError> {
    crate::error::respond(
        async move {
            let state = crate::state::app_state()?;
            let all = super::service::list_provinces(&state.db).await?;
            let in_region = |code: &str| -> Vec<ProvinceSummary> {
                all.iter()
                    .filter(|p| p.region_code == code)
                    .cloned()
                    .collect()
            };
            // The buyer's chosen region, else the hub's own (`SOUK_HOME_REGION`).
            let chosen = region.as_deref().map(in_region).unwrap_or_default();
            let home = if chosen.is_empty() {
                in_region(&state.settings.home_region)
            } else {
                chosen
            };
            Ok(if home.is_empty() { all } else { home })
        }
        .await,
    )
}

#[server]
pub async fn get_province(code: String) -> Result<ProvinceDetail, AppError> {
    crate::error::respond(
        async move {
            let state = crate::state::app_state()?;
            super::service::province_detail(&state.db, &code).await
        }
        .await,
    )
}
