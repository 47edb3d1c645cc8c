//! `/api/v1/stripe/webhook`: the payment provider's events, verified on the raw body.
use super::{ApiError, RequestLocale, SignedIn};
use app::domain::ErrorCode;
use app::error::AppError;
use app::notifications::service::Outbox;
use app::payments::{refunds, signature, webhook};
use app::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use serde_json::{json, Value};

/// Verifies the `Stripe-Signature` (HMAC-SHA256, any `v1`, 300 s tolerance), then
/// applies the event once. A bad or old signature is 400 and changes nothing; an event
/// seen before or of a type Souk ignores is acknowledged (200) so Stripe stops sending it.
#[utoipa::path(post, path = "/api/v1/stripe/webhook", tag = "payments", params(("Stripe-Signature" = String, Header, description = "t=…,v1=… (HMAC-SHA256)")), request_body = serde_json::Value, responses((status = 200, description = "applied, or seen before", body = serde_json::Value), (status = "4XX", description = "refused: the error, in the caller's language", body = crate::api::openapi::ErrorBody)))]
pub async fn stripe_webhook(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let error = |e| ApiError::new(e, locale);
    let Some(gateway) = &state.gateway else {
        return Err(error(AppError::not_found()));
    };
    let now = state.db.now();
    let header = headers
        .get("stripe-signature")
        .and_then(|v| v.to_str().ok());
    if let Err(reason) = signature::verify(header, &body, gateway.webhook_secret(), now) {
        tracing::warn!(?reason, "webhook refused: signature");
        return Err(error(AppError::Refused(ErrorCode::SignatureInvalid)));
    }
    let outcome = webhook::apply(
        &state.db,
        Outbox::of(&state.settings),
        &body,
        state.settings.platform_fee_bps,
        now,
    )
    .await
    .map_err(error)?;
    // A refund owed by this event (a payment that came too late) goes out now; the
    // expiry job retries it if the provider does not answer.
    if outcome == webhook::Outcome::Applied {
        let (db, gateway) = (state.db.clone(), gateway.clone());
        tokio::spawn(async move {
            if let Err(error) = refunds::send_pending(&db, &gateway, db.now()).await {
                tracing::warn!(?error, "refunds not sent; retried by the job");
            }
        });
    }
    Ok(Json(
        json!({ "received": true, "outcome": format!("{outcome:?}").to_lowercase() }),
    ))
}

#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct PeriodQuery {
    from: String,
    to: String,
}

/// A cooperative's payout statement as CSV, for its members and for organisers.
#[utoipa::path(get, path = "/api/v1/cooperatives/{id}/statement.csv", tag = "payments", params(("id" = i64, Path, description = "the id"), PeriodQuery), responses((status = 200, description = "the payout statement", body = String, content_type = "text/csv"), (status = "4XX", description = "refused: the error, in the caller's language", body = crate::api::openapi::ErrorBody)))]
pub async fn statement_csv(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
    SignedIn(user): SignedIn,
    axum::extract::Path(id): axum::extract::Path<String>,
    axum::extract::Query(period): axum::extract::Query<PeriodQuery>,
) -> Result<axum::response::Response, ApiError> {
    use app::domain::markets::Day;
    use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
    use axum::response::IntoResponse;
    let error = |e| ApiError::new(e, locale);
    let id = super::id_of(&id, locale)?;
    let organiser = app::markets::service::require_organiser(&user).is_ok();
    if !organiser {
        let member = app::cooperatives::service::membership(&state.db, &user)
            .await
            .map_err(error)?;
        if member.cooperative_id != id {
            return Err(error(AppError::not_found()));
        }
    }
    let day = |raw: &str, field: &str| {
        Day::parse(raw).map_err(|code| ApiError::new(AppError::field(field, code), locale))
    };
    let (from, to) = (day(&period.from, "from")?, day(&period.to, "to")?);
    let statement = app::payments::settlements::statement(&state.db, id, from, to)
        .await
        .map_err(error)?;
    Ok((
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"souk-releve-{id}-{from}-{to}.csv\""),
            ),
        ],
        app::payments::settlements::statement_csv(&statement),
    )
        .into_response())
}
