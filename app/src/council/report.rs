//! The indicators as read: the totals, then each chart with its table of numbers beneath
//! and its CSV. Names in the page's language, amounts in MAD.
use super::charts::{BarChart, LineChart};
use super::Indicators;
use crate::domain::council::SalesRow;
use crate::i18n::*;
use crate::ui::localized;
use crate::ui::money::price_text;
use leptos::prelude::*;

/// A share in per cent of a whole, rounded (none of nothing).
fn share(part: i64, whole: i64) -> String {
    if whole > 0 {
        format!("{} %", (part * 100 + whole / 2) / whole)
    } else {
        "–".to_owned()
    }
}

/// Event rows with the delivery orders' row (`0`) named.
pub(super) fn delivery_named(locale: Locale, rows: Vec<SalesRow>) -> Vec<SalesRow> {
    let delivery = td_string!(locale, council_delivery);
    rows.into_iter()
        .map(|mut r| {
            if r.key == "0" {
                delivery.clone_into(&mut r.label_fr);
                delivery.clone_into(&mut r.label_ar);
                delivery.clone_into(&mut r.label_en);
            }
            r
        })
        .collect()
}

#[component]
pub fn Report(indicators: Indicators, csv: String) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let t = &indicators.totals;
    let sales = t.sales_cash + t.sales_card;
    let rate = indicators
        .collection
        .rate_percent()
        .map_or_else(|| "–".to_owned(), |r| format!("{r} %"));
    let link = move |table: &str| {
        let query = csv.clone();
        format!(
            "/api/v1/council/{table}.csv{}{query}",
            if query.is_empty() { "" } else { "?" }
        )
    };
    let months = indicators.months.clone();
    let max_month = months.iter().map(SalesRow::total).max().unwrap_or(0);
    view! {
        <p class="muted" data-testid="council-period">{t!(i18n, council_period, from = indicators.from.clone(), to = indicators.to.clone())}</p>
        <dl class="kpis" data-testid="council-totals">
            <div><dt>{t!(i18n, council_sales)}</dt><dd dir="ltr" data-testid="kpi-sales">{price_text(locale, sales)}</dd>
                <dd class="muted">{t!(i18n, council_cash_card, cash = price_text(locale, t.sales_cash), card = price_text(locale, t.sales_card))}</dd></div>
            <div><dt>{t!(i18n, council_orders)}</dt><dd data-testid="kpi-orders">{t.orders}</dd>
                <dd class="muted">{t!(i18n, council_buyers, n = t.buyers)}</dd></div>
            <div><dt>{t!(i18n, council_units)}</dt><dd>{t.sold_units}</dd>
                <dd class="muted">{t!(i18n, council_reserved, n = t.reserved_units)}</dd></div>
            <div><dt>{t!(i18n, council_collection)}</dt><dd data-testid="kpi-collection">{rate}</dd>
                <dd class="muted">{t!(i18n, council_no_shows, collected = indicators.collection.collected, no_shows = indicators.collection.no_shows)}</dd></div>
            <div><dt>{t!(i18n, council_cooperatives)}</dt><dd data-testid="kpi-cooperatives">{t.cooperatives}</dd>
                <dd class="muted">{t!(i18n, council_led, women = share(t.women_led, t.cooperatives), youth = share(t.youth_led, t.cooperatives))}</dd></div>
            <div><dt>{t!(i18n, council_members)}</dt><dd>{t.members}</dd></div>
            <div><dt>{t!(i18n, sessions_title)}</dt><dd data-testid="kpi-sessions">{t.sessions}</dd>
                <dd class="muted">{t!(i18n, council_accompanied, n = t.accompanied)}</dd></div>
        </dl>

        <section class="council-section" data-testid="council-months">
            <h2>{t!(i18n, council_by_month)}</h2>
            <LineChart title=td_string!(locale, council_by_month).to_owned()
                points=months.iter().map(|m| (m.key.clone(), m.total())).collect()
                max_text=price_text(locale, max_month) />
            <SalesTable rows=months key_label=td_string!(locale, council_month).to_owned() />
            <p><a href=link("months") download data-testid="csv-months">{t!(i18n, council_csv)}</a></p>
        </section>
        <SalesSection id="provinces" title=td_string!(locale, council_by_province).to_owned() key_label=td_string!(locale, province).to_owned() rows=indicators.provinces.clone() csv=link("provinces") />
        <SalesSection id="categories" title=td_string!(locale, council_by_category).to_owned() key_label=td_string!(locale, category).to_owned() rows=indicators.categories.clone() csv=link("categories") />
        <SalesSection id="events" title=td_string!(locale, council_by_event).to_owned() key_label=td_string!(locale, council_event).to_owned() rows=delivery_named(locale, indicators.events.clone()) csv=link("events") />

        <section class="council-section" data-testid="council-markets">
            <h2>{t!(i18n, council_markets)}</h2>
            {if indicators.markets.is_empty() {
                view! { <p class="empty">{t!(i18n, council_none)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll"><table class="table">
                        <thead><tr><th>{t!(i18n, council_event)}</th><th>{t!(i18n, council_applications)}</th><th>{t!(i18n, council_accepted)}</th><th>{t!(i18n, council_waitlisted)}</th><th>{t!(i18n, council_stands)}</th></tr></thead>
                        <tbody>{indicators.markets.iter().map(|m| view! {
                            <tr>
                                <td><a href=format!("/markets/{}", m.event_id)>{localized(locale, &m.name_fr, &m.name_ar, &m.name_fr).to_owned()}</a> " " <span class="muted" dir="ltr">{m.starts_on.clone()}</span></td>
                                <td>{m.applications}</td><td>{m.accepted}</td><td>{m.waitlisted}</td>
                                <td>{if m.stands > 0 { format!("{} / {} ({})", m.stands_taken, m.stands, share(m.stands_taken, m.stands)) } else { "–".to_owned() }}</td>
                            </tr>
                        }).collect_view()}</tbody>
                    </table></div>
                }.into_any()
            }}
            <p><a href=link("markets") download>{t!(i18n, council_csv)}</a></p>
        </section>

        <section class="council-section" data-testid="council-stops">
            <h2>{t!(i18n, council_stops)}</h2>
            {if indicators.stops.is_empty() {
                view! { <p class="empty">{t!(i18n, council_none)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll"><table class="table">
                        <thead><tr><th>{t!(i18n, council_stop)}</th><th>{t!(i18n, council_buyers_reached)}</th><th>{t!(i18n, council_orders)}</th></tr></thead>
                        <tbody>{indicators.stops.iter().map(|s| view! {
                            <tr><td>{localized(locale, &s.site_fr, &s.site_ar, &s.site_fr).to_owned()} " " <span class="muted" dir="ltr">{s.day.clone()}</span></td><td>{s.buyers}</td><td>{s.orders}</td></tr>
                        }).collect_view()}</tbody>
                    </table></div>
                }.into_any()
            }}
            <p><a href=link("stops") download>{t!(i18n, council_csv)}</a></p>
        </section>

        <section class="council-section" data-testid="council-programmes">
            <h2>{t!(i18n, council_programmes)}</h2>
            <div class="table-scroll"><table class="table">
                <thead><tr><th>{t!(i18n, council_programme)}</th><th>{t!(i18n, council_cooperatives)}</th><th>{t!(i18n, council_sales)}</th><th>{t!(i18n, council_enrolled)}</th><th>{t!(i18n, enrolment_amount)}</th><th>{t!(i18n, council_sales_before)}</th><th>{t!(i18n, council_sales_after)}</th></tr></thead>
                <tbody>{indicators.programmes.iter().map(|p| view! {
                    <tr><td>{localized(locale, &p.name_fr, &p.name_ar, &p.name_en).to_owned()}</td><td>{p.cooperatives}</td><td dir="ltr">{price_text(locale, p.sales)}</td>
                        <td>{p.enrolled}</td><td dir="ltr">{price_text(locale, p.support)}</td><td dir="ltr">{price_text(locale, p.sales_before)}</td><td dir="ltr">{price_text(locale, p.sales_after)}</td></tr>
                }).collect_view()}</tbody>
            </table></div>
            <p><a href=link("programmes") download>{t!(i18n, council_csv)}</a></p>
        </section>
    }
}

/// Sales by one dimension: bars, the table, the CSV (when there is one).
#[component]
pub(super) fn SalesSection(
    id: &'static str,
    title: String,
    key_label: String,
    rows: Vec<SalesRow>,
    #[prop(optional, into)] csv: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let bars = rows
        .iter()
        .map(|r| {
            (
                localized(locale, &r.label_fr, &r.label_ar, &r.label_en).to_owned(),
                r.total(),
                price_text(locale, r.total()),
            )
        })
        .collect();
    view! {
        <section class="council-section" data-testid=format!("council-{id}")>
            <h2>{title.clone()}</h2>
            {if rows.is_empty() {
                view! { <p class="empty">{t!(i18n, council_none)}</p> }.into_any()
            } else {
                view! {
                    <BarChart title rows=bars />
                    <SalesTable rows key_label />
                }.into_any()
            }}
            {csv.map(|csv| view! { <p><a href=csv download data-testid=format!("csv-{id}")>{t!(i18n, council_csv)}</a></p> })}
        </section>
    }
}

#[component]
pub(super) fn SalesTable(rows: Vec<SalesRow>, key_label: String) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    view! {
        <div class="table-scroll"><table class="table">
            <thead><tr><th>{key_label}</th><th>{t!(i18n, council_cash)}</th><th>{t!(i18n, council_card)}</th><th>{t!(i18n, council_total)}</th><th>{t!(i18n, council_units)}</th></tr></thead>
            <tbody>{rows.into_iter().map(|r| view! {
                <tr>
                    <td>{localized(locale, &r.label_fr, &r.label_ar, &r.label_en).to_owned()}</td>
                    <td dir="ltr">{price_text(locale, r.cash)}</td>
                    <td dir="ltr">{price_text(locale, r.card)}</td>
                    <td dir="ltr">{price_text(locale, r.total())}</td>
                    <td>{r.units}</td>
                </tr>
            }).collect_view()}</tbody>
        </table></div>
    }
}
