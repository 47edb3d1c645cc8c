//! What the orders at a tour's stops weigh, beside the planner's load fields, and the
//! warning when the vehicles cannot carry it.
use crate::domain::orders::SiteLoad;
use crate::domain::tours::TourRequest;
use crate::i18n::*;
use leptos::prelude::*;

/// Under a site's load field: what its orders weigh, and the lines without a weight.
#[component]
pub fn OrdersLoad(load: Option<SiteLoad>) -> impl IntoView {
    let i18n = use_i18n();
    load.map(|load| {
        let unknown = load.unknown_lines;
        view! {
            <small class="hint" data-testid=format!("orders-load-{}", load.site)>
                {t!(i18n, tour_orders_load)} " " <span dir="ltr">{load.kg()} " kg"</span>
                {(unknown > 0).then(|| view! { " · " {unknown} " " {t!(i18n, tour_lines_without_weight)} })}
            </small>
        }
    })
}

/// Warns when a site's load is more than a vehicle carries, or when a tour sleeping on
/// the road (its vehicles carry every stop's goods from the start) carries more than its
/// vehicles hold.
#[component]
pub fn LoadWarning(request: TourRequest, loads: Vec<SiteLoad>) -> impl IntoView {
    let i18n = use_i18n();
    let total: u64 = request.sites.iter().map(|s| u64::from(s.load_kg)).sum();
    let fleet = u64::from(request.capacity_kg) * u64::from(request.vehicles.max(1));
    let too_heavy = request
        .sites
        .iter()
        .any(|site| site.load_kg > request.capacity_kg);
    let over = too_heavy || (request.overnight && total > fleet);
    let unknown: i64 = loads.iter().map(|load| load.unknown_lines).sum();
    view! {
        {over.then(|| view! {
            <p class="notice error" role="alert" data-testid="load-warning">
                {t!(i18n, tour_load_over)} " " <span dir="ltr">{total} " kg / " {fleet} " kg"</span>
            </p>
        })}
        {(unknown > 0).then(|| view! {
            <p class="notice" role="status" data-testid="load-unknown">{t!(i18n, tour_load_unknown)}</p>
        })}
    }
}
