//! `/cooperative/sales`: a cooperative's own dashboard behind a plain GET period form
//! (it works without script): its totals, sales by month, product and market with their
//! tables, its best stops, its payouts and its low stock.
use super::api::my_sales;
use super::charts::LineChart;
use super::report::{delivery_named, SalesSection, SalesTable};
use super::CooperativeSales;
use crate::domain::ErrorCode;
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::errors::ErrorNotice;
use crate::ui::forms::Field;
use crate::ui::localized;
use crate::ui::money::price_text;
use leptos::prelude::*;

#[component]
pub fn MySalesPage() -> impl IntoView {
    let i18n = use_i18n();
    let period = crate::ui::forms::period_from_url();
    let sales = Resource::new(period, |(from, to)| my_sales(from, to));
    view! {
        <section class="card council" data-testid="my-sales">
            <h1>{t!(i18n, my_sales_title)}</h1>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    let (from, to) = period();
                    let result = sales.await;
                    let errors = result.as_ref().err().cloned();
                    let error = move |field: &'static str| -> Signal<Option<ErrorCode>> {
                        let code = errors.as_ref().and_then(|e| e.field_error(field));
                        Signal::derive(move || code)
                    };
                    let form = view! {
                        <form method="get" action="/cooperative/sales" class="filters" data-testid="my-sales-period">
                            <Field name="from" id="sales-from" kind="date" value=from error=error("from")>{t!(i18n, council_from)}</Field>
                            <Field name="to" id="sales-to" kind="date" value=to error=error("to")>{t!(i18n, council_to)}</Field>
                            <button type="submit">{t!(i18n, council_apply)}</button>
                        </form>
                    };
                    match result {
                        Ok(sales) => view! { {form} <Dashboard sales /> }.into_any(),
                        Err(AppError::Invalid(_)) => form.into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Dashboard(sales: CooperativeSales) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let t = &sales.totals;
    let total = t.sales_cash + t.sales_card;
    let rate = sales
        .collection
        .rate_percent()
        .map_or_else(|| "–".to_owned(), |r| format!("{r} %"));
    let max_month = sales.months.iter().map(|m| m.total()).max().unwrap_or(0);
    let months = sales.months.clone();
    view! {
        <p class="muted">{t!(i18n, council_period, from = sales.from.clone(), to = sales.to.clone())}</p>
        <dl class="kpis" data-testid="my-sales-totals">
            <div><dt>{t!(i18n, council_sales)}</dt><dd dir="ltr" data-testid="my-sales-total">{price_text(locale, total)}</dd>
                <dd class="muted">{t!(i18n, council_cash_card, cash = price_text(locale, t.sales_cash), card = price_text(locale, t.sales_card))}</dd></div>
            <div><dt>{t!(i18n, council_orders)}</dt><dd>{t.orders}</dd>
                <dd class="muted">{t!(i18n, council_buyers, n = t.buyers)}</dd></div>
            <div><dt>{t!(i18n, council_units)}</dt><dd>{t.sold_units}</dd>
                <dd class="muted">{t!(i18n, council_reserved, n = t.reserved_units)}</dd></div>
            <div><dt>{t!(i18n, council_collection)}</dt><dd>{rate}</dd>
                <dd class="muted">{t!(i18n, council_no_shows, collected = sales.collection.collected, no_shows = sales.collection.no_shows)}</dd></div>
            <div><dt>{t!(i18n, my_sales_unsettled)}</dt><dd dir="ltr" data-testid="my-sales-unsettled">{price_text(locale, sales.unsettled)}</dd>
                <dd class="muted"><a href="/cooperative/payouts">{t!(i18n, nav_payouts)}</a></dd></div>
        </dl>

        <section class="council-section" data-testid="my-sales-months">
            <h2>{t!(i18n, council_by_month)}</h2>
            <LineChart title=td_string!(locale, council_by_month).to_owned()
                points=months.iter().map(|m| (m.key.clone(), m.total())).collect()
                max_text=price_text(locale, max_month) />
            <SalesTable rows=months key_label=td_string!(locale, council_month).to_owned() />
        </section>
        <SalesSection id="products" title=td_string!(locale, my_sales_by_product).to_owned() key_label=td_string!(locale, product).to_owned() rows=sales.products.clone() />
        <SalesSection id="markets" title=td_string!(locale, council_by_event).to_owned() key_label=td_string!(locale, council_event).to_owned() rows=delivery_named(locale, sales.events.clone()) />

        <section class="council-section" data-testid="my-sales-stops">
            <h2>{t!(i18n, my_sales_best_stops)}</h2>
            {if sales.stops.is_empty() {
                view! { <p class="empty">{t!(i18n, council_none)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll"><table class="table">
                        <thead><tr><th>{t!(i18n, council_stop)}</th><th>{t!(i18n, council_orders)}</th><th>{t!(i18n, council_units)}</th><th>{t!(i18n, council_total)}</th></tr></thead>
                        <tbody>{sales.stops.iter().map(|s| view! {
                            <tr>
                                <td><a href=format!("/markets/{}", s.event_id)>{localized(locale, &s.site_fr, &s.site_ar, &s.site_fr).to_owned()}</a> " " <span class="muted" dir="ltr">{s.day.clone()}</span></td>
                                <td>{s.orders}</td><td>{s.units}</td><td dir="ltr">{price_text(locale, s.amount)}</td>
                            </tr>
                        }).collect_view()}</tbody>
                    </table></div>
                }.into_any()
            }}
        </section>

        <section class="council-section" data-testid="my-sales-payouts">
            <h2>{t!(i18n, payouts_list)}</h2>
            {if sales.payouts.is_empty() {
                view! { <p class="empty">{t!(i18n, payouts_empty)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll"><table class="table">
                        <thead><tr><th>{t!(i18n, period_from)}</th><th>{t!(i18n, period_to)}</th><th>{t!(i18n, total)}</th><th>{t!(i18n, reference)}</th></tr></thead>
                        <tbody>{sales.payouts.iter().map(|p| view! {
                            <tr><td dir="ltr">{p.period_from.clone()}</td><td dir="ltr">{p.period_to.clone()}</td>
                                <td dir="ltr">{price_text(locale, p.amount)}</td><td dir="ltr">{p.reference.clone()}</td></tr>
                        }).collect_view()}</tbody>
                    </table></div>
                }.into_any()
            }}
            <p><a href="/cooperative/payouts">{t!(i18n, my_sales_statement)}</a></p>
        </section>

        <section class="council-section" data-testid="my-sales-low-stock">
            <h2>{t!(i18n, low_stock_title)}</h2>
            {if sales.low_stock.is_empty() {
                view! { <p class="empty">{t!(i18n, low_stock_none)}</p> }.into_any()
            } else {
                view! {
                    <ul>{sales.low_stock.iter().map(|l| view! {
                        <li><a href=format!("/cooperative/products/{}", l.product_id)>{localized(locale, &l.name_fr, &l.name_ar, &l.name_en).to_owned()}</a>
                            " : " {l.available} " / " {l.threshold}</li>
                    }).collect_view()}</ul>
                }.into_any()
            }}
        </section>
    }
}
