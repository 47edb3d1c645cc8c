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
