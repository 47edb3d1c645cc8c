//! Server functions of the payments room: statements and payouts.
use super::{Balance, Payout, Statement};
use crate::error::AppError;
use leptos::prelude::*;

/// The days of a period as typed (`YYYY-MM-DD`); empty: this month so far.
#[cfg(feature = "ssr")]
fn period(
    from: &str,
    to: &str,
    today: crate::domain::markets::Day,
) -> Result<(crate::domain::markets::Day, crate::domain::markets::Day), AppError> {
    use crate::domain::markets::Day;
    use crate::domain::FieldErrors;
    let mut errors = FieldErrors::new();
    let from = if from.trim().is_empty() {
        Some(today.first_of_month())
    } else {
        errors.check("from", Day::parse(from))
    };
    let to = if to.trim().is_empty() {
        Some(today)
    } else {
        errors.check("to", Day::parse(to))
    };
    match (from, to) {
        (Some(from), Some(to)) if errors.is_empty() => Ok((from, to)),
        _ => Err(AppError::Invalid(errors)),
    }
}

/// The signed-in cooperative's statement.
#[server]
pub async fn my_statement(from: String, to: String) -> Result<Statement, AppError> {
    crate::error::respond(
        async move {
            let state = crate::state::app_state()?;
            let user = crate::accounts::session::require_user().await?;
            let member = crate::cooperatives::service::membership(&state.db, &user).await?;
            let (from, to) = period(&from, &to, state.clock().today())?;
            super::settlements::statement(&state.db, member.cooperative_id, from, to).await
        }
        .await,
    )
}

#[server]
pub async fn settlement_balances() -> Result<Vec<Balance>, AppError> {
    crate::error::respond(
        async move {
            let state = crate::state::app_state()?;
            let organiser = crate::markets::api::organiser().await?;
            // Only the cooperatives the organiser may pay (`markets::reach`).
            let reach = crate::markets::reach::reach(&state.db, &organiser).await?;
            super::settlements::balances(&state.db, reach.limited_to()).await
        }
        .await,
    )
}

/// An organiser pays a cooperative what it is owed up to `to`.
#[server]
pub async fn settle_payout(
    cooperative_id: i64,
    to: String,
    reference: String,
) -> Result<Payout, AppError> {
    crate::error::respond(
        async move {
            let state = crate::state::app_state()?;
            let organiser = crate::markets::api::organiser().await?;
            crate::markets::reach::may_act_for_cooperative(&state.db, &organiser, cooperative_id)
                .await?;
            let to = crate::domain::markets::Day::parse(&to)
                .map_err(|code| AppError::field("to", code))?;
            super::settlements::settle(
                &state.db,
                state.gateway.as_ref(),
                organiser.id,
                cooperative_id,
                to,
                &reference,
                state.db.now(),
            )
            .await
        }
        .await,
    )
}
