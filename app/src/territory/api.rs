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

/// The prefectures and provinces of the region this hub serves (all of them when that
/// region is not loaded).
#[server]
pub async fn home_provinces() -> Result<Vec<ProvinceSummary>, AppError> {
    crate::error::respond(
        async move {
            let state = crate::state::app_state()?;
            let all = super::service::list_provinces(&state.db).await?;
            let home: Vec<ProvinceSummary> = all
                .iter()
                .filter(|p| p.region_code == state.settings.home_region)
                .cloned()
                .collect();
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
