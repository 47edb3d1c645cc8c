//! Server functions of the orders room: authenticate, call the service, answer.
use super::{Cart, Order, OrderList, PackingList, PartList, Placed};
use crate::domain::orders::OrderForm;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
async fn signed_in() -> Result<(crate::state::AppState, crate::accounts::CurrentUser), AppError> {
    let user = crate::accounts::session::require_user().await?;
    Ok((crate::state::app_state()?, user))
}

#[cfg(feature = "ssr")]
async fn member() -> Result<(crate::state::AppState, i64), AppError> {
    let (state, user) = signed_in().await?;
    let member = crate::cooperatives::service::membership(&state.db, &user).await?;
    Ok((state, member.cooperative_id))
}

#[server]
pub async fn get_cart() -> Result<Cart, AppError> {
    crate::error::respond(
        async move {
            let (state, user) = signed_in().await?;
            super::cart::cart(&state.db, &user, state.gateway.is_some()).await
        }
        .await,
    )
}

#[server]
pub async fn add_to_cart(product_id: i64, quantity: i64) -> Result<(), AppError> {
    crate::error::respond(
        async move {
            let (state, user) = signed_in().await?;
            super::cart::add(&state.db, &user, product_id, quantity).await
        }
        .await,
    )
}

#[server]
pub async fn set_cart_quantity(product_id: i64, quantity: i64) -> Result<(), AppError> {
    crate::error::respond(
        async move {
            let (state, user) = signed_in().await?;
            super::cart::set_quantity(&state.db, &user, product_id, quantity).await
        }
        .await,
    )
}

/// Places the order of the checkout form; `key` is made once per checkout page, so a
/// double click or a retry finds the first order.
#[server(input = leptos::server_fn::codec::Json)]
pub async fn place_order(form: OrderForm, key: String) -> Result<Placed, AppError> {
    crate::error::respond(
        async move {
            let (state, user) = signed_in().await?;
            let key = super::place::parse_key(Some(&key))?;
            super::place::checkout(&state, &user, &key, &form).await
        }
        .await,
    )
}

#[server]
pub async fn get_order(id: i64) -> Result<Order, AppError> {
    crate::error::respond(
        async move {
            let (state, user) = signed_in().await?;
            super::read::order(&state.db, &state.settings.public_url, &user, id).await
        }
        .await,
    )
}

#[server]
pub async fn my_orders(page: u32) -> Result<OrderList, AppError> {
    crate::error::respond(
        async move {
            let (state, user) = signed_in().await?;
            super::read::my_orders(&state.db, &user, page, 20).await
        }
        .await,
    )
}

#[server]
pub async fn cancel_my_order(id: i64) -> Result<(), AppError> {
    crate::error::respond(
        async move {
            let (state, user) = signed_in().await?;
            super::fulfil::cancel_order(&state.db, &user, id, crate::db::now()).await?;
            crate::payments::after_cancel(&state, id).await;
            Ok(())
        }
        .await,
    )
}

#[server]
pub async fn cooperative_orders(page: u32, open: bool) -> Result<PartList, AppError> {
    crate::error::respond(
        async move {
            let (state, cooperative) = member().await?;
            super::read::cooperative_parts(&state.db, cooperative, open, page, 20).await
        }
        .await,
    )
}

#[server]
pub async fn packing_lists() -> Result<Vec<PackingList>, AppError> {
    crate::error::respond(
        async move {
            let (state, cooperative) = member().await?;
            super::read::packing_lists(&state.db, cooperative).await
        }
        .await,
    )
}

/// A cooperative moves its part to `ready`, `shipped` or `delivered`.
#[server]
pub async fn advance_order_part(part_id: i64, to: String) -> Result<(), AppError> {
    crate::error::respond(
        async move {
            use crate::domain::orders::PartStatus;
            let (state, user) = signed_in().await?;
            let to = PartStatus::from_code(&to)
                .ok_or(AppError::Refused(crate::domain::ErrorCode::StatusInvalid))?;
            super::fulfil::advance_part(&state.db, &user, part_id, to, crate::db::now()).await
        }
        .await,
    )
}

#[server]
pub async fn hand_over_part(part_id: i64, code: String) -> Result<(), AppError> {
    crate::error::respond(
        async move {
            let (state, user) = signed_in().await?;
            super::fulfil::hand_over(&state.db, &user, part_id, &code, crate::db::now()).await
        }
        .await,
    )
}

#[server]
pub async fn cancel_order_part(part_id: i64, reason: String) -> Result<(), AppError> {
    crate::error::respond(
        async move {
            let (state, user) = signed_in().await?;
            let order_id =
                super::fulfil::cancel_part(&state.db, &user, part_id, &reason, crate::db::now())
                    .await?;
            crate::payments::after_cancel(&state, order_id).await;
            Ok(())
        }
        .await,
    )
}
