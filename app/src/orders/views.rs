//! The buyer's side: the cart and its checkout (the order itself is in `views/order.rs`,
//! the list of orders in `views/mine.rs`). The cooperative's side is in `views/cooperative.rs`.
use super::api::{get_cart, CheckoutCart, SetCartQuantity};
use super::Cart;
use crate::domain::orders::{PartStatus, PaymentStatus};
use crate::domain::ErrorCode;
use crate::i18n::*;
use crate::ui::errors::{ErrorNotice, FormError};
use crate::ui::forms::{action_field_error, action_form_error, Field};
use crate::ui::localized;
use crate::ui::money::price_text;
use leptos::prelude::*;

mod cooperative;
mod mine;
mod order;
pub use cooperative::{CooperativeDeliveryPage, CooperativeOrdersPage, HandOverPage};
pub use mine::{AddToCart, CartLink, MyOrdersPage};
pub use order::OrderPage;

pub fn part_status_text(locale: Locale, status: PartStatus) -> &'static str {
    match status {
        PartStatus::AwaitingPayment => td_string!(locale, part_awaiting_payment),
        PartStatus::Placed => td_string!(locale, part_placed),
        PartStatus::Ready => td_string!(locale, part_ready),
        PartStatus::HandedOver => td_string!(locale, part_handed_over),
        PartStatus::Shipped => td_string!(locale, part_shipped),
        PartStatus::Delivered => td_string!(locale, part_delivered),
        PartStatus::Cancelled => td_string!(locale, part_cancelled),
        PartStatus::Expired => td_string!(locale, part_expired),
        PartStatus::NoShow => td_string!(locale, part_no_show),
    }
}

pub fn payment_status_text(locale: Locale, status: PaymentStatus) -> &'static str {
    match status {
        PaymentStatus::Cash => td_string!(locale, payment_cash_due),
        PaymentStatus::Pending => td_string!(locale, payment_pending_text),
        PaymentStatus::Paid => td_string!(locale, payment_paid),
        PaymentStatus::Expired => td_string!(locale, payment_expired),
        PaymentStatus::Refunded => td_string!(locale, payment_refunded),
    }
}

#[component]
pub fn CartPage() -> impl IntoView {
    let i18n = use_i18n();
    let update = ServerAction::<SetCartQuantity>::new();
    let cart = Resource::new(move || update.version().get(), |_| get_cart());
    view! {
        <h1>{t!(i18n, cart_title)}</h1>
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match cart.await {
                    Ok(cart) if cart.lines.is_empty() => view! {
                        <p class="empty" data-testid="cart-empty">{t!(i18n, cart_empty_text)} " " <a href="/products">{t!(i18n, nav_products)}</a></p>
                    }.into_any(),
                    Ok(cart) => view! { <CartLines cart=cart.clone() update /> <Checkout cart /> }.into_any(),
                    Err(error) if error.code() == ErrorCode::Unauthenticated => view! {
                        <p>{t!(i18n, cart_sign_in)} " " <a href="/login">{t!(i18n, nav_login)}</a></p>
                    }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CartLines(cart: Cart, update: ServerAction<SetCartQuantity>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let subtotal: i64 = cart.lines.iter().map(|l| l.unit_price * l.quantity).sum();
    // A refused checkout names its short lines: each message is shown beside its line.
    let refused = ServerAction::<CheckoutCart>::new()
        .value()
        .get_untracked()
        .and_then(|r| r.err());
    let line_error = move |product_id: i64| {
        let fields = match &refused {
            Some(crate::error::AppError::Invalid(f) | crate::error::AppError::Conflict(_, f)) => {
                f.0.clone()
            }
            _ => Vec::new(),
        };
        let key = format!("line:{product_id}");
        fields
            .into_iter()
            .find(|(field, _)| *field == key)
            .map(|(_, code)| code)
    };
    view! {
        <FormError error=action_form_error(update) />
        <table class="table" data-testid="cart-lines">
            <thead><tr><th>{t!(i18n, product)}</th><th>{t!(i18n, cooperative)}</th><th>{t!(i18n, price)}</th><th>{t!(i18n, quantity)}</th><th>{t!(i18n, total)}</th></tr></thead>
            <tbody>
                {cart.lines.into_iter().map(|line| {
                    let short = line.quantity > line.available;
                    view! {
                        <tr data-testid="cart-line">
                            <td><a href=format!("/products/{}", line.product_id)>{localized(locale, &line.name_fr, &line.name_ar, &line.name_en).to_owned()}</a>
                                {short.then(|| view! { <p class="field-error">{t!(i18n, cart_line_short, n = line.available)}</p> })}
                                {line_error(line.product_id).map(|code| view! {
                                    <p class="field-error" role="alert" data-testid="line-error">{crate::ui::errors::error_text(locale, code)}</p>
                                })}
                            </td>
                            <td>{localized(locale, &line.cooperative_fr, &line.cooperative_ar, &line.cooperative_fr).to_owned()}</td>
                            <td dir="ltr">{price_text(locale, line.unit_price)}</td>
                            <td>
                                <ActionForm action=update attr:class="inline-form">
                                    <input type="hidden" name="product_id" value=line.product_id />
                                    <label class="visually-hidden" for=format!("qty-{}", line.product_id)>{t!(i18n, quantity)}</label>
                                    <input id=format!("qty-{}", line.product_id) name="quantity" type="number" min="0" max="1000" value=line.quantity inputmode="numeric" />
                                    <button type="submit" class="link-button">{t!(i18n, update_quantity)}</button>
                                </ActionForm>
                                <ActionForm action=update attr:class="inline-form">
                                    <input type="hidden" name="product_id" value=line.product_id />
                                    <input type="hidden" name="quantity" value="0" />
                                    <button type="submit" class="link-button">{t!(i18n, remove)}</button>
                                </ActionForm>
                            </td>
                            <td dir="ltr">{price_text(locale, line.unit_price * line.quantity)}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        <p class="price big">{t!(i18n, subtotal)} " : " <span dir="ltr" data-testid="cart-subtotal">{price_text(locale, subtotal)}</span></p>
    }
}

#[component]
fn Checkout(cart: Cart) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let place = ServerAction::<CheckoutCart>::new();
    let cooperatives: Vec<i64> = {
        let mut ids: Vec<i64> = cart.lines.iter().map(|l| l.cooperative_id).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    let pickups: Vec<(String, String)> = cart
        .pickups
        .iter()
        .map(|p| {
            let value = super::pickup_value(p.event_id, p.stop_id);
            let label = localized(locale, &p.label_fr, &p.label_ar, &p.label_fr);
            let all = cooperatives.iter().all(|c| p.cooperatives.contains(c));
            let suffix = if all {
                String::new()
            } else {
                format!(" — {}", td_string!(locale, pickup_partial))
            };
            (value, format!("{} · {label}{suffix}", p.day))
        })
        .collect();
    let provinces: Vec<String> = {
        let mut codes: Vec<String> = cart
            .delivery_fees
            .iter()
            .map(|f| f.province_code.clone())
            .collect();
        codes.sort();
        codes.dedup();
        codes
    };
    let fee_rows = cart.delivery_fees.clone();
    let line_errors = move || {
        place.value().get().and_then(|r| r.err()).map(|error| {
            let fields = match &error {
                crate::error::AppError::Invalid(f) | crate::error::AppError::Conflict(_, f) => f.0.clone(),
                _ => Vec::new(),
            };
            fields
                .into_iter()
                .filter(|(field, _)| field.starts_with("line:"))
                .map(|(field, code)| view! {
                    <li>{format!("#{} ", field.trim_start_matches("line:"))}{crate::ui::errors::error_text(i18n.get_locale(), code)}</li>
                })
                .collect_view()
        })
    };
    view! {
        <section class="card" data-testid="checkout">
            <h2>{t!(i18n, checkout_title)}</h2>
            <FormError error=action_form_error(place) />
            <ul class="field-error" data-testid="line-errors">{line_errors}</ul>
            // Pickup or delivery shows its own fields by CSS (`:has(:checked)`), with no script.
            <ActionForm action=place attr:novalidate=true attr:class="checkout-form" attr:data-testid="checkout-form">
                <input type="hidden" name="key" value=cart.checkout_key.clone() />
                <fieldset>
                    <legend>{t!(i18n, fulfilment_label)}</legend>
                    <label><input type="radio" name="fulfilment" value="pickup" checked=true data-testid="fulfilment-pickup" />" "{t!(i18n, fulfilment_pickup)}</label>
                    <label><input type="radio" name="fulfilment" value="delivery" data-testid="fulfilment-delivery" />" "{t!(i18n, fulfilment_delivery)}</label>
                </fieldset>
                <div class="pickup-fields">
                    {if pickups.is_empty() {
                        view! { <p class="empty">{t!(i18n, pickup_none)}</p> }.into_any()
                    } else {
                        view! {
                            <crate::ui::forms::Select name="pickup" id="checkout-pickup" options=pickups empty=td_string!(locale, choose).to_owned() error=action_field_error(place, "pickup")>
                                {t!(i18n, pickup_label)}
                            </crate::ui::forms::Select>
                        }.into_any()
                    }}
                </div>
                <div class="delivery-fields">
                    {if provinces.is_empty() {
                        view! { <p class="empty">{t!(i18n, delivery_none)}</p> <input type="hidden" name="province" value="" /> }.into_any()
                    } else {
                        let options = provinces.iter().map(|code| {
                            let fees: i64 = fee_rows.iter().filter(|f| &f.province_code == code).map(|f| f.fee).sum();
                            (code.clone(), format!("{code} — {}", price_text(locale, fees)))
                        }).collect::<Vec<_>>();
                        view! {
                            <crate::ui::forms::Select name="province" id="checkout-province" options empty=td_string!(locale, choose).to_owned() error=action_field_error(place, "province")>
                                {t!(i18n, delivery_province)}
                            </crate::ui::forms::Select>
                        }.into_any()
                    }}
                    <Field name="address" id="checkout-address" autocomplete="street-address" maxlength=300 error=action_field_error(place, "address")>{t!(i18n, address)}</Field>
                </div>
                <fieldset>
                    <legend>{t!(i18n, payment_label)}</legend>
                    <label><input type="radio" name="payment" value="cash" checked=true data-testid="payment-cash" />" "{t!(i18n, payment_cash)}</label>
                    {cart.card_enabled.then(|| view! {
                        <label><input type="radio" name="payment" value="card" data-testid="payment-card" />" "{t!(i18n, payment_card)}</label>
                    })}
                    {move || action_field_error(place, "payment").get().map(|code| view! { <p class="field-error">{crate::ui::errors::error_text(i18n.get_locale(), code)}</p> })}
                </fieldset>
                <button type="submit" class="button primary" data-testid="place-order" disabled=move || place.pending().get()>{t!(i18n, place_order)}</button>
            </ActionForm>
        </section>
    }
}
