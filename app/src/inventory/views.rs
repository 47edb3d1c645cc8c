//! Stock as members see it: receive, adjust with a reason, the movement history, and
//! the low-stock alerts of the cooperative's dashboard.
use super::api::{low_stock_alerts, stock_movements, AdjustStock, ReceiveStock};
use crate::domain::time::timestamp_text;
use crate::domain::MovementKind;
use crate::i18n::*;
use crate::ui::errors::{ErrorNotice, FormError};
use crate::ui::forms::{action_field_error, action_form_error, Field};
use crate::ui::localized;
use crate::ui::pagination::page_count;
use leptos::prelude::*;

fn kind_label(locale: Locale, kind: MovementKind) -> &'static str {
    match kind {
        MovementKind::Received => td_string!(locale, movement_received),
        MovementKind::Adjusted => td_string!(locale, movement_adjusted),
        MovementKind::Held => td_string!(locale, movement_held),
        MovementKind::Released => td_string!(locale, movement_released),
        MovementKind::Sold => td_string!(locale, movement_sold),
        MovementKind::Returned => td_string!(locale, movement_returned),
    }
}

/// Receive and adjust forms and the history of one product's stock.
#[component]
pub fn StockPanel(product_id: i64, threshold: i64) -> impl IntoView {
    let i18n = use_i18n();
    let receive = ServerAction::<ReceiveStock>::new();
    let adjust = ServerAction::<AdjustStock>::new();
    // The history's page is in the address (`?movements=N`), so its links work as HTML.
    let query = leptos_router::hooks::use_query_map();
    let page = Signal::derive(move || {
        query
            .read()
            .get("movements")
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(1)
            .clamp(1, 100_000)
    });
    // A recorded movement empties its form, ready for the next one.
    let receive_form = NodeRef::<leptos::html::Form>::new();
    let adjust_form = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        if let (Some(Ok(_)), Some(form)) = (receive.value().get(), receive_form.get_untracked()) {
            form.reset();
        }
    });
    Effect::new(move |_| {
        if let (Some(Ok(_)), Some(form)) = (adjust.value().get(), adjust_form.get_untracked()) {
            form.reset();
        }
    });
    let history = Resource::new(
        move || (page.get(), receive.version().get(), adjust.version().get()),
        move |(page, ..)| stock_movements(product_id, page),
    );
    view! {
        <section class="card" data-testid="stock-panel">
            <h2>{t!(i18n, stock)}</h2>
            <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move { match history.await {
                    Ok(h) => {
                        let locale = i18n.get_locale_untracked();
                        let last = page_count(h.total, h.per_page);
                        let low = threshold > 0 && h.available <= threshold;
                        view! {
                            <p class="stock-level" class:low=low>
                                {t!(i18n, stock_available)} " : " <strong data-testid="stock-level">{h.available}</strong>
                            </p>
                            {low.then(|| view! { <p class="form-error" role="alert">{t!(i18n, low_stock_alert, threshold = threshold)}</p> })}
                            {if h.items.is_empty() {
                                view! { <p class="empty">{t!(i18n, movements_empty)}</p> }.into_any()
                            } else {
                                view! {
                                    <table class="table" data-testid="movements">
                                        <thead><tr><th>{t!(i18n, date)}</th><th>{t!(i18n, movement)}</th><th>{t!(i18n, quantity)}</th><th>{t!(i18n, reason)}</th><th>{t!(i18n, by)}</th></tr></thead>
                                        <tbody>
                                            {h.items.into_iter().map(|m| view! {
                                                <tr>
                                                    <td dir="ltr">{timestamp_text(m.created_at)}</td>
                                                    <td>{kind_label(locale, m.kind)}</td>
                                                    <td dir="ltr">{if m.quantity > 0 { format!("+{}", m.quantity) } else { m.quantity.to_string() }}</td>
                                                    <td>{m.reason}</td>
                                                    <td>{m.by.unwrap_or_default()}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                    {(last > 1).then(|| view! {
                                        <nav class="pagination">
                                            {(page.get_untracked() > 1).then(|| view! { <a href=format!("?movements={}", page.get_untracked() - 1)>{t!(i18n, previous)}</a> })}
                                            <span>{move || format!("{} / {last}", page.get())}</span>
                                            {(page.get_untracked() < last).then(|| view! { <a href=format!("?movements={}", page.get_untracked() + 1)>{t!(i18n, next)}</a> })}
                                        </nav>
                                    })}
                                }.into_any()
                            }}
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                } })}
            </Transition>
            <div class="columns">
                <div>
                    <h3>{t!(i18n, receive_stock)}</h3>
                    <FormError error=action_form_error(receive) />
                    <ActionForm action=receive node_ref=receive_form attr:novalidate=true attr:data-testid="receive-form">
                        <input type="hidden" name="product_id" value=product_id />
                        <Field name="quantity" id="receive-quantity" inputmode="numeric" required=true error=action_field_error(receive, "quantity")>{t!(i18n, quantity)}</Field>
                        <Field name="note" id="receive-note" maxlength=200 error=action_field_error(receive, "note")>{t!(i18n, note)}</Field>
                        <button type="submit" disabled=move || receive.pending().get()>{t!(i18n, receive_submit)}</button>
                    </ActionForm>
                </div>
                <div>
                    <h3>{t!(i18n, adjust_stock)}</h3>
                    <FormError error=action_form_error(adjust) />
                    <ActionForm action=adjust node_ref=adjust_form attr:novalidate=true attr:data-testid="adjust-form">
                        <input type="hidden" name="product_id" value=product_id />
                        <Field name="delta" id="adjust-delta" inputmode="numeric" required=true hint=Signal::derive(move || td_string!(i18n.get_locale(), delta_hint).to_owned()) error=action_field_error(adjust, "delta")>{t!(i18n, delta)}</Field>
                        <Field name="reason" id="adjust-reason" maxlength=200 required=true error=action_field_error(adjust, "reason")>{t!(i18n, reason)}</Field>
                        <button type="submit" disabled=move || adjust.pending().get()>{t!(i18n, adjust_submit)}</button>
                    </ActionForm>
                </div>
            </div>
        </section>
    }
}

/// The cooperative's products at or below their threshold.
#[component]
pub fn LowStockAlerts() -> impl IntoView {
    let i18n = use_i18n();
    let alerts = Resource::new(|| (), |_| low_stock_alerts());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move { match alerts.await {
                Ok(items) if items.is_empty() => view! { <p class="muted">{t!(i18n, low_stock_none)}</p> }.into_any(),
                Ok(items) => {
                    let locale = i18n.get_locale_untracked();
                    view! {
                        <div class="alert" role="alert" data-testid="low-stock">
                            <p><strong>{t!(i18n, low_stock_title)}</strong></p>
                            <ul>
                                {items.into_iter().map(|l| view! {
                                    <li><a href=format!("/cooperative/products/{}", l.product_id)>{localized(locale, &l.name_fr, &l.name_ar, &l.name_en).to_owned()}</a>
                                        " : " {l.available} " / " {l.threshold}</li>
                                }).collect_view()}
                            </ul>
                        </div>
                    }.into_any()
                }
                Err(_) => ().into_any(),
            } })}
        </Suspense>
    }
}
