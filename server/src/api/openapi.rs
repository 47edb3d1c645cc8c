//! The API's contract: an OpenAPI 3.1 document derived from the handlers' `#[utoipa::path]`
//! attributes and their types' `ToSchema`, served at `/api/v1/openapi.json`, and a
//! readable page made from the same document at `/api/v1/docs`.
use super::{auth, catalogue, council, markets, orders, payments, territory, tours};
use axum::http::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use std::collections::BTreeMap;
use std::sync::OnceLock;
use utoipa::openapi::OpenApi as Document;
use utoipa::{OpenApi, ToSchema};

/// Every refusal: `{"error": {"code", "message", "fields"?}}` with a 4xx status.
#[derive(serde::Serialize, ToSchema)]
#[allow(dead_code)]
pub struct ErrorBody {
    error: ErrorDetail,
}

#[derive(serde::Serialize, ToSchema)]
#[allow(dead_code)]
struct ErrorDetail {
    /// A stable code (`not_found`, `invalid`, `forbidden`, ...).
    code: String,
    /// The message in the caller's language.
    message: String,
    /// Per field, for bad input.
    fields: Option<BTreeMap<String, FieldError>>,
}

#[derive(serde::Serialize, ToSchema)]
#[allow(dead_code)]
struct FieldError {
    code: String,
    message: String,
}

/// A refused CSV import: the report naming each problem (422), or the error.
#[derive(serde::Serialize, ToSchema)]
#[allow(dead_code)]
#[serde(untagged)]
pub enum ImportRefusal {
    Report(app::catalogue::ImportReport),
    Error(ErrorBody),
}

/// A file sent as a multipart form: the field `photo` (a product's) or `logo`.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct Upload {
    #[schema(value_type = Option<String>, format = Binary)]
    photo: Option<Vec<u8>>,
    #[schema(value_type = Option<String>, format = Binary)]
    logo: Option<Vec<u8>>,
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Souk",
        description = "The JSON API of Souk, the social and solidarity economy hub: territory, catalogue, markets, tours, orders, payments, the council's indicators and open data. Errors are `{\"error\": {\"code\", \"message\", \"fields\"?}}`, the message in the language of the `souk_lang` cookie or `Accept-Language`. A non-GET request must come from this site (`Origin` or `Referer` matching `Host`).",
        license(name = "AGPL-3.0-or-later")
    ),
    paths(
        auth::register,
        auth::login,
        auth::logout,
        auth::me,
        territory::list_provinces,
        territory::list_regions,
        territory::region_provinces,
        catalogue::list_cooperatives,
        catalogue::get_cooperative,
        catalogue::export_csv,
        catalogue::import_csv,
        catalogue::upload_logo,
        catalogue::list_products,
        catalogue::get_product,
        catalogue::upload_photo,
        payments::statement_csv,
        payments::stripe_webhook,
        council::indicators,
        council::table_csv,
        council::open_sales,
        council::open_sales_csv,
        markets::list_sites,
        markets::list_events,
        markets::calendar_feed,
        markets::nearby_events,
        markets::get_event,
        markets::event_calendar,
        tours::route_gpx,
        tours::solve,
        orders::create,
        orders::get,
        orders::cancel,
        orders::move_pickup,
        openapi_json,
        docs,
    )
)]
struct ApiDoc;

/// The document, built once.
pub fn document() -> &'static Document {
    static DOCUMENT: OnceLock<Document> = OnceLock::new();
    DOCUMENT.get_or_init(ApiDoc::openapi)
}

/// This document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "contract", responses(
    (status = 200, description = "the OpenAPI 3.1 document", body = serde_json::Value),
    (status = "4XX", description = "refused", body = ErrorBody)
))]
pub async fn openapi_json() -> Response {
    let json = document().to_json().unwrap_or_default();
    (
        [
            (CONTENT_TYPE, "application/json"),
            (CACHE_CONTROL, "public, max-age=300"),
        ],
        json,
    )
        .into_response()
}

/// The document as a page to read: each operation with its parameters, body and answers.
#[utoipa::path(get, path = "/api/v1/docs", tag = "contract", responses(
    (status = 200, description = "the same document as HTML", body = String, content_type = "text/html"),
    (status = "4XX", description = "refused", body = ErrorBody)
))]
pub async fn docs() -> Response {
    static PAGE: OnceLock<String> = OnceLock::new();
    let page = PAGE.get_or_init(|| super::openapi_page::render(document()));
    (
        [
            (CONTENT_TYPE, "text/html; charset=utf-8"),
            (CACHE_CONTROL, "public, max-age=300"),
            // No script at all; its one inline style block may apply.
            (
                CONTENT_SECURITY_POLICY,
                "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
            ),
        ],
        page.clone(),
    )
        .into_response()
}
