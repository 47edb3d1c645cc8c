//! The cooperative's statement (period, totals, entries, CSV, payouts) and the
//! organiser's payouts page (balances, record a payout).
use super::api::{my_statement, settlement_balances, SettlePayout};
use super::Statement;
use crate::domain::time::timestamp_text;
use crate::i18n::*;
use crate::ui::errors::{ErrorNotice, FormError};
use crate::ui::forms::{action_field_error, action_form_error};
use crate::ui::localized;
use crate::ui::money::price_text;
use leptos::prelude::*;

fn entry_text(locale: Locale, kind: &str) -> &'static str {
    match kind {
        "sale" => td_string!(locale, entry_sale),
        "fee" => td_string!(locale, entry_fee),
        "refund" => td_string!(locale, entry_refund),
        _ => td_string!(locale, entry_fee_refund),
    }
}

#[component]
pub fn PayoutsPage() -> impl IntoView {
    let i18n = use_i18n();
    let period = crate::ui::forms::period_from_url();
    let statement = Resource::new(period, |(from, to)| my_statement(from, to));
    view! {
        <h1>{t!(i18n, payouts_title)}</h1>
        <p class="hint">{t!(i18n, payouts_hint)}</p>
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match statement.await {
                    Ok(statement) => view! { <StatementView statement /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn StatementView(statement: Statement) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let csv = format!(
        "/api/v1/cooperatives/{}/statement.csv?from={}&to={}",
        statement.cooperative_id, statement.from, statement.to
    );
    view! {
        <form method="get" class="filters">
            <label for="from">{t!(i18n, period_from)}</label>
            <input id="from" name="from" type="date" value=statement.from.clone() />
            <label for="to">{t!(i18n, period_to)}</label>
            <input id="to" name="to" type="date" value=statement.to.clone() />
            <button type="submit">{t!(i18n, show)}</button>
            <a href=csv data-testid="statement-csv" rel="external">{t!(i18n, download_csv)}</a>
        </form>
        <dl class="totals" data-testid="statement-totals">
            <dt>{t!(i18n, sales)}</dt><dd dir="ltr">{price_text(locale, statement.sales)}</dd>
            <dt>{t!(i18n, platform_fees)}</dt><dd dir="ltr">{price_text(locale, statement.fees)}</dd>
            <dt>{t!(i18n, refunds)}</dt><dd dir="ltr">{price_text(locale, statement.refunds)}</dd>
            <dt>{t!(i18n, net)}</dt><dd dir="ltr">{price_text(locale, statement.net)}</dd>
            <dt>{t!(i18n, unsettled)}</dt><dd dir="ltr" data-testid="unsettled">{price_text(locale, statement.unsettled)}</dd>
        </dl>
        {if statement.entries.is_empty() {
            view! { <p class="empty">{t!(i18n, entries_empty)}</p> }.into_any()
        } else {
            view! {
                <table class="table" data-testid="statement">
                    <thead><tr><th>{t!(i18n, date)}</th><th>{t!(i18n, order)}</th><th>{t!(i18n, movement)}</th><th>{t!(i18n, total)}</th><th>{t!(i18n, payouts_list)}</th></tr></thead>
                    <tbody>
                        {statement.entries.iter().map(|e| view! {
                            <tr>
                                <td dir="ltr">{timestamp_text(e.at)}</td>
                                <td>{format!("#{}", e.order_id)}</td>
                                <td>{entry_text(locale, &e.kind)}</td>
                                <td dir="ltr">{price_text(locale, e.amount)}</td>
                                <td>{e.payout_id.map(|p| format!("#{p}")).unwrap_or_default()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
        <h2>{t!(i18n, payouts_list)}</h2>
        {if statement.payouts.is_empty() {
            view! { <p class="empty">{t!(i18n, payouts_empty)}</p> }.into_any()
        } else {
            view! {
                <table class="table" data-testid="payouts">
                    <thead><tr><th>"#"</th><th>{t!(i18n, period_from)}</th><th>{t!(i18n, period_to)}</th><th>{t!(i18n, total)}</th><th>{t!(i18n, method)}</th><th>{t!(i18n, reference)}</th></tr></thead>
                    <tbody>
                        {statement.payouts.iter().map(|p| view! {
                            <tr>
                                <td>{p.id}</td><td dir="ltr">{p.period_from.clone()}</td><td dir="ltr">{p.period_to.clone()}</td>
                                <td dir="ltr">{price_text(locale, p.amount)}</td>
                                <td>{if p.method == "stripe" { t!(i18n, stripe_transfer).into_any() } else { t!(i18n, bank_reference).into_any() }} " · " {p.status.clone()}</td>
                                <td dir="ltr">{p.reference.clone()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
    }
}

#[component]
pub fn OrganiserPayoutsPage() -> impl IntoView {
    let i18n = use_i18n();
    let settle = ServerAction::<SettlePayout>::new();
    let balances = Resource::new(move || settle.version().get(), |_| settlement_balances());
    // Pages render on the server, by the application's clock.
    #[cfg(feature = "ssr")]
    let today = crate::state::app_state()
        .map(|state| state.clock().today().to_string())
        .unwrap_or_default();
    #[cfg(not(feature = "ssr"))]
    let today = String::new();
    view! {
        <h1>{t!(i18n, organiser_payouts_title)}</h1>
        <FormError error=action_form_error(settle) />
        {move || action_field_error(settle, "reference").get().map(|code| view! { <p class="form-error" role="alert">{crate::ui::errors::error_text(i18n.get_locale(), code)}</p> })}
        {move || crate::ui::forms::succeeded(settle).get().then(|| view! { <p class="notice" role="status" data-testid="settled">{t!(i18n, settled_done)}</p> })}
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new({
                let today = today.clone();
                async move {
                let locale = i18n.get_locale_untracked();
                match balances.await {
                    Ok(list) if list.is_empty() => view! { <p class="empty">{t!(i18n, balances_empty)}</p> }.into_any(),
                    Ok(list) => view! {
                        <table class="table" data-testid="balances">
                            <thead><tr><th>{t!(i18n, cooperative)}</th><th>{t!(i18n, unsettled)}</th><th>{t!(i18n, settle)}</th></tr></thead>
                            <tbody>
                                {list.into_iter().map(|b| { let today = today.clone(); view! {
                                    <tr>
                                        <td>{localized(locale, &b.name_fr, &b.name_ar, &b.name_fr).to_owned()}</td>
                                        <td dir="ltr">{price_text(locale, b.unsettled)}</td>
                                        <td>
                                            {(b.unsettled > 0).then(|| view! {
                                                <ActionForm action=settle attr:class="inline-form">
                                                    <input type="hidden" name="cooperative_id" value=b.cooperative_id />
                                                    <label for=format!("to-{}", b.cooperative_id)>{t!(i18n, settle_until)}</label>
                                                    <input id=format!("to-{}", b.cooperative_id) name="to" type="date" value=today.clone() />
                                                    {if b.stripe_account {
                                                        view! { <span>{t!(i18n, stripe_transfer)}</span> <input type="hidden" name="reference" value="" /> }.into_any()
                                                    } else {
                                                        view! {
                                                            <label for=format!("ref-{}", b.cooperative_id)>{t!(i18n, bank_reference)}</label>
                                                            <input id=format!("ref-{}", b.cooperative_id) name="reference" maxlength="100" />
                                                        }.into_any()
                                                    }}
                                                    <button type="submit" class="button">{t!(i18n, settle)}</button>
                                                </ActionForm>
                                            })}
                                        </td>
                                    </tr>
                                }}).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            }})}
        </Suspense>
    }
}
