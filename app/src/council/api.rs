//! Server functions of the council room: organisers and admins read the indicators (a
//! regional organiser, of its regions) and the choices its filter offers.
use super::Indicators;
use crate::domain::council::IndicatorQuery;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the filter form offers besides the territory: the events of the organiser's
/// regions, the categories, the programmes and a province's cooperatives, each as
/// (value, French, Arabic, English).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FilterChoices {
    pub events: Vec<(String, String, String, String)>,
    pub categories: Vec<(String, String, String, String)>,
    pub programmes: Vec<(String, String, String, String)>,
    /// The verified cooperatives of the chosen province (none without one).
    pub cooperatives: Vec<(String, String, String, String)>,
}

#[server]
pub async fn council_indicators(query: IndicatorQuery) -> Result<Indicators, AppError> {
    crate::error::respond(
        async move {
            let state = crate::state::app_state()?;
            let user = crate::markets::api::organiser().await?;
            let filter = query
                .parse(state.clock().today())
                .map_err(AppError::Invalid)?;
            let reach = crate::markets::reach::reach(&state.db, &user).await?;
            super::service::indicators(&state.db, &filter, &reach).await
        }
        .await,
    )
}

#[server]
pub async fn council_choices(province: String) -> Result<FilterChoices, AppError> {
    crate::error::respond(
        async move {
            let state = crate::state::app_state()?;
            let user = crate::markets::api::organiser().await?;
            let reach = crate::markets::reach::reach(&state.db, &user).await?;
            super::service::choices(&state.db, &reach, province.trim()).await
        }
        .await,
    )
}

/// The enrolments and sessions of the organiser's regions, and whom it may enrol.
#[server]
pub async fn follow_up() -> Result<super::FollowUp, AppError> {
    crate::error::respond(
        async move {
            let state = crate::state::app_state()?;
            let user = crate::markets::api::organiser().await?;
            let reach = crate::markets::reach::reach(&state.db, &user).await?;
            super::follow_up::follow_up(&state.db, &reach, None).await
        }
        .await,
    )
}

#[server]
pub async fn enrol_cooperative(
    form: crate::domain::follow_up::EnrolmentForm,
) -> Result<i64, AppError> {
    crate::error::respond(
        async move {
            let state = crate::state::app_state()?;
            let user = crate::markets::api::organiser().await?;
            let draft = form.parse().map_err(AppError::Invalid)?;
            let id = super::follow_up::enrol(&state.db, &user, &draft).await?;
            tracing::info!(
                enrolment_id = id,
                cooperative_id = draft.cooperative_id,
                "cooperative enrolled"
            );
            Ok(id)
        }
        .await,
    )
}

#[server]
pub async fn record_session(form: crate::domain::follow_up::SessionForm) -> Result<i64, AppError> {
    crate::error::respond(
        async move {
            let state = crate::state::app_state()?;
            let user = crate::markets::api::organiser().await?;
            let draft = form.parse().map_err(AppError::Invalid)?;
            let id = super::follow_up::record_session(&state.db, &user, &draft).await?;
            tracing::info!(
                session_id = id,
                present = draft.cooperatives.len(),
                "session recorded"
            );
            Ok(id)
        }
        .await,
    )
}

/// A cooperative member's own enrolments and the sessions it attended.
#[server]
pub async fn my_accompaniment() -> Result<super::FollowUp, AppError> {
    crate::error::respond(
        async move {
            use crate::domain::Role;
            let state = crate::state::app_state()?;
            let user = crate::accounts::session::require_role(&[Role::Cooperative]).await?;
            let member = crate::cooperatives::service::membership(&state.db, &user).await?;
            let reach = crate::markets::reach::Reach::Kingdom;
            super::follow_up::follow_up(&state.db, &reach, Some(member.cooperative_id)).await
        }
        .await,
    )
}

/// A cooperative member's own sales dashboard over a period (`YYYY-MM-DD`; empty `to` is
/// today, empty `from` the first of the month a year before).
#[server]
pub async fn my_sales(from: String, to: String) -> Result<super::CooperativeSales, AppError> {
    crate::error::respond(
        async move {
            use crate::domain::Role;
            let state = crate::state::app_state()?;
            let user = crate::accounts::session::require_role(&[Role::Cooperative]).await?;
            let member = crate::cooperatives::service::membership(&state.db, &user).await?;
            let filter = IndicatorQuery {
                from,
                to,
                ..IndicatorQuery::default()
            }
            .parse(state.clock().today())
            .map_err(AppError::Invalid)?;
            super::dashboard::cooperative_sales(&state.db, member.cooperative_id, &filter).await
        }
        .await,
    )
}
