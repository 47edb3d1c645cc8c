//! The buyer's order: its pickup code and QR, its parts and timeline, cancelling it and
//! moving it to another pickup place.
use super::super::api::{get_order, pickup_choices, CancelMyOrder, MoveMyOrder};
use super::super::Order;
use super::{part_status_text, payment_status_text};
use crate::domain::orders::{Fulfilment, PartStatus, PaymentStatus};
use crate::domain::time::timestamp_text;
use crate::domain::ErrorCode;
use crate::i18n::*;
use crate::ui::errors::{ErrorNotice, FormError, NotFound};
use crate::ui::forms::{action_field_error, action_form_error};
use crate::ui::localized;
use crate::ui::money::price_text;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// A step of the timeline: a part's status, or an order event (paid, refunded, ...).
fn step_text(locale: Locale, status: &str) -> &'static str {
    match PartStatus::from_code(status) {
        Some(status) => part_status_text(locale, status),
        None => match status {
            "paid" => td_string!(locale, payment_paid),
            "refunded" => td_string!(locale, payment_refunded),
            "late_payment" => td_string!(locale, step_late_payment),
            "payment_failed" => td_string!(locale, step_payment_failed),
            "moved" => td_string!(locale, step_moved),
            "market_changed" => td_string!(locale, step_market_changed),
            "market_cancelled" => td_string!(locale, step_market_cancelled),
            _ => td_string!(locale, step_other),
        },
    }
}

fn order_id_param() -> impl Fn() -> i64 + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
            .unwrap_or(0)
    }
}

#[component]
pub fn OrderPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = order_id_param();
    let cancel = ServerAction::<CancelMyOrder>::new();
    let relocate = ServerAction::<MoveMyOrder>::new();
    let order = Resource::new(
        move || (id(), cancel.version().get(), relocate.version().get()),
        |(id, _, _)| get_order(id),
    );
    let query = use_query_map();
    let paid_return = move || query.read().get("paid").is_some();
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match order.await {
                    Ok(order) => view! {
                        {(paid_return() && order.payment_status == PaymentStatus::Pending).then(|| view! {
                            <p class="notice" role="status">{t!(i18n, payment_confirming)}</p>
                        })}
                        <OrderView order cancel relocate />
                    }.into_any(),
                    Err(error) if error.code() == ErrorCode::NotFound => view! { <NotFound /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn OrderView(
    order: Order,
    cancel: ServerAction<CancelMyOrder>,
    relocate: ServerAction<MoveMyOrder>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let cancellable = order.mine
        && order.parts.iter().any(|p| !p.status.is_final())
        && order.parts.iter().all(|p| {
            p.status.is_final()
                || p.status
                    .buyer_may_cancel_at(order.pickup.as_ref().is_some_and(|p| p.cancelled))
        });
    let market_cancelled = order.pickup.as_ref().is_some_and(|p| p.cancelled);
    let movable =
        order.mine && order.pickup.is_some() && order.parts.iter().any(|p| p.status.holds_stock());
    let place = order.pickup.clone().map(|p| {
        view! {
            {p.cancelled.then(|| view! {
                <p class="notice error" role="alert" data-testid="market-cancelled">{t!(i18n, market_cancelled_notice)}</p>
            })}
            <p data-testid="pickup-place">
                <strong>{t!(i18n, pickup_label)}</strong> " : "
                <a href=format!("/markets/{}", p.event_id)>{localized(locale, &p.site_fr, &p.site_ar, &p.site_fr).to_owned()}</a>
                " — " {localized(locale, &p.event_fr, &p.event_ar, &p.event_fr).to_owned()}
                " · " <span dir="ltr">{format!("{} {}–{}", p.day, crate::domain::markets::time_text(p.opens_at), crate::domain::markets::time_text(p.closes_at))}</span>
            </p>
        }
    });
    view! {
        <article class="card order" data-testid="order">
            <h1>{t!(i18n, order_title, id = order.id)}</h1>
            <p>
                <span data-testid="payment-status">{payment_status_text(locale, order.payment_status)}</span>
                {(order.refunded > 0).then(|| view! { " · " {t!(i18n, refunded_amount)} " " <span dir="ltr">{price_text(locale, order.refunded)}</span> })}
            </p>
            {order.checkout_url.clone().map(|url| view! {
                <p><a class="button primary" href=url data-testid="pay-card">{t!(i18n, pay_by_card)}</a></p>
            })}
            {place}
            {(order.fulfilment == Fulfilment::Delivery).then(|| view! {
                <p><strong>{t!(i18n, fulfilment_delivery)}</strong> " : " {order.address.clone()} " (" {order.province.clone().unwrap_or_default()} ")"</p>
            })}
            // No code to show at a market that will not take place.
            {order.pickup_code.clone().filter(|_| !market_cancelled).map(|code| view! {
                <section class="pickup-code" data-testid="pickup">
                    <h2>{t!(i18n, pickup_code_title)}</h2>
                    <p class="code" dir="ltr" data-testid="pickup-code">{code}</p>
                    <div class="qr" inner_html=order.pickup_qr.clone().unwrap_or_default() data-testid="pickup-qr"></div>
                    <p class="hint">{t!(i18n, pickup_code_hint)}</p>
                </section>
            })}
            {order.parts.iter().map(|part| view! {
                <section class="order-part" data-testid="order-part">
                    <h2>{localized(locale, &part.cooperative_fr, &part.cooperative_ar, &part.cooperative_fr).to_owned()}
                        " — " <span data-testid="part-status">{part_status_text(locale, part.status)}</span></h2>
                    {(!part.cancel_reason.is_empty()).then(|| view! { <p>{t!(i18n, cancel_reason_label)} " : " {part.cancel_reason.clone()}</p> })}
                    <table class="table">
                        <tbody>
                            {part.lines.iter().map(|l| view! {
                                <tr>
                                    <td>{localized(locale, &l.name_fr, &l.name_ar, &l.name_en).to_owned()}</td>
                                    <td dir="ltr">{format!("{} × {}", l.quantity, price_text(locale, l.unit_price))}</td>
                                    <td dir="ltr">{price_text(locale, l.total)}</td>
                                </tr>
                            }).collect_view()}
                            {(part.delivery_fee > 0).then(|| view! {
                                <tr><td>{t!(i18n, delivery_fee)}</td><td></td><td dir="ltr">{price_text(locale, part.delivery_fee)}</td></tr>
                            })}
                        </tbody>
                    </table>
                </section>
            }).collect_view()}
            <dl class="totals">
                <dt>{t!(i18n, subtotal)}</dt><dd dir="ltr">{price_text(locale, order.subtotal)}</dd>
                <dt>{t!(i18n, delivery_fee)}</dt><dd dir="ltr">{price_text(locale, order.fees)}</dd>
                <dt>{t!(i18n, total)}</dt><dd dir="ltr" data-testid="order-total">{price_text(locale, order.total)}</dd>
            </dl>
            <section>
                <h2>{t!(i18n, timeline_title)}</h2>
                <ol class="timeline" data-testid="timeline">
                    {order.history.iter().map(|step| view! {
                        <li><span dir="ltr">{timestamp_text(step.at)}</span> " — " {step_text(locale, &step.status)}
                            {(!step.note.is_empty() && step.status != "refunded").then(|| format!(" ({})", step.note))}</li>
                    }).collect_view()}
                </ol>
            </section>
            {movable.then(|| view! { <MovePickup id=order.id open=market_cancelled relocate /> })}
            {cancellable.then(|| view! {
                <details class="danger-zone">
                    <summary>{t!(i18n, cancel_order)}</summary>
                    <p>{t!(i18n, cancel_order_confirm_text)}</p>
                    <FormError error=action_form_error(cancel) />
                    <ActionForm action=cancel>
                        <input type="hidden" name="id" value=order.id />
                        <button type="submit" class="button danger" data-testid="confirm-cancel">{t!(i18n, cancel_order_confirm)}</button>
                    </ActionForm>
                </details>
            })}
        </article>
    }
}

/// The buyer's choice of another salon or stop for an order (a plain form: it works
/// before the wasm). Open at once when the organiser cancelled the market.
#[component]
fn MovePickup(id: i64, open: bool, relocate: ServerAction<MoveMyOrder>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let choices = Resource::new(
        move || relocate.version().get(),
        move |_| pickup_choices(id),
    );
    view! {
        <details class="card" open=open data-testid="move-pickup">
            <summary>{t!(i18n, move_pickup_title)}</summary>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match choices.await {
                        Ok(choices) if choices.is_empty() => view! {
                            <p class="empty">{t!(i18n, move_pickup_none)}</p>
                        }.into_any(),
                        Ok(choices) => {
                            let options = choices.iter().map(|p| {
                                let label = localized(locale, &p.label_fr, &p.label_ar, &p.label_fr);
                                (crate::orders::pickup_value(p.event_id, p.stop_id), format!("{} · {label}", p.day))
                            }).collect::<Vec<_>>();
                            view! {
                                <FormError error=action_form_error(relocate) />
                                <ActionForm action=relocate attr:novalidate=true>
                                    <input type="hidden" name="id" value=id />
                                    <crate::ui::forms::Select name="pickup" id="move-pickup" options empty=td_string!(locale, choose).to_owned() error=action_field_error(relocate, "pickup")>
                                        {t!(i18n, pickup_label)}
                                    </crate::ui::forms::Select>
                                    <button type="submit" class="button primary" data-testid="move-pickup-submit" disabled=move || relocate.pending().get()>{t!(i18n, move_pickup_button)}</button>
                                </ActionForm>
                            }.into_any()
                        }
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Suspense>
        </details>
    }
}
