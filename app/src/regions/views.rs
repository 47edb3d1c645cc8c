//! The regions as buyers see them: the Kingdom's map linking each region, and a region's
//! hub page (its map with outlines, provinces, coming markets and cooperatives).
use super::api::{get_kingdom_map, get_region_hub, region_at};
use super::RegionHub;
use crate::domain::RegionSummary;
use crate::i18n::*;
use crate::markets::EntryList;
use crate::territory::KingdomMap;
use crate::ui::errors::ErrorNotice;
use crate::ui::localized;
use crate::ui::map::{MapMarker, RegionMap};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

fn region_name(locale: Locale, r: &RegionSummary) -> String {
    localized(locale, &r.name_fr, &r.name_ar, &r.name_en).to_owned()
}

#[component]
pub fn RegionsPage() -> impl IntoView {
    let i18n = use_i18n();
    let map = Resource::new(|| (), |_| get_kingdom_map());
    // `?lat=&lon=` (the "use my location" button): the server goes to that region's page.
    let query = leptos_router::hooks::use_query_map();
    let place = move || {
        let q = query.read();
        let number = |key: &str| q.get(key).and_then(|v| v.parse::<f64>().ok());
        number("lat").zip(number("lon"))
    };
    // Blocking: the answer (a redirect) must wait for it.
    let found = Resource::new_blocking(place, |place| async move {
        match place {
            Some((lat, lon)) => region_at(lat, lon).await.map(Some),
            None => Ok(None),
        }
    });
    let locale = i18n.get_locale_untracked();
    view! {
        <section class="card">
            <h1>{t!(i18n, regions_title)}</h1>
            <p>{t!(i18n, regions_intro)}</p>
            <button type="button" id="locate" class="locate" hidden data-testid="locate" data-target="/regions">{td_string!(locale, regions_nearest)}</button>
            <p id="locating" class="muted" role="status" hidden>{td_string!(locale, near_me_locating)}</p>
            <crate::markets::LocateButton />
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match found.await {
                        // On through `/region/{code}`, which keeps it as the buyer's region.
                        Ok(Some(Some(code))) => view! { <crate::ui::errors::SeeOther path=format!("/region/{code}?next=/regions/{code}") /> }.into_any(),
                        Ok(Some(None)) => view! { <p class="notice" role="status" data-testid="no-region-here">{t!(i18n, regions_none_here)}</p> }.into_any(),
                        _ => ().into_any(),
                    }
                })}
            </Suspense>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move { match map.await {
                    Ok(map) => view! { <Kingdom map /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                } })}
            </Suspense>
        </section>
    }
}

/// The regions as numbered outlines, each a link, with the numbered list beside it (the
/// names in the page's language, readable by screen readers and at any width).
#[component]
fn Kingdom(map: KingdomMap) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let view_box = format!("0 0 {} {}", map.width, map.height);
    let list = map.regions.clone();
    view! {
        <div class="kingdom">
            <figure class="region-map">
                <svg viewBox=view_box role="group" aria-label=td_string!(locale, regions_map_label) xmlns="http://www.w3.org/2000/svg" data-testid="kingdom-map">
                    <rect class="map-ground" x="0" y="0" width=map.width height=map.height rx="12" />
                    {map.regions.into_iter().enumerate().map(|(index, drawn)| {
                        let name = region_name(locale, &drawn.region);
                        let (x, y) = drawn.label;
                        view! {
                            <g>
                                <a href=format!("/regions/{}", drawn.region.code) data-testid="kingdom-region">
                                    <path class="map-province" d=drawn.path><title>{name}</title></path>
                                    <circle class="map-seat" cx=x cy=y r="9" />
                                    <text class="map-number" x=x y=y + 4.0 text-anchor="middle">{index + 1}</text>
                                </a>
                            </g>
                        }
                    }).collect_view()}
                </svg>
                <figcaption class="map-credit"><bdi dir="ltr">"© OpenStreetMap contributors"</bdi></figcaption>
            </figure>
            <ol class="region-list" data-testid="region-list">
                {list.into_iter().map(|drawn| {
                    let r = drawn.region;
                    view! {
                        <li>
                            <a href=format!("/regions/{}", r.code)><strong>{region_name(locale, &r)}</strong></a>
                            " "
                            <span class="muted">{t!(i18n, region_province_count, n = r.provinces)}</span>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </div>
    }
}

#[component]
pub fn RegionPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let hub = Resource::new(
        move || params.read().get("code").unwrap_or_default(),
        get_region_hub,
    );
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move { match hub.await {
                Ok(hub) => view! { <Hub hub /> }.into_any(),
                Err(error) if error.code() == crate::domain::ErrorCode::NotFound => view! { <crate::ui::errors::NotFound /> }.into_any(),
                Err(error) => view! { <ErrorNotice error /> }.into_any(),
            } })}
        </Suspense>
    }
}

#[component]
fn Hub(hub: RegionHub) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let RegionHub {
        region,
        provinces,
        entries,
        cooperatives,
        cooperative_count,
    } = hub;
    let markers: Vec<MapMarker> = entries
        .iter()
        .map(|e| MapMarker {
            lat: e.site.lat,
            lon: e.site.lon,
            label: localized(locale, &e.name_fr, &e.name_ar, &e.name_fr).to_owned(),
            href: format!("/markets/{}", e.event_id),
            number: None,
            pale: false,
        })
        .collect();
    let province_links = provinces.clone();
    let choice = if crate::territory::chosen_region().as_deref() == Some(region.code.as_str()) {
        view! {
            <p class="region-choice" data-testid="region-mine">
                {t!(i18n, region_is_mine)} " "
                <a href=format!("/region/kingdom?next=/regions/{}", region.code)>{t!(i18n, region_forget)}</a>
            </p>
        }
        .into_any()
    } else {
        view! {
            <p class="region-choice">
                <a class="button" href=format!("/region/{0}?next=/regions/{0}", region.code) data-testid="choose-region">{t!(i18n, region_choose)}</a>
            </p>
        }
        .into_any()
    };
    view! {
        <section class="card" data-testid="region-hub" data-region=region.code.clone()>
            <p><a href="/regions">{t!(i18n, regions_all)}</a></p>
            <h1>{region_name(locale, &region)}</h1>
            {choice}
            <RegionMap provinces markers />
            <h2>{t!(i18n, region_provinces)}</h2>
            <ul class="province-list" data-testid="region-provinces">
                {province_links.into_iter().map(|p| view! {
                    <li>
                        <a href=format!("/provinces/{}", p.code)><strong>{localized(locale, &p.name_fr, &p.name_ar, &p.name_en).to_owned()}</strong></a>
                        " "
                        <span class="muted">{localized(locale, &p.seat_fr, &p.seat_ar, &p.seat_fr).to_owned()}</span>
                    </li>
                }).collect_view()}
            </ul>
            <p class="region-links">
                <a href=format!("/products?region={}", region.code) data-testid="region-products">{t!(i18n, region_products)}</a>
                " · "
                <a href=format!("/markets?region={}", region.code)>{t!(i18n, region_all_markets)}</a>
            </p>
            <h2>{t!(i18n, region_markets)}</h2>
            {if entries.is_empty() {
                view! { <p data-testid="region-no-markets">{t!(i18n, region_no_markets)}</p> }.into_any()
            } else {
                view! { <EntryList entries locale /> }.into_any()
            }}
            <h2>{t!(i18n, region_cooperatives)}</h2>
            {if cooperatives.is_empty() {
                view! { <p data-testid="region-no-cooperatives">{t!(i18n, region_no_cooperatives)}</p> }.into_any()
            } else {
                view! {
                    <p class="muted">{t!(i18n, region_cooperative_count, n = cooperative_count)}</p>
                    <ul class="cooperative-names" data-testid="region-cooperatives">
                        {cooperatives.into_iter().map(|c| view! {
                            <li>
                                <a href=format!("/cooperatives/{}", c.id)>{localized(locale, &c.name_fr, &c.name_ar, &c.name_fr).to_owned()}</a>
                                " "
                                <span class="muted">{localized(locale, &c.province_fr, &c.province_ar, &c.province_en).to_owned()}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
