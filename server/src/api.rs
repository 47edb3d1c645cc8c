//! The public JSON API under `/api/v1`. Errors are `{"error": {"code", "message",
//! "fields"?}}` with a 4xx status, the message in the caller's language.
mod auth;
mod catalogue;
mod council;
mod markets;
pub mod openapi;
mod openapi_page;
mod orders;
mod payments;
mod territory;
mod tours;

use app::accounts::session::user_from_headers;
use app::accounts::CurrentUser;
use app::error::AppError;
use app::i18n::Locale;
use app::state::AppState;
use app::ui::errors::error_text;
use axum::extract::rejection::JsonRejection;
use axum::extract::DefaultBodyLimit;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, MethodRouter};
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde_json::{json, Map, Value};

/// The API's routes as (method, path, handler): the one list the router is built from and
/// the authorisation test reads (`route_list`), so no route escapes the test.
fn table() -> Vec<(&'static str, &'static str, MethodRouter<AppState>)> {
    let upload = DefaultBodyLimit::max(2 * app::catalogue::photos::MAX_BYTES);
    vec![
        ("POST", "/auth/register", post(auth::register)),
        ("POST", "/auth/login", post(auth::login)),
        ("POST", "/auth/logout", post(auth::logout)),
        ("GET", "/me", get(auth::me)),
        ("GET", "/openapi.json", get(openapi::openapi_json)),
        ("GET", "/docs", get(openapi::docs)),
        ("GET", "/provinces", get(territory::list_provinces)),
        ("GET", "/regions", get(territory::list_regions)),
        (
            "GET",
            "/regions/{code}/provinces",
            get(territory::region_provinces),
        ),
        ("GET", "/cooperatives", get(catalogue::list_cooperatives)),
        ("GET", "/cooperatives/{id}", get(catalogue::get_cooperative)),
        (
            "GET",
            "/cooperatives/{id}/products.csv",
            get(catalogue::export_csv),
        ),
        (
            "POST",
            "/cooperatives/{id}/products.csv",
            post(catalogue::import_csv).layer(DefaultBodyLimit::max(
                app::catalogue::csv::MAX_BYTES + 64 * 1024,
            )),
        ),
        (
            "POST",
            "/cooperatives/{id}/logo",
            post(catalogue::upload_logo).layer(upload),
        ),
        (
            "GET",
            "/cooperatives/{id}/statement.csv",
            get(payments::statement_csv),
        ),
        ("GET", "/council/indicators", get(council::indicators)),
        ("GET", "/council/{table}", get(council::table_csv)),
        ("GET", "/open/sales", get(council::open_sales)),
        ("GET", "/open/sales.csv", get(council::open_sales_csv)),
        ("GET", "/products", get(catalogue::list_products)),
        ("GET", "/products/{id}", get(catalogue::get_product)),
        (
            "POST",
            "/products/{id}/photos",
            post(catalogue::upload_photo).layer(upload),
        ),
        ("GET", "/sites", get(markets::list_sites)),
        ("GET", "/events", get(markets::list_events)),
        ("GET", "/events.ics", get(markets::calendar_feed)),
        ("GET", "/events/nearby", get(markets::nearby_events)),
        ("GET", "/events/{id}", get(markets::get_event)),
        (
            "GET",
            "/events/{id}/calendar.ics",
            get(markets::event_calendar),
        ),
        ("GET", "/events/{id}/route.gpx", get(tours::route_gpx)),
        ("POST", "/tours/solve", post(tours::solve)),
        ("POST", "/orders", post(orders::create)),
        ("GET", "/orders/{id}", get(orders::get)),
        ("POST", "/orders/{id}/cancel", post(orders::cancel)),
        ("POST", "/orders/{id}/pickup", post(orders::move_pickup)),
        // Stripe's events are a few KB; room for a large checkout session.
        (
            "POST",
            "/stripe/webhook",
            post(payments::stripe_webhook).layer(DefaultBodyLimit::max(256 * 1024)),
        ),
    ]
}

/// Every API route as (method, path under `/api/v1`).
pub fn route_list() -> Vec<(&'static str, &'static str)> {
    table()
        .into_iter()
        .map(|(method, path, _)| (method, path))
        .collect()
}

pub fn routes() -> Router<AppState> {
    table()
        .into_iter()
        .fold(Router::new(), |router, (_, path, handler)| {
            router.route(path, handler)
        })
        .fallback(not_found)
        // Outermost of the API's own: the routes above that take files set larger ones.
        .layer(DefaultBodyLimit::max(crate::middleware::API_BODY_LIMIT))
}

async fn not_found(headers: HeaderMap) -> ApiError {
    ApiError::new(AppError::not_found(), request_locale(&headers))
}

/// An id in a path; anything else is a JSON 404, not axum's plain-text 400.
pub fn id_of(raw: &str, locale: Locale) -> Result<i64, ApiError> {
    raw.parse()
        .map_err(|_| ApiError::new(AppError::not_found(), locale))
}

/// Whether the caller is signed in as an organiser (or admin), who may see drafts.
pub async fn viewer_is_organiser(
    state: &AppState,
    headers: &HeaderMap,
    locale: Locale,
) -> Result<bool, ApiError> {
    Ok(user_from_headers(state, headers)
        .await
        .map_err(|e| ApiError::new(e, locale))?
        .is_some_and(|user| app::markets::service::require_organiser(&user).is_ok()))
}

pub use app::accounts::session::request_locale;

/// An application error as a JSON response in a language.
#[derive(Debug)]
pub struct ApiError {
    error: AppError,
    locale: Locale,
}

impl ApiError {
    pub fn new(error: AppError, locale: Locale) -> Self {
        Self { error, locale }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.error.status_code())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let code = self.error.code();
        let mut body = Map::new();
        body.insert("code".into(), json!(code.as_str()));
        body.insert("message".into(), json!(error_text(self.locale, code)));
        if let AppError::Invalid(fields) | AppError::Conflict(_, fields) = &self.error {
            let fields: Map<String, Value> = fields
                .0
                .iter()
                .map(|(field, code)| {
                    (
                        field.clone(),
                        json!({ "code": code.as_str(), "message": error_text(self.locale, *code) }),
                    )
                })
                .collect();
            body.insert("fields".into(), Value::Object(fields));
        }
        (status, Json(json!({ "error": body }))).into_response()
    }
}

/// The language of the request, as an extractor.
pub struct RequestLocale(pub Locale);

impl<S: Send + Sync> FromRequestParts<S> for RequestLocale {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(request_locale(&parts.headers)))
    }
}

/// A JSON body whose rejection is our JSON error, not axum's plain text.
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let locale = request_locale(request.headers());
        match Json::<T>::from_request(request, state).await {
            Ok(Json(value)) => Ok(Self(value)),
            Err(rejection) => {
                let rejection: JsonRejection = rejection;
                tracing::debug!(%rejection, "malformed JSON body");
                let code = if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                    app::domain::ErrorCode::BodyTooLarge
                } else {
                    app::domain::ErrorCode::Invalid
                };
                Err(ApiError::new(AppError::Refused(code), locale))
            }
        }
    }
}

/// The signed-in user, or 401.
pub struct SignedIn(pub CurrentUser);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let locale = request_locale(&parts.headers);
        match user_from_headers(state, &parts.headers).await {
            Ok(Some(user)) => Ok(Self(user)),
            Ok(None) => Err(ApiError::new(AppError::unauthenticated(), locale)),
            Err(error) => Err(ApiError::new(error, locale)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn the_language_cookie_wins_over_accept_language() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "accept-language",
            HeaderValue::from_static("en-GB,en;q=0.9"),
        );
        assert_eq!(request_locale(&headers), Locale::en);
        headers.insert("cookie", HeaderValue::from_static("souk_lang=ar"));
        assert_eq!(request_locale(&headers), Locale::ar);
        assert_eq!(request_locale(&HeaderMap::new()), Locale::fr);
    }
}
