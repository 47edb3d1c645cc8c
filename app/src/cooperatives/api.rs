//! Server functions of the cooperatives room.
use super::{CooperativeDetail, CooperativePage, Programme, ProgrammeForm};
use crate::domain::catalogue::CooperativeForm;
use crate::error::AppError;
use leptos::prelude::*;

/// The signed-in member's cooperative; `None` when the account has none yet.
#[server]
pub async fn my_cooperative() -> Result<Option<CooperativeDetail>, AppError> {
    crate::error::respond(
        async move {
            use crate::domain::{ErrorCode, Role};
            let state = crate::state::app_state()?;
            let user = crate::accounts::session::require_role(&[Role::Cooperative]).await?;
            match super::service::membership(&state.db, &user).await {
                Ok(member) => {
                    super::service::cooperative_detail(&state.db, member.cooperative_id, false)
                        .await
                        .map(Some)
                }
                Err(AppError::Refused(ErrorCode::CooperativeMissing)) => Ok(None),
                Err(error) => Err(error),
            }
        }
        .await,
    )
}

/// Creates the member's cooperative (pending verification) or updates its profile.
#[server]
pub async fn save_cooperative(form: CooperativeForm) -> Result<i64, AppError> {
    crate::error::respond(
        async move {
            use super::service;
            use crate::domain::{CooperativeStatus, ErrorCode, Role};
            let state = crate::state::app_state()?;
            let user = crate::accounts::session::require_role(&[Role::Cooperative]).await?;
            let atlas = crate::territory::service::atlas(&state.db).await?;
            let draft = form
                .parse(|lat, lon| atlas.is_empty() || atlas.locate(lat, lon).is_some())
                .map_err(AppError::Invalid)?;
            // The pin and the chosen province must agree (the outlines say where it is).
            let placed = draft
                .coordinates
                .and_then(|(lat, lon)| atlas.locate(lat, lon));
            if placed.is_some_and(|p| p.province != draft.province) {
                return Err(AppError::field("lat", ErrorCode::ProvinceMismatch));
            }
            match service::writing_member(&state.db, &user).await {
                Ok(member) => {
                    service::update_cooperative(&state.db, &member, &draft).await?;
                    tracing::info!(
                        cooperative_id = member.cooperative_id,
                        "cooperative profile updated"
                    );
                    Ok(member.cooperative_id)
                }
                Err(AppError::Refused(ErrorCode::CooperativeMissing)) => {
                    let id = service::create_cooperative(
                        &state.db,
                        &draft,
                        Some(user.id),
                        CooperativeStatus::Pending,
                    )
                    .await?;
                    tracing::info!(
                        cooperative_id = id,
                        user_id = user.id,
                        "cooperative registered"
                    );
                    Ok(id)
                }
                Err(error) => Err(error),
            }
        }
        .await,
    )
}

/// Verified cooperatives, optionally of one province.
#[server]
pub async fn list_cooperatives(page: u32, province: String) -> Result<CooperativePage, AppError> {
    crate::error::respond(
        async move {
            use crate::domain::CooperativeStatus;
            let state = crate::state::app_state()?;
            let province = Some(province.as_str()).filter(|p| !p.is_empty());
            super::service::list_cooperatives(
                &state.db,
                Some(CooperativeStatus::Verified),
                super::service::Area {
                    province,
                    region: None,
                },
                page,
                24,
            )
            .await
        }
        .await,
    )
}

#[server]
pub async fn get_cooperative(id: i64) -> Result<CooperativeDetail, AppError> {
    crate::error::respond(
        async move {
            let state = crate::state::app_state()?;
            super::service::cooperative_detail(&state.db, id, true).await
        }
        .await,
    )
}

/// Every cooperative in a state, of one region (its code) or of the Kingdom (empty), for
/// the admin.
#[server]
pub async fn admin_cooperatives(
    status: String,
    region: String,
    page: u32,
) -> Result<CooperativePage, AppError> {
    crate::error::respond(
        async move {
            use crate::domain::{CooperativeStatus, Role};
            let state = crate::state::app_state()?;
            crate::accounts::session::require_role(&[Role::Admin]).await?;
            let status = CooperativeStatus::from_code(&status);
            let region = region.trim();
            let area = super::service::Area {
                province: None,
                region: Some(region).filter(|r| !r.is_empty()),
            };
            super::service::list_cooperatives(&state.db, status, area, page, 50).await
        }
        .await,
    )
}

#[server]
pub async fn set_cooperative_status(id: i64, status: String) -> Result<(), AppError> {
    crate::error::respond(
        async move {
            use crate::domain::{CooperativeStatus, ErrorCode, Role};
            let state = crate::state::app_state()?;
            let admin = crate::accounts::session::require_role(&[Role::Admin]).await?;
            let status = CooperativeStatus::from_code(&status)
                .ok_or(AppError::Refused(ErrorCode::StatusInvalid))?;
            super::service::set_status(&state.db, &admin, id, status).await?;
            tracing::info!(
                admin_id = admin.id,
                cooperative_id = id,
                status = status.as_str(),
                "cooperative status set"
            );
            Ok(())
        }
        .await,
    )
}

#[server]
pub async fn list_programmes() -> Result<Vec<Programme>, AppError> {
    crate::error::respond(
        async move {
            let state = crate::state::app_state()?;
            super::service::list_programmes(&state.db).await
        }
        .await,
    )
}

#[server]
pub async fn create_programme(form: ProgrammeForm) -> Result<(), AppError> {
    crate::error::respond(
        async move {
            use crate::domain::Role;
            let state = crate::state::app_state()?;
            let admin = crate::accounts::session::require_role(&[Role::Admin]).await?;
            super::service::create_programme(&state.db, &admin, &form).await
        }
        .await,
    )
}
