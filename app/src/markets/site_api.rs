//! Server functions of the organisers' sites: the list (an organiser given regions is
//! offered theirs only) and saving a site (placed in its province by the outlines).
use super::Site;
use crate::domain::markets::SiteForm;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::api::organiser;

#[server]
pub async fn list_sites() -> Result<Vec<Site>, AppError> {
    crate::error::respond(
        async move {
            let state = crate::state::app_state()?;
            let sites = super::sites::list_sites(&state.db, None).await?;
            // An organiser given regions plans there: the others' sites are not offered.
            let viewer = crate::accounts::session::current_user().await?;
            let organiser = viewer.filter(|u| u.role == crate::domain::Role::Organiser);
            let Some(user) = organiser else {
                return Ok(sites);
            };
            let reach = super::reach::reach(&state.db, &user).await?;
            let Some(regions) = reach.limited_to() else {
                return Ok(sites);
            };
            let provinces = crate::territory::service::list_provinces(&state.db).await?;
            Ok(sites
                .into_iter()
                .filter(|site| {
                    provinces
                        .iter()
                        .any(|p| p.code == site.province_code && regions.contains(&p.region_code))
                })
                .collect())
        }
        .await,
    )
}

/// Creates a site (`id` 0) or updates one; an empty province is proposed.
#[server]
pub async fn save_site(id: i64, form: SiteForm) -> Result<i64, AppError> {
    crate::error::respond(
        async move {
            let state = crate::state::app_state()?;
            let user = organiser().await?;
            let atlas = crate::territory::service::atlas(&state.db).await?;
            let mut draft = form
                .parse(|lat, lon| atlas.is_empty() || atlas.locate(lat, lon).is_some())
                .map_err(AppError::Invalid)?;
            // Placed once: the reach check and the site's row use the same province.
            if draft.province.is_none() {
                let placed = super::sites::nearest_province(&state.db, draft.lat, draft.lon);
                draft.province = Some(placed.await?);
            }
            let province = draft.province.as_deref().unwrap_or_default();
            super::reach::may_use_province(&state.db, &user, province).await?;
            if id != 0 {
                super::reach::may_use_site(&state.db, &user, id).await?;
            }
            if id == 0 {
                super::sites::create_site(&state.db, &draft).await
            } else {
                super::sites::update_site(&state.db, id, &draft)
                    .await
                    .map(|_| id)
            }
        }
        .await,
    )
}
