//! The home page: what Souk is, and the region's prefectures and provinces.
use crate::i18n::*;
use crate::territory::ProvinceList;
use leptos::prelude::*;

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="hero">
            <h1>{t!(i18n, home_title)}</h1>
            <p>{t!(i18n, home_intro)}</p>
        </section>
        <div class="columns">
            <section class="card">
                <h2>{t!(i18n, home_markets_title)}</h2>
                <p>{t!(i18n, home_markets_text)}</p>
                <p><a href="/markets" data-testid="home-markets">{t!(i18n, calendar_title)}</a> " · " <a href="/markets/near">{t!(i18n, near_me_title)}</a></p>
            </section>
            <section class="card">
                <h2>{t!(i18n, home_products_title)}</h2>
                <p>{t!(i18n, home_products_text)}</p>
            </section>
        </div>
        <section class="card" id="provinces">
            <h2>{t!(i18n, home_provinces_title)}</h2>
            <ProvinceList home=true />
        </section>
    }
}
