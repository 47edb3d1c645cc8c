//! Server functions of the accounts room: thin, they authenticate, call the service and
//! set or clear the session cookie.
use super::{CurrentUser, LoginForm, NewUserForm, RegisterForm, UserPage};
use crate::error::AppError;
use leptos::prelude::*;

#[server]
pub async fn me() -> Result<Option<CurrentUser>, AppError> {
    crate::error::respond(async move { super::session::current_user().await }.await)
}

#[server]
pub async fn login(form: LoginForm, next: Option<String>) -> Result<(), AppError> {
    crate::error::respond(
        async move {
            use super::{safe_next, service, session};
            let state = crate::state::app_state()?;
            let headers = session::request_headers().await?;
            let ip = session::client_ip().await;
            let user = service::authenticate(&state.db, &state.settings, &form, &ip).await?;
            session::set_cookie(session::start_session(&state, &headers, user.id).await?);
            tracing::info!(user_id = user.id, "signed in");
            leptos_axum::redirect(&safe_next(next.as_deref()));
            Ok(())
        }
        .await,
    )
}

#[server]
pub async fn register(form: RegisterForm) -> Result<(), AppError> {
    crate::error::respond(
        async move {
            use super::{service, session};
            let state = crate::state::app_state()?;
            let headers = session::request_headers().await?;
            let language = session::request_locale(&headers);
            let user = service::register_buyer(&state.db, &form, language).await?;
            session::set_cookie(session::start_session(&state, &headers, user.id).await?);
            tracing::info!(user_id = user.id, "buyer registered");
            leptos_axum::redirect("/account");
            Ok(())
        }
        .await,
    )
}

#[server]
pub async fn logout() -> Result<(), AppError> {
    crate::error::respond(
        async move {
            use super::session;
            let state = crate::state::app_state()?;
            let headers = session::request_headers().await?;
            session::set_cookie(session::end_session(&state, &headers).await?);
            leptos_axum::redirect("/");
            Ok(())
        }
        .await,
    )
}

/// The admin gives an organiser the regions it acts in: region codes separated by commas
/// (empty: the whole Kingdom); an unknown code is refused under `regions`.
#[server]
pub async fn set_user_regions(user_id: i64, regions: String) -> Result<(), AppError> {
    crate::error::respond(
        async move {
            use crate::domain::Role;
            let state = crate::state::app_state()?;
            let admin = super::session::require_role(&[Role::Admin]).await?;
            let codes: Vec<String> = regions
                .split(',')
                .map(|code| code.trim().to_lowercase())
                .filter(|code| !code.is_empty())
                .collect();
            super::regions::set_regions(&state.db, user_id, &codes).await?;
            tracing::info!(admin_id = admin.id, user_id, regions = %codes.join(","), "regions given");
            Ok(())
        }
        .await,
    )
}

#[server]
pub async fn create_user(form: NewUserForm) -> Result<CurrentUser, AppError> {
    crate::error::respond(
        async move {
            use crate::domain::Role;
            let state = crate::state::app_state()?;
            let admin = super::session::require_role(&[Role::Admin]).await?;
            let user = super::service::create_user(&state.db, &admin, &form).await?;
            tracing::info!(
                admin_id = admin.id,
                user_id = user.id,
                role = user.role.as_str(),
                "user created by admin"
            );
            Ok(user)
        }
        .await,
    )
}

#[server]
pub async fn list_users(page: u32) -> Result<UserPage, AppError> {
    crate::error::respond(
        async move {
            use crate::domain::Role;
            let state = crate::state::app_state()?;
            let admin = super::session::require_role(&[Role::Admin]).await?;
            super::service::list_users(&state.db, &admin, page, 20).await
        }
        .await,
    )
}
