//! Server functions of the orders room: authenticate, call the service, answer.
use super::{Cart, Order, OrderList, PackingList, PartList, Placed};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::domain::orders::PickupPoint;
#[cfg(feature = "ssr")]
use crate::notifications::service::Outbox;

#[cfg(feature = "ssr")]
async fn signed_in() -> Result<(crate::state::AppState, crate::accounts::CurrentUser), AppError> {
    let state = crate::state::app_state()?;
    let user = crate::accounts::session::require_user().await?;
    Ok((state, user))
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

/// The units in the signed-in person's cart (0 for a visitor).
#[server]
pub async fn cart_units() -> Result<i64, AppError> {
    crate::error::respond(
        async move {
            // The context is read before the first await: a page's resource can be polled
            // again once its render's owner is gone (the cart count then read 0).
            let state = crate::state::app_state()?;
            let Some(user) = crate::accounts::session::current_user().await? else {
                return Ok(0);
            };
            super::cart::units(&state.db, &user).await
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

/// Places the order of the cart: `pickup` is `event:ID` (a salon) or `stop:ID` (a tour
/// stop). `key` is made once per checkout page, so a double click or a retry finds the
/// first order. A plain form post (no wasm yet) is sent on to the order or the payment.
#[server]
pub async fn checkout_cart(
    fulfilment: String,
    pickup: String,
    province: String,
    address: String,
    payment: String,
    key: String,
) -> Result<Placed, AppError> {
    crate::error::respond(
        async move {
            let (state, user) = signed_in().await?;
            let key = super::place::parse_key(Some(&key))?;
            let cart = super::cart::cart(&state.db, &user, state.gateway.is_some()).await?;
            let (event_id, stop_id) = match super::parse_pickup(&pickup) {
                Some(PickupPoint::Salon(id)) => (Some(id), None),
                Some(PickupPoint::Stop(id)) => (None, Some(id)),
                None => (None, None),
            };
            let form = crate::domain::orders::OrderForm {
                lines: cart
                    .lines
                    .iter()
                    .map(|l| crate::domain::orders::LineForm {
                        product_id: l.product_id,
                        quantity: l.quantity,
                    })
                    .collect(),
                fulfilment,
                event_id,
                stop_id,
                province,
                address,
                payment,
            };
            let placed = super::place::checkout(&state, &user, &key, &form)
                .await?
                .placed;
            let next = placed
                .checkout_url
                .clone()
                .unwrap_or_else(|| format!("/orders/{}", placed.order_id));
            if crate::error::is_plain_form_post() {
                leptos_axum::redirect(&next);
            }
            Ok(placed)
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

/// Where the buyer may move an order's pickup (empty when it cannot move).
#[server]
pub async fn pickup_choices(id: i64) -> Result<Vec<super::PickupOption>, AppError> {
    crate::error::respond(
        async move {
            let (state, user) = signed_in().await?;
            super::market::pickup_choices(&state.db, &user, id).await
        }
        .await,
    )
}

/// The buyer moves an order to another salon or stop: `pickup` is `event:ID` or
/// `stop:ID`, as at checkout. A plain form post comes back to the order.
#[server]
pub async fn move_my_order(id: i64, pickup: String) -> Result<(), AppError> {
    crate::error::respond(
        async move {
            let (state, user) = signed_in().await?;
            let point = super::parse_pickup(&pickup)
                .ok_or_else(|| AppError::field("pickup", crate::domain::ErrorCode::Required))?;
            let outbox = Outbox::of(&state.settings);
            super::market::move_pickup(&state.db, outbox, &user, id, point, state.db.now()).await?;
            if crate::error::is_plain_form_post() {
                leptos_axum::redirect(&format!("/orders/{id}"));
            }
            Ok(())
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
            super::fulfil::cancel_order(
                &state.db,
                Outbox::of(&state.settings),
                &user,
                id,
                state.db.now(),
            )
            .await?;
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
            super::packing::packing_lists(&state.db, cooperative).await
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
            super::fulfil::advance_part(
                &state.db,
                Outbox::of(&state.settings),
                &user,
                part_id,
                to,
                state.db.now(),
            )
            .await
        }
        .await,
    )
}

#[server]
pub async fn hand_over_part(part_id: i64, code: String) -> Result<(), AppError> {
    crate::error::respond(
        async move {
            let (state, user) = signed_in().await?;
            super::fulfil::hand_over(
                &state.db,
                Outbox::of(&state.settings),
                &user,
                part_id,
                &code,
                state.db.now(),
            )
            .await
        }
        .await,
    )
}

#[server]
pub async fn cancel_order_part(part_id: i64, reason: String) -> Result<(), AppError> {
    crate::error::respond(
        async move {
            let (state, user) = signed_in().await?;
            let order_id = super::fulfil::cancel_part(
                &state.db,
                Outbox::of(&state.settings),
                &user,
                part_id,
                &reason,
                state.db.now(),
            )
            .await?;
            crate::payments::after_cancel(&state, order_id).await;
            Ok(())
        }
        .await,
    )
}

#[server]
pub async fn my_delivery_fees() -> Result<Vec<super::DeliveryFee>, AppError> {
    crate::error::respond(
        async move {
            let (state, cooperative) = member().await?;
            super::delivery::fees(&state.db, cooperative).await
        }
        .await,
    )
}

/// Sets a cooperative's delivery fee to a province (in MAD); an empty fee stops delivery there.
#[server]
pub async fn save_delivery_fee(province: String, fee: String) -> Result<(), AppError> {
    crate::error::respond(
        async move {
            let (state, user) = signed_in().await?;
            let member = crate::cooperatives::service::writing_member(&state.db, &user).await?;
            super::delivery::save(&state.db, member.cooperative_id, &province, &fee).await
        }
        .await,
    )
}
