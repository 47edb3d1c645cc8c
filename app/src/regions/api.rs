//! Server functions of the regions room: public reads.
use super::RegionHub;
use crate::error::AppError;
use crate::territory::KingdomMap;
use leptos::prelude::*;

/// The Kingdom's regions drawn for the overview map.
#[server]
pub async fn get_kingdom_map() -> Result<KingdomMap, AppError> {
    crate::error::respond(
        async move {
            let state = crate::state::app_state()?;
            crate::territory::service::kingdom_map(&state.db, 480.0).await
        }
        .await,
    )
}

/// The region a place lies in (the buyer's location), or `None` when it is in none.
#[server]
pub async fn region_at(lat: f64, lon: f64) -> Result<Option<String>, AppError> {
    crate::error::respond(
        async move {
            let state = crate::state::app_state()?;
            let atlas = crate::territory::service::atlas(&state.db).await?;
            Ok(atlas.locate(lat, lon).map(|p| p.region.to_owned()))
        }
        .await,
    )
}

/// One region's page; an unknown region is a 404.
#[server]
pub async fn get_region_hub(code: String) -> Result<RegionHub, AppError> {
    crate::error::respond(
        async move {
            use crate::cooperatives::service::{list_cooperatives, Area};
            use crate::domain::CooperativeStatus;
            use crate::markets::calendar::{calendar_entries_page, CalendarFilter};
            let state = crate::state::app_state()?;
            let db = &state.db;
            let region = crate::territory::service::list_regions(db)
                .await?
                .into_iter()
                .find(|r| r.code == code)
                .ok_or_else(AppError::not_found)?;
            let provinces = crate::territory::service::list_provinces(db)
                .await?
                .into_iter()
                .filter(|p| p.region_code == code)
                .collect();
            let today = db.clock().today();
            let filter = CalendarFilter {
                from: today,
                to: today.plus(365),
                province: None,
                region: Some(code.clone()),
                kind: None,
                listed_only: true,
                event_id: None,
            };
            let entries =
                calendar_entries_page(db, &filter, i64::from(super::HUB_ITEMS), 0).await?;
            let area = Area {
                province: None,
                region: Some(&code),
            };
            let cooperatives = list_cooperatives(
                db,
                Some(CooperativeStatus::Verified),
                area,
                1,
                super::HUB_ITEMS,
            )
            .await?;
            Ok(RegionHub {
                region,
                provinces,
                entries,
                cooperative_count: cooperatives.total,
                cooperatives: cooperatives.items,
            })
        }
        .await,
    )
}
