//! Uploaded files under the data directory: product photos, served with a long cache
//! (their names are random and never reused).
use app::catalogue::photos::{photo_dir, valid_file_name};
use app::state::AppState;
use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

pub async fn photo(State(state): State<AppState>, Path(name): Path<String>) -> Response {
    if !valid_file_name(&name) {
        return StatusCode::NOT_FOUND.into_response();
    }
    match tokio::fs::read(photo_dir(&state.settings.data_dir).join(&name)).await {
        Ok(bytes) => (
            [
                (CONTENT_TYPE, "image/jpeg"),
                (CACHE_CONTROL, "public, max-age=31536000, immutable"),
            ],
            bytes,
        )
            .into_response(),
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}
