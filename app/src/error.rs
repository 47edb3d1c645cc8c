//! The one error type of the application layer, shared by server functions, the JSON
//! API and the views. Internal detail is logged on the server and never sent out.
use crate::domain::{ErrorCode, FieldErrors};
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// One or more fields are wrong; nothing was written.
    #[error("invalid input")]
    Invalid(FieldErrors),
    /// The request is refused as a whole (not signed in, not allowed, not found, ...).
    #[error("refused: {}", .0.as_str())]
    Refused(ErrorCode),
    /// The request conflicts with the current state on named fields (the order lines
    /// whose stock is short, say): 409, nothing was written.
    #[error("conflict: {}", .0.as_str())]
    Conflict(ErrorCode, FieldErrors),
    /// Something failed on the server; the detail is in the server's log.
    #[error("internal error")]
    Internal,
    /// The request did not reach the server or its answer could not be read.
    #[error("request failed: {0}")]
    Transport(String),
}

impl AppError {
    pub fn field(field: &str, code: ErrorCode) -> Self {
        let mut errors = FieldErrors::new();
        errors.add(field, code);
        Self::Invalid(errors)
    }

    pub fn unauthenticated() -> Self {
        Self::Refused(ErrorCode::Unauthenticated)
    }

    pub fn forbidden() -> Self {
        Self::Refused(ErrorCode::Forbidden)
    }

    pub fn not_found() -> Self {
        Self::Refused(ErrorCode::NotFound)
    }

    pub fn conflict(code: ErrorCode) -> Self {
        Self::Refused(code)
    }

    /// The code that names this error for the user.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Invalid(_) => ErrorCode::Invalid,
            Self::Refused(code) | Self::Conflict(code, _) => *code,
            Self::Internal | Self::Transport(_) => ErrorCode::Internal,
        }
    }

    /// The error of one field, for a form to show beside it.
    pub fn field_error(&self, field: &str) -> Option<ErrorCode> {
        match self {
            Self::Invalid(errors) | Self::Conflict(_, errors) => errors.get(field),
            _ => None,
        }
    }

    pub fn status_code(&self) -> u16 {
        match self {
            Self::Invalid(_) => 422,
            Self::Conflict(..) => 409,
            Self::Refused(code) => match code {
                ErrorCode::Unauthenticated | ErrorCode::CredentialsWrong => 401,
                ErrorCode::Forbidden | ErrorCode::CrossOrigin => 403,
                ErrorCode::NotFound => 404,
                ErrorCode::EmailTaken
                | ErrorCode::SkuTaken
                | ErrorCode::RegistrationTaken
                | ErrorCode::CooperativeExists
                | ErrorCode::StockInsufficient
                | ErrorCode::StatusInvalid
                | ErrorCode::StandNumberTaken
                | ErrorCode::CapacityReached
                | ErrorCode::AlreadyApplied
                | ErrorCode::ApplicationsClosed
                | ErrorCode::StandTaken
                | ErrorCode::StandLimit
                | ErrorCode::NotAccepted
                | ErrorCode::EventLocked
                | ErrorCode::StopsMissing
                | ErrorCode::TourRunning
                | ErrorCode::StopsHaveApplicants
                | ErrorCode::StopHasOrders
                | ErrorCode::OrderNotMovable
                | ErrorCode::OrderNotCancellable
                | ErrorCode::PaymentPending
                | ErrorCode::NothingToSettle => 409,
                ErrorCode::CodeLocked => 429,
                ErrorCode::PaymentProvider => 502,
                ErrorCode::CooperativeUnverified => 403,
                ErrorCode::CooperativeMissing => 403,
                ErrorCode::FileTooLarge | ErrorCode::BodyTooLarge => 413,
                ErrorCode::RateLimited => 429,
                ErrorCode::Internal => 500,
                _ => 400,
            },
            Self::Internal => 500,
            Self::Transport(_) => 502,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // A malformed form or query is the caller's mistake, not ours.
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::Deserialization(_) => {
                Self::Refused(ErrorCode::Invalid)
            }
            other => Self::Transport(other.to_string()),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        tracing::error!(%error, "database error");
        Self::Internal
    }
}

/// Whether the request is a plain HTML form post (the page's wasm has not arrived), which
/// expects a page back rather than data.
#[cfg(feature = "ssr")]
pub fn is_plain_form_post() -> bool {
    use leptos::prelude::use_context;
    use_context::<axum::http::request::Parts>()
        .and_then(|parts| {
            parts
                .headers
                .get(axum::http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.contains("text/html"))
        })
        .unwrap_or(false)
}

/// Gives a server function's error its HTTP status (422, 401, 403, ...) instead of the
/// default 500. A plain HTML form post keeps the redirect back to its page.
#[cfg(feature = "ssr")]
pub fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    use leptos::prelude::use_context;
    if let Err(error) = &result {
        let plain_form_post = use_context::<axum::http::request::Parts>()
            .and_then(|parts| {
                parts
                    .headers
                    .get(axum::http::header::ACCEPT)
                    .and_then(|v| v.to_str().ok())
                    .map(|v| v.contains("text/html"))
            })
            .unwrap_or(false);
        if let (false, Some(response)) = (
            plain_form_post,
            use_context::<leptos_axum::ResponseOptions>(),
        ) {
            if let Ok(status) = axum::http::StatusCode::from_u16(error.status_code()) {
                response.set_status(status);
            }
        }
    }
    result
}

impl From<crate::domain::FieldErrors> for AppError {
    fn from(errors: crate::domain::FieldErrors) -> Self {
        Self::Invalid(errors)
    }
}
