//! `/api/v1/orders`: placing (with an `Idempotency-Key`), reading and cancelling orders.
use super::{id_of, ApiError, JsonBody, RequestLocale, SignedIn};
use app::domain::orders::{OrderForm, PickupPoint};
use app::domain::ErrorCode;
use app::error::AppError;
use app::notifications::service::Outbox;
use app::orders::{fulfil, place, read, Order};
use app::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;

/// Places an order: 201 with the order; the same key and body again: 200 with the same
/// order; stock short: 409 naming the lines; bad input: 422 naming the fields.
#[utoipa::path(post, path = "/api/v1/orders", tag = "orders", params(("Idempotency-Key" = String, Header, description = "8 to 100 characters, one per order")), request_body = OrderForm, responses((status = 201, description = "placed", body = Order), (status = 200, description = "the same key and body again: the same order", body = Order), (status = "4XX", description = "refused: the error, in the caller's language", body = crate::api::openapi::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
    SignedIn(user): SignedIn,
    headers: HeaderMap,
    JsonBody(form): JsonBody<OrderForm>,
) -> Result<Response, ApiError> {
    let error = |e| ApiError::new(e, locale);
    let key = place::parse_key(
        headers
            .get("idempotency-key")
            .and_then(|value| value.to_str().ok()),
    )
    .map_err(error)?;
    let placement = place::checkout(&state, &user, &key, &form)
        .await
        .map_err(error)?;
    let placed = placement.placed;
    let order = match placement.order {
        Some(order) => order,
        None => read::order(
            &state.db,
            &state.settings.public_url,
            &user,
            placed.order_id,
        )
        .await
        .map_err(error)?,
    };
    let status = if placed.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(order)).into_response())
}

/// An order, for its buyer or a cooperative with a part in it (its part only); 404 for
/// anyone else.
#[utoipa::path(get, path = "/api/v1/orders/{id}", tag = "orders", params(("id" = i64, Path, description = "the id")), responses((status = 200, description = "the order as the caller may see it", body = Order), (status = "4XX", description = "refused: the error, in the caller's language", body = crate::api::openapi::ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
    SignedIn(user): SignedIn,
    Path(id): Path<String>,
) -> Result<Json<Order>, ApiError> {
    let id = id_of(&id, locale)?;
    read::order(&state.db, &state.settings.public_url, &user, id)
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, locale))
}

#[derive(Debug, Default, Deserialize)]
pub struct CancelBody {
    #[serde(default)]
    reason: String,
}

/// Cancels: the buyer cancels the whole order before it is prepared; a cooperative
/// cancels its own part with a `reason`. Both give the stock back.
#[utoipa::path(post, path = "/api/v1/orders/{id}/cancel", tag = "orders", params(("id" = i64, Path, description = "the id")), responses((status = 200, description = "cancelled", body = Order), (status = "4XX", description = "refused: the error, in the caller's language", body = crate::api::openapi::ErrorBody)))]
pub async fn cancel(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
    SignedIn(user): SignedIn,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<Order>, ApiError> {
    let error = |e| ApiError::new(e, locale);
    let id = id_of(&id, locale)?;
    // The body is optional: a buyer sends none, a cooperative its reason.
    let reason = if body.iter().all(u8::is_ascii_whitespace) {
        String::new()
    } else {
        serde_json::from_slice::<CancelBody>(&body)
            .map_err(|_| error(AppError::Refused(ErrorCode::Invalid)))?
            .reason
    };
    let now = state.db.now();
    let order = read::order(&state.db, &state.settings.public_url, &user, id)
        .await
        .map_err(error)?;
    if order.mine {
        fulfil::cancel_order(&state.db, Outbox::of(&state.settings), &user, id, now)
            .await
            .map_err(error)?;
    } else {
        let part = order.parts.first().map(|p| p.id).unwrap_or_default();
        fulfil::cancel_part(
            &state.db,
            Outbox::of(&state.settings),
            &user,
            part,
            &reason,
            now,
        )
        .await
        .map_err(error)?;
    }
    app::payments::after_cancel(&state, id).await;
    read::order(&state.db, &state.settings.public_url, &user, id)
        .await
        .map(Json)
        .map_err(error)
}

/// Where a buyer moves a pickup order: a tour stop or a salon.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct PickupBody {
    #[serde(default)]
    stop_id: Option<i64>,
    #[serde(default)]
    event_id: Option<i64>,
}

/// The buyer moves a pickup order to another stop (`stop_id`) or salon (`event_id`) where
/// every cooperative with a part still to collect takes part; answers the order as now.
#[utoipa::path(post, path = "/api/v1/orders/{id}/pickup", tag = "orders", params(("id" = i64, Path, description = "the id")), request_body = PickupBody, responses((status = 200, description = "moved", body = Order), (status = "4XX", description = "refused: the error, in the caller's language", body = crate::api::openapi::ErrorBody)))]
pub async fn move_pickup(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
    SignedIn(user): SignedIn,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<PickupBody>,
) -> Result<Json<Order>, ApiError> {
    let error = |e| ApiError::new(e, locale);
    let id = id_of(&id, locale)?;
    let point = match (body.stop_id, body.event_id) {
        (Some(stop), None) => PickupPoint::Stop(stop),
        (None, Some(event)) => PickupPoint::Salon(event),
        _ => return Err(error(AppError::field("pickup", ErrorCode::PickupRequired))),
    };
    let outbox = Outbox::of(&state.settings);
    app::orders::market::move_pickup(&state.db, outbox, &user, id, point, state.db.now())
        .await
        .map_err(error)?;
    read::order(&state.db, &state.settings.public_url, &user, id)
        .await
        .map(Json)
        .map_err(error)
}
