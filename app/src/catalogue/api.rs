//! Server functions of the catalogue room: public reads, and members' writes.
use super::{Category, ImportReport, ProductDetail, ProductPage, ProductQuery};
use crate::domain::catalogue::ProductForm;
use crate::error::AppError;
use leptos::prelude::*;

#[server]
pub async fn search_products(query: ProductQuery) -> Result<ProductPage, AppError> {
    crate::error::respond(
        async move {
            let state = crate::state::app_state()?;
            let filter = query.parse().map_err(AppError::Invalid)?;
            super::search::search_products(&state.db, &filter).await
        }
        .await,
    )
}

#[server]
pub async fn get_product(id: i64) -> Result<ProductDetail, AppError> {
    crate::error::respond(
        async move {
            let state = crate::state::app_state()?;
            super::service::product_detail(&state.db, id, true).await
        }
        .await,
    )
}

#[server]
pub async fn list_categories() -> Result<Vec<Category>, AppError> {
    crate::error::respond(
        async move {
            let state = crate::state::app_state()?;
            super::service::list_categories(&state.db).await
        }
        .await,
    )
}

/// The signed-in member's products, archived ones included when asked.
#[server]
pub async fn my_products(page: u32, archived: bool) -> Result<ProductPage, AppError> {
    crate::error::respond(
        async move {
            use crate::domain::Role;
            let state = crate::state::app_state()?;
            let user = crate::accounts::session::require_role(&[Role::Cooperative]).await?;
            let member = crate::cooperatives::service::membership(&state.db, &user).await?;
            super::service::cooperative_products(
                &state.db,
                member.cooperative_id,
                archived,
                page,
                50,
            )
            .await
        }
        .await,
    )
}

#[server]
pub async fn product_for_edit(id: i64) -> Result<ProductDetail, AppError> {
    crate::error::respond(
        async move {
            let state = crate::state::app_state()?;
            let user = crate::accounts::session::require_user().await?;
            super::service::product_for_member(&state.db, &user, id).await
        }
        .await,
    )
}

#[server]
pub async fn create_product(form: ProductForm) -> Result<i64, AppError> {
    crate::error::respond(
        async move {
            let state = crate::state::app_state()?;
            let user = crate::accounts::session::require_user().await?;
            // The caller is checked before the form: a stranger learns nothing of it.
            crate::cooperatives::service::writing_member(&state.db, &user).await?;
            let draft = form.parse().map_err(AppError::Invalid)?;
            let id = super::service::create_product(&state.db, &user, &draft).await?;
            tracing::info!(product_id = id, user_id = user.id, "product created");
            leptos_axum::redirect(&format!("/cooperative/products/{id}"));
            Ok(id)
        }
        .await,
    )
}

#[server]
pub async fn update_product(id: i64, form: ProductForm) -> Result<(), AppError> {
    crate::error::respond(
        async move {
            let state = crate::state::app_state()?;
            let user = crate::accounts::session::require_user().await?;
            super::service::product_member(&state.db, &user, id).await?;
            let draft = form.parse().map_err(AppError::Invalid)?;
            super::service::update_product(&state.db, &user, id, &draft).await?;
            tracing::info!(product_id = id, user_id = user.id, "product updated");
            Ok(())
        }
        .await,
    )
}

/// Archives (`archived = true`) or restores a product.
#[server]
pub async fn archive_product(id: i64, archived: bool) -> Result<(), AppError> {
    crate::error::respond(
        async move {
            use crate::domain::ProductStatus;
            let state = crate::state::app_state()?;
            let user = crate::accounts::session::require_user().await?;
            let status = if archived {
                ProductStatus::Archived
            } else {
                ProductStatus::Active
            };
            super::service::set_product_status(&state.db, &user, id, status).await?;
            tracing::info!(
                product_id = id,
                user_id = user.id,
                status = status.as_str(),
                "product status set"
            );
            Ok(())
        }
        .await,
    )
}

#[server]
pub async fn delete_photo(product_id: i64, photo_id: i64) -> Result<(), AppError> {
    crate::error::respond(
        async move {
            let state = crate::state::app_state()?;
            let user = crate::accounts::session::require_user().await?;
            super::photos::delete_photo(&state, &user, product_id, photo_id).await
        }
        .await,
    )
}

/// After a plain form post, the import page shows the report it is sent back with
/// (`?report=`, at most 50 problems: the rest are counted).
#[cfg(feature = "ssr")]
fn show_report_after_post(report: &ImportReport) {
    if crate::error::is_plain_form_post() {
        let mut shown = report.clone();
        shown.problems.truncate(50);
        if let Ok(json) = serde_json::to_string(&shown) {
            leptos_axum::redirect(&format!(
                "/cooperative/import?report={}",
                crate::ui::encode_query_value(&json)
            ));
        }
    }
}

/// Checks a CSV file for a cooperative and reports what importing it would do.
#[server]
pub async fn preview_import(cooperative_id: i64, csv: String) -> Result<ImportReport, AppError> {
    crate::error::respond(
        async move {
            let state = crate::state::app_state()?;
            let user = crate::accounts::session::require_user().await?;
            let report = super::csv::import(&state.db, &user, cooperative_id, &csv, false).await?;
            show_report_after_post(&report);
            Ok(report)
        }
        .await,
    )
}

/// Imports a CSV file: every row, or (when any row is wrong) none.
#[server]
pub async fn apply_import(cooperative_id: i64, csv: String) -> Result<ImportReport, AppError> {
    crate::error::respond(
        async move {
            let state = crate::state::app_state()?;
            let user = crate::accounts::session::require_user().await?;
            let report = super::csv::import(&state.db, &user, cooperative_id, &csv, true).await?;
            tracing::info!(
                cooperative_id,
                user_id = user.id,
                applied = report.applied,
                created = report.created,
                updated = report.updated,
                "CSV import"
            );
            show_report_after_post(&report);
            Ok(report)
        }
        .await,
    )
}
