//! Server functions of the markets room: authenticate, call the service, answer.
use super::{
    Application, CalendarPage, CalendarQuery, EventDetail, EventPage, MapData, NearbyEntry,
    NearbyQuery,
};
use crate::domain::markets::{ApplicationForm, EventForm, StandsForm, StopForm};
use crate::error::AppError;
use leptos::prelude::*;

/// How notifications go out from this server (the tours room uses it too).
#[cfg(feature = "ssr")]
pub(crate) fn outbox(state: &crate::state::AppState) -> crate::notifications::service::Outbox {
    crate::notifications::service::Outbox::of(&state.settings)
}

pub use super::site_api::{list_sites, save_site, ListSites, SaveSite};

/// The signed-in organiser or admin (the tours room uses it too).
#[cfg(feature = "ssr")]
pub(crate) async fn organiser() -> Result<crate::accounts::CurrentUser, AppError> {
    use crate::domain::Role;
    crate::accounts::session::require_role(&[Role::Organiser, Role::Admin]).await
}

#[server]
pub async fn get_event(id: i64) -> Result<EventDetail, AppError> {
    crate::error::respond(
        async move {
            let state = crate::state::app_state()?;
            let viewer = crate::accounts::session::current_user().await?;
            super::service::event_detail(&state.db, id, viewer.as_ref()).await
        }
        .await,
    )
}

#[server]
pub async fn organiser_events(page: u32, status: String) -> Result<EventPage, AppError> {
    crate::error::respond(
        async move {
            use crate::domain::markets::EventStatus;
            let state = crate::state::app_state()?;
            let user = organiser().await?;
            let reach = super::reach::reach(&state.db, &user).await?;
            let within = super::service::Within {
                regions: reach.limited_to(),
                organiser_id: user.id,
            };
            super::service::list_events(
                &state.db,
                EventStatus::from_code(&status),
                within,
                page,
                30,
            )
            .await
        }
        .await,
    )
}

/// Events whose applications are open, for cooperatives.
#[server]
pub async fn open_events() -> Result<EventPage, AppError> {
    crate::error::respond(
        async move {
            use crate::domain::markets::EventStatus;
            let state = crate::state::app_state()?;
            crate::accounts::session::require_user().await?;
            let everywhere = super::service::Within::default();
            super::service::list_events(&state.db, Some(EventStatus::Open), everywhere, 1, 100)
                .await
        }
        .await,
    )
}

/// Creates an event (`id` 0, as a draft) or updates one.
#[server]
pub async fn save_event(id: i64, form: EventForm) -> Result<i64, AppError> {
    crate::error::respond(
        async move {
            let state = crate::state::app_state()?;
            let user = organiser().await?;
            let draft = form.parse().map_err(AppError::Invalid)?;
            if id != 0 {
                super::reach::may_organise_event(&state.db, &user, id).await?;
            }
            if let Some(site) = draft.site_id {
                super::reach::may_use_site(&state.db, &user, site).await?;
            }
            if id == 0 {
                let id = super::lifecycle::create_event(&state.db, &user, &draft).await?;
                tracing::info!(event_id = id, organiser_id = user.id, "event created");
                leptos_axum::redirect(&format!("/organiser/events/{id}"));
                Ok(id)
            } else {
                super::lifecycle::update_event(&state.db, &user, outbox(&state), id, &draft)
                    .await?;
                Ok(id)
            }
        }
        .await,
    )
}

/// Moves an event one step forward from the status the organiser saw.
#[server]
pub async fn advance_event(id: i64, from: String) -> Result<(), AppError> {
    crate::error::respond(
        async move {
            use crate::domain::{markets::EventStatus, ErrorCode};
            let state = crate::state::app_state()?;
            let user = super::reach::organiser_of_event(&state.db, id).await?;
            let from =
                EventStatus::from_code(&from).ok_or(AppError::Refused(ErrorCode::StatusInvalid))?;
            super::lifecycle::advance_event(&state.db, &user, outbox(&state), id, from)
                .await
                .map(|_| ())
        }
        .await,
    )
}

#[server]
pub async fn cancel_event(id: i64, reason: String) -> Result<(), AppError> {
    crate::error::respond(
        async move {
            let state = crate::state::app_state()?;
            let user = super::reach::organiser_of_event(&state.db, id).await?;
            super::lifecycle::cancel_event(&state.db, &user, outbox(&state), id, &reason).await
        }
        .await,
    )
}

#[server]
pub async fn add_stop(event_id: i64, form: StopForm) -> Result<i64, AppError> {
    crate::error::respond(
        async move {
            let state = crate::state::app_state()?;
            let user = super::reach::organiser_of_event(&state.db, event_id).await?;
            let stop = form.parse().map_err(AppError::Invalid)?;
            super::reach::may_use_site(&state.db, &user, stop.site_id).await?;
            super::plan::add_stop(&state.db, &user, outbox(&state), event_id, &stop).await
        }
        .await,
    )
}

/// Moves a stop (day, hours, site); answers how many buyers were told.
#[server]
pub async fn move_stop(event_id: i64, stop_id: i64, form: StopForm) -> Result<usize, AppError> {
    crate::error::respond(
        async move {
            let state = crate::state::app_state()?;
            let user = super::reach::organiser_of_event(&state.db, event_id).await?;
            let stop = form.parse().map_err(AppError::Invalid)?;
            super::reach::may_use_site(&state.db, &user, stop.site_id).await?;
            super::plan::move_stop(&state.db, &user, outbox(&state), event_id, stop_id, &stop).await
        }
        .await,
    )
}

/// How many buyers hold an open order at each of a tour's stops (stop id, buyers).
#[server]
pub async fn stop_buyers(event_id: i64) -> Result<Vec<(i64, i64)>, AppError> {
    crate::error::respond(
        async move {
            let state = crate::state::app_state()?;
            super::reach::organiser_of_event(&state.db, event_id).await?;
            crate::orders::market::buyers_by_stop(&state.db, event_id).await
        }
        .await,
    )
}

#[server]
pub async fn remove_stop(event_id: i64, stop_id: i64) -> Result<(), AppError> {
    crate::error::respond(
        async move {
            let state = crate::state::app_state()?;
            let user = super::reach::organiser_of_event(&state.db, event_id).await?;
            super::plan::remove_stop(&state.db, &user, outbox(&state), event_id, stop_id).await
        }
        .await,
    )
}

#[server]
pub async fn add_stands(event_id: i64, form: StandsForm) -> Result<(), AppError> {
    crate::error::respond(
        async move {
            let state = crate::state::app_state()?;
            let user = super::reach::organiser_of_event(&state.db, event_id).await?;
            let draft = form.parse().map_err(AppError::Invalid)?;
            super::plan::add_stands(&state.db, &user, event_id, &draft).await
        }
        .await,
    )
}

#[server]
pub async fn remove_stand(event_id: i64, stand_id: i64) -> Result<(), AppError> {
    crate::error::respond(
        async move {
            let state = crate::state::app_state()?;
            let user = super::reach::organiser_of_event(&state.db, event_id).await?;
            super::plan::remove_stand(&state.db, &user, event_id, stand_id).await
        }
        .await,
    )
}

#[server]
pub async fn event_applications(event_id: i64) -> Result<Vec<Application>, AppError> {
    crate::error::respond(
        async move {
            let state = crate::state::app_state()?;
            let user = super::reach::organiser_of_event(&state.db, event_id).await?;
            super::applicants::event_applications(&state.db, &user, event_id).await
        }
        .await,
    )
}

/// Accepts, waitlists or rejects (with a reason) an application seen in status `from`.
#[server]
pub async fn decide_application(
    id: i64,
    from: String,
    status: String,
    reason: String,
) -> Result<(), AppError> {
    crate::error::respond(
        async move {
            use crate::domain::{markets::ApplicationStatus, ErrorCode};
            let state = crate::state::app_state()?;
            let user = organiser().await?;
            let event = super::reach::application_event(&state.db, id).await?;
            super::reach::may_organise_event(&state.db, &user, event).await?;
            let from = ApplicationStatus::from_code(&from)
                .ok_or(AppError::Refused(ErrorCode::StatusInvalid))?;
            let to = ApplicationStatus::from_code(&status)
                .ok_or_else(|| AppError::field("status", ErrorCode::StatusInvalid))?;
            super::applications::decide(&state.db, &user, outbox(&state), id, from, to, &reason)
                .await
        }
        .await,
    )
}

#[server]
pub async fn assign_stand(
    event_id: i64,
    stand_id: i64,
    application: String,
) -> Result<(), AppError> {
    crate::error::respond(
        async move {
            use crate::domain::ErrorCode;
            let state = crate::state::app_state()?;
            let user = super::reach::organiser_of_event(&state.db, event_id).await?;
            let application = application
                .trim()
                .parse::<i64>()
                .map_err(|_| AppError::field("application", ErrorCode::Required))?;
            super::applications::assign_stand(
                &state.db,
                &user,
                outbox(&state),
                event_id,
                stand_id,
                application,
            )
            .await
        }
        .await,
    )
}

#[server]
pub async fn unassign_stand(event_id: i64, stand_id: i64) -> Result<(), AppError> {
    crate::error::respond(
        async move {
            let state = crate::state::app_state()?;
            let user = super::reach::organiser_of_event(&state.db, event_id).await?;
            super::applications::unassign_stand(&state.db, &user, event_id, stand_id).await
        }
        .await,
    )
}

/// The signed-in member's cooperative applies to an event.
#[server]
pub async fn apply_to_event(event_id: i64, form: ApplicationForm) -> Result<i64, AppError> {
    crate::error::respond(
        async move {
            use crate::domain::Role;
            let state = crate::state::app_state()?;
            let user = crate::accounts::session::require_role(&[Role::Cooperative]).await?;
            let member = crate::cooperatives::service::writing_member(&state.db, &user).await?;
            let draft = form.parse().map_err(AppError::Invalid)?;
            super::applications::apply(&state.db, outbox(&state), &member, event_id, &draft).await
        }
        .await,
    )
}

#[server]
pub async fn withdraw_application(id: i64) -> Result<(), AppError> {
    crate::error::respond(
        async move {
            use crate::domain::Role;
            let state = crate::state::app_state()?;
            let user = crate::accounts::session::require_role(&[Role::Cooperative]).await?;
            let member = crate::cooperatives::service::writing_member(&state.db, &user).await?;
            super::applications::withdraw(&state.db, &member, id).await
        }
        .await,
    )
}

/// The member's cooperative's applications (empty when it has no cooperative yet).
#[server]
pub async fn my_applications() -> Result<Vec<Application>, AppError> {
    crate::error::respond(
        async move {
            use crate::domain::{ErrorCode, Role};
            let state = crate::state::app_state()?;
            let user = crate::accounts::session::require_role(&[Role::Cooperative]).await?;
            match crate::cooperatives::service::membership(&state.db, &user).await {
                Ok(member) => super::applicants::cooperative_applications(&state.db, &member).await,
                Err(AppError::Refused(ErrorCode::CooperativeMissing)) => Ok(Vec::new()),
                Err(error) => Err(error),
            }
        }
        .await,
    )
}

#[server]
pub async fn calendar(query: CalendarQuery) -> Result<CalendarPage, AppError> {
    crate::error::respond(
        async move {
            let state = crate::state::app_state()?;
            let filter = query
                .parse(state.clock().today())
                .map_err(AppError::Invalid)?;
            let page = super::calendar::page_of(&query)?;
            super::calendar::calendar_page(&state.db, &filter, page).await
        }
        .await,
    )
}

#[server]
pub async fn nearby_events(query: NearbyQuery) -> Result<Vec<NearbyEntry>, AppError> {
    crate::error::respond(
        async move {
            let state = crate::state::app_state()?;
            super::calendar::nearby(&state.db, &query).await
        }
        .await,
    )
}

#[server]
pub async fn region_map(province: String) -> Result<MapData, AppError> {
    crate::error::respond(
        async move {
            let state = crate::state::app_state()?;
            let province = Some(province.as_str()).filter(|p| !p.is_empty());
            super::calendar::map_data(&state.db, province).await
        }
        .await,
    )
}

/// The upcoming events a cooperative takes part in (its public page).
#[server]
pub async fn cooperative_events(cooperative_id: i64) -> Result<Vec<super::EventSummary>, AppError> {
    crate::error::respond(
        async move {
            let state = crate::state::app_state()?;
            super::applicants::cooperative_events(&state.db, cooperative_id).await
        }
        .await,
    )
}
