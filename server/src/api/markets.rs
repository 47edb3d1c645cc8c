//! `/api/v1/sites`, `/api/v1/events...`: the markets as JSON and as iCalendar.
use super::{id_of, viewer_is_organiser, ApiError, RequestLocale};
use app::accounts::session::user_from_headers;
use app::domain::markets::EventStatus;
use app::domain::ErrorCode;
use app::error::AppError;
use app::markets::calendar::{calendar_entries, calendar_page, nearby, page_of, CalendarFilter};
use app::markets::{
    ical, service, sites, CalendarPage, CalendarQuery, EventDetail, NearbyEntry, NearbyQuery, Site,
};
use app::state::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Items<T> {
    items: Vec<T>,
}

fn bad_query(locale: app::i18n::Locale) -> impl Fn(QueryRejection) -> ApiError {
    move |_| ApiError::new(AppError::Refused(ErrorCode::Invalid), locale)
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct SiteQuery {
    province: String,
}

#[utoipa::path(get, path = "/api/v1/sites", tag = "markets", params(SiteQuery), responses((status = 200, description = "market sites and venues", body = Items<Site>), (status = "4XX", description = "refused: the error, in the caller's language", body = crate::api::openapi::ErrorBody)))]
pub async fn list_sites(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
    query: Result<Query<SiteQuery>, QueryRejection>,
) -> Result<Json<Items<Site>>, ApiError> {
    let Query(q) = query.map_err(bad_query(locale))?;
    let province = Some(q.province.as_str()).filter(|p| !p.is_empty());
    sites::list_sites(&state.db, province)
        .await
        .map(|items| Json(Items { items }))
        .map_err(|e| ApiError::new(e, locale))
}

/// One item per salon (over its dates) or tour stop in the window, in date order, a page
/// at a time (`page`, `per_page` up to 500, `total`).
#[utoipa::path(get, path = "/api/v1/events", tag = "markets", params(CalendarQuery), responses((status = 200, description = "published events in the window", body = CalendarPage), (status = "4XX", description = "refused: the error, in the caller's language", body = crate::api::openapi::ErrorBody)))]
pub async fn list_events(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
    query: Result<Query<CalendarQuery>, QueryRejection>,
) -> Result<Json<CalendarPage>, ApiError> {
    let Query(q) = query.map_err(bad_query(locale))?;
    let invalid = |fields| ApiError::new(AppError::Invalid(fields), locale);
    let filter = q.parse(state.clock().today()).map_err(invalid)?;
    let page = page_of(&q).map_err(invalid)?;
    calendar_page(&state.db, &filter, page)
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, locale))
}

#[utoipa::path(get, path = "/api/v1/events/nearby", tag = "markets", params(NearbyQuery), responses((status = 200, description = "coming stops and salons by distance", body = Items<NearbyEntry>), (status = "4XX", description = "refused: the error, in the caller's language", body = crate::api::openapi::ErrorBody)))]
pub async fn nearby_events(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
    query: Result<Query<NearbyQuery>, QueryRejection>,
) -> Result<Json<Items<NearbyEntry>>, ApiError> {
    let Query(q) = query.map_err(bad_query(locale))?;
    nearby(&state.db, &q)
        .await
        .map(|items| Json(Items { items }))
        .map_err(|e| ApiError::new(e, locale))
}

#[utoipa::path(get, path = "/api/v1/events/{id}", tag = "markets", params(("id" = i64, Path, description = "the id")), responses((status = 200, description = "an event", body = EventDetail), (status = "4XX", description = "refused: the error, in the caller's language", body = crate::api::openapi::ErrorBody)))]
pub async fn get_event(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<EventDetail>, ApiError> {
    let id = id_of(&id, locale)?;
    let viewer = user_from_headers(&state, &headers)
        .await
        .map_err(|e| ApiError::new(e, locale))?;
    service::event_detail(&state.db, id, viewer.as_ref())
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, locale))
}

fn calendar_response(body: String, file: &str, draft: bool) -> Response {
    (
        [
            (CONTENT_TYPE, "text/calendar; charset=utf-8".to_owned()),
            (CONTENT_DISPOSITION, format!("inline; filename=\"{file}\"")),
            (CACHE_CONTROL, crate::caching::feed_policy(draft).to_owned()),
        ],
        body,
    )
        .into_response()
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct FeedQuery {
    province: String,
}

/// The public calendar (optionally of one province) for calendar apps to subscribe to.
#[utoipa::path(get, path = "/api/v1/events.ics", tag = "markets", params(FeedQuery), responses((status = 200, description = "the public calendar (RFC 5545)", body = String, content_type = "text/calendar"), (status = "4XX", description = "refused: the error, in the caller's language", body = crate::api::openapi::ErrorBody)))]
pub async fn calendar_feed(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
    query: Result<Query<FeedQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(q) = query.map_err(bad_query(locale))?;
    let province = Some(q.province.trim().to_owned()).filter(|p| !p.is_empty());
    if let Some(code) = &province {
        app::territory::service::province_detail(&state.db, code)
            .await
            .map_err(|e| ApiError::new(e, locale))?;
    }
    let today = state.clock().today();
    let filter = CalendarFilter {
        from: today.plus(-31),
        to: today.plus(365),
        province: province.clone(),
        region: None,
        kind: None,
        listed_only: true,
        event_id: None,
    };
    let entries = calendar_entries(&state.db, &filter)
        .await
        .map_err(|e| ApiError::new(e, locale))?;
    let name = match &province {
        Some(code) => format!("Souk — marchés ESS ({code})"),
        None => "Souk — salons et marchés ESS de Fès-Meknès".to_owned(),
    };
    let body = ical::calendar(&name, &entries, &state.settings.public_url, state.db.now());
    Ok(calendar_response(body, "souk.ics", false))
}

/// One event's `.ics`; a draft exists only for organisers (404 for the others).
#[utoipa::path(get, path = "/api/v1/events/{id}/calendar.ics", tag = "markets", params(("id" = i64, Path, description = "the id")), responses((status = 200, description = "one event", body = String, content_type = "text/calendar"), (status = "4XX", description = "refused: the error, in the caller's language", body = crate::api::openapi::ErrorBody)))]
pub async fn event_calendar(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = id_of(&id, locale)?;
    let event = service::event_summary(&state.db, id)
        .await
        .map_err(|e| ApiError::new(e, locale))?;
    let organiser = viewer_is_organiser(&state, &headers, locale).await?;
    if event.status == EventStatus::Draft && !organiser {
        return Err(ApiError::new(AppError::not_found(), locale));
    }
    let filter = CalendarFilter {
        from: event.starts_on,
        to: event.ends_on,
        province: None,
        region: None,
        kind: None,
        listed_only: false,
        event_id: Some(id),
    };
    let entries = calendar_entries(&state.db, &filter)
        .await
        .map_err(|e| ApiError::new(e, locale))?;
    let body = ical::calendar(
        &event.name_fr,
        &entries,
        &state.settings.public_url,
        state.db.now(),
    );
    let draft = event.status == EventStatus::Draft;
    Ok(calendar_response(
        body,
        &format!("souk-event-{id}.ics"),
        draft,
    ))
}
