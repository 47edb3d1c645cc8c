//! Server functions of the inventory room: members receive and adjust stock.
use super::{LowStock, MovementPage};
use crate::error::AppError;
use leptos::prelude::*;

#[server]
pub async fn receive_stock(
    product_id: i64,
    quantity: String,
    note: String,
) -> Result<i64, AppError> {
    crate::error::respond(
        async move {
            use crate::domain::catalogue::parse_quantity;
            let state = crate::state::app_state()?;
            let user = crate::accounts::session::require_user().await?;
            // The caller is checked before the numbers.
            crate::catalogue::service::product_member(&state.db, &user, product_id).await?;
            let quantity = parse_quantity(&quantity).map_err(|c| AppError::field("quantity", c))?;
            let level =
                super::service::receive(&state.db, &user, product_id, quantity, &note).await?;
            tracing::info!(product_id, quantity, level, "stock received");
            Ok(level)
        }
        .await,
    )
}

#[server]
pub async fn adjust_stock(product_id: i64, delta: String, reason: String) -> Result<i64, AppError> {
    crate::error::respond(
        async move {
            use crate::domain::catalogue::parse_delta;
            let state = crate::state::app_state()?;
            let user = crate::accounts::session::require_user().await?;
            crate::catalogue::service::product_member(&state.db, &user, product_id).await?;
            let delta = parse_delta(&delta).map_err(|c| AppError::field("delta", c))?;
            let level =
                super::service::adjust(&state.db, &user, product_id, delta, &reason).await?;
            tracing::info!(product_id, delta, level, "stock adjusted");
            Ok(level)
        }
        .await,
    )
}

#[server]
pub async fn stock_movements(product_id: i64, page: u32) -> Result<MovementPage, AppError> {
    crate::error::respond(
        async move {
            let state = crate::state::app_state()?;
            let user = crate::accounts::session::require_user().await?;
            super::service::movements(&state.db, &user, product_id, page, 20).await
        }
        .await,
    )
}

/// The signed-in member's products at or below their low-stock threshold.
#[server]
pub async fn low_stock_alerts() -> Result<Vec<LowStock>, AppError> {
    crate::error::respond(
        async move {
            use crate::domain::Role;
            let state = crate::state::app_state()?;
            let user = crate::accounts::session::require_role(&[Role::Cooperative]).await?;
            let member = crate::cooperatives::service::membership(&state.db, &user).await?;
            super::service::low_stock(&state.db, member.cooperative_id).await
        }
        .await,
    )
}
