//! Server functions of the notifications room.
use super::NotificationPage;
use crate::error::AppError;
use leptos::prelude::*;

/// The signed-in user's messages, newest first.
#[server]
pub async fn my_notifications(page: u32) -> Result<NotificationPage, AppError> {
    crate::error::respond(
        async move {
            let state = crate::state::app_state()?;
            let user = crate::accounts::session::require_user().await?;
            super::service::list(&state.db, user.id, page, 30).await
        }
        .await,
    )
}

/// How many messages the signed-in user has not read (0 when signed out).
#[server]
pub async fn unread_notifications() -> Result<i64, AppError> {
    crate::error::respond(
        async move {
            let state = crate::state::app_state()?;
            match crate::accounts::session::current_user().await? {
                Some(user) => super::service::unread_count(&state.db, user.id).await,
                None => Ok(0),
            }
        }
        .await,
    )
}

#[server]
pub async fn mark_notifications_read() -> Result<(), AppError> {
    crate::error::respond(
        async move {
            let state = crate::state::app_state()?;
            let user = crate::accounts::session::require_user().await?;
            super::service::mark_all_read(&state.db, user.id).await
        }
        .await,
    )
}
