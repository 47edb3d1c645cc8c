//! The cooperative's side: the packing list of each coming stop, the parts to fulfil
//! with their moves (ready, shipped, delivered, cancel with a reason), the hand-over by
//! pickup code (also reached from the buyer's QR code), and its delivery fees.
use super::super::api::{
    cooperative_orders, get_order, my_delivery_fees, packing_lists, AdvanceOrderPart,
    CancelOrderPart, HandOverPart, SaveDeliveryFee,
};
use super::super::PartSummary;
use super::part_status_text;
use crate::domain::orders::{Fulfilment, PartStatus};
use crate::domain::ErrorCode;
use crate::i18n::*;
use crate::ui::errors::{ErrorNotice, FormError, NotFound};
use crate::ui::forms::{action_field_error, action_form_error};
use crate::ui::localized;
use crate::ui::money::price_text;
use crate::ui::pagination::{page_from_query, Pagination};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The actions on one part, shared by the packing list and the list of orders.
#[derive(Clone, Copy)]
struct PartActions {
    advance: ServerAction<AdvanceOrderPart>,
    hand_over: ServerAction<HandOverPart>,
    cancel: ServerAction<CancelOrderPart>,
}

impl PartActions {
    fn new() -> Self {
        Self {
            advance: ServerAction::new(),
            hand_over: ServerAction::new(),
            cancel: ServerAction::new(),
        }
    }

    fn version(self) -> usize {
        self.advance.version().get() + self.hand_over.version().get() + self.cancel.version().get()
    }
}

#[component]
fn PartRow(
    part: PartSummary,
    actions: PartActions,
    #[prop(optional, into)] code: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let id = part.part_id;
    let moves = part.status.cooperative_moves(part.fulfilment);
    let can_hand_over = part.fulfilment == Fulfilment::Pickup
        && matches!(part.status, PartStatus::Placed | PartStatus::Ready);
    let paid_later = part.payment == crate::domain::orders::PaymentMethod::Cash;
    view! {
        <li class="part" data-testid="part" data-order=part.order_id>
            <p>
                <a href=format!("/cooperative/orders/{}", part.order_id)>{format!("#{}", part.order_id)}</a>
                " · " {part.buyer_name.clone()} " · " <strong data-testid="part-status">{part_status_text(locale, part.status)}</strong>
                " · " <span dir="ltr">{price_text(locale, part.total)}</span>
                " · " {if paid_later { t!(i18n, payment_cash).into_any() } else { super::payment_status_text(locale, part.payment_status).into_any() }}
            </p>
            <ul>
                {part.lines.iter().map(|l| view! {
                    <li>{format!("{} × ", l.quantity)}{localized(locale, &l.name_fr, &l.name_ar, &l.name_en).to_owned()}</li>
                }).collect_view()}
            </ul>
            <div class="actions">
                {moves.iter().map(|to| {
                    let label = match to {
                        PartStatus::Ready => td_string!(locale, mark_ready),
                        PartStatus::Shipped => td_string!(locale, mark_shipped),
                        _ => td_string!(locale, mark_delivered),
                    };
                    view! {
                        <ActionForm action=actions.advance attr:class="inline-form">
                            <input type="hidden" name="part_id" value=id />
                            <input type="hidden" name="to" value=to.as_str() />
                            <button type="submit" class="button" data-testid=format!("move-{}", to.as_str())>{label}</button>
                        </ActionForm>
                    }
                }).collect_view()}
                {can_hand_over.then(|| view! {
                    <ActionForm action=actions.hand_over attr:class="inline-form" attr:data-testid="hand-over-form">
                        <input type="hidden" name="part_id" value=id />
                        <label for=format!("code-{id}")>{t!(i18n, pickup_code_title)}</label>
                        <input id=format!("code-{id}") name="code" autocomplete="off" maxlength="12" prop:value=code.clone().unwrap_or_default() dir="ltr" />
                        <button type="submit" class="button primary">{t!(i18n, hand_over)}</button>
                    </ActionForm>
                })}
                {part.status.cooperative_may_cancel().then(|| view! {
                    <details class="danger-zone">
                        <summary>{t!(i18n, cancel_part)}</summary>
                        <ActionForm action=actions.cancel>
                            <input type="hidden" name="part_id" value=id />
                            <label for=format!("reason-{id}")>{t!(i18n, cancel_reason_label)}</label>
                            <input id=format!("reason-{id}") name="reason" maxlength="300" required=true />
                            <button type="submit" class="button danger">{t!(i18n, cancel_part_confirm)}</button>
                        </ActionForm>
                    </details>
                })}
            </div>
        </li>
    }
}

#[component]
fn ActionErrors(actions: PartActions) -> impl IntoView {
    let i18n = use_i18n();
    let code_error = action_field_error(actions.hand_over, "code");
    view! {
        <FormError error=action_form_error(actions.advance) />
        <FormError error=action_form_error(actions.hand_over) />
        <FormError error=action_form_error(actions.cancel) />
        {move || code_error.get().map(|code| view! { <p class="form-error" role="alert" data-testid="code-error">{crate::ui::errors::error_text(i18n.get_locale(), code)}</p> })}
        {move || action_field_error(actions.cancel, "reason").get().map(|code| view! { <p class="form-error" role="alert">{crate::ui::errors::error_text(i18n.get_locale(), code)}</p> })}
        {move || crate::ui::forms::succeeded(actions.hand_over).get().then(|| view! {
            <p class="notice" role="status" data-testid="handed-over">{t!(i18n, handed_over_done)}</p>
        })}
    }
}

#[component]
pub fn CooperativeOrdersPage() -> impl IntoView {
    let i18n = use_i18n();
    let actions = PartActions::new();
    let page = page_from_query();
    let lists = Resource::new(move || actions.version(), |_| packing_lists());
    let parts = Resource::new(
        move || (page(), actions.version()),
        |(page, _)| cooperative_orders(page, true),
    );
    view! {
        <h1>{t!(i18n, cooperative_orders_title)}</h1>
        <p><a href="/cooperative/delivery">{t!(i18n, delivery_fees_title)}</a></p>
        <ActionErrors actions />
        <section data-testid="packing-lists">
            <h2>{t!(i18n, packing_lists_title)}</h2>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    let locale = i18n.get_locale_untracked();
                    match lists.await {
                        Ok(lists) if lists.is_empty() => view! { <p class="empty">{t!(i18n, packing_empty)}</p> }.into_any(),
                        Ok(lists) => lists.into_iter().map(|list| view! {
                            <article class="card packing" data-testid="packing-list">
                                <h3>{list.day.clone()} " · " {localized(locale, &list.site_fr, &list.site_ar, &list.site_fr).to_owned()}
                                    " — " {localized(locale, &list.event_fr, &list.event_ar, &list.event_fr).to_owned()}</h3>
                                <table class="table">
                                    <thead><tr><th>{t!(i18n, product)}</th><th>{t!(i18n, quantity)}</th><th>{t!(i18n, orders_count)}</th></tr></thead>
                                    <tbody>
                                        {list.items.iter().map(|item| view! {
                                            <tr data-testid="packing-item">
                                                <td>{localized(locale, &item.name_fr, &item.name_ar, &item.name_en).to_owned()}</td>
                                                <td dir="ltr" data-testid="packing-quantity">{item.quantity}</td>
                                                <td dir="ltr">{item.orders}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                                <ul class="parts">
                                    {list.orders.into_iter().map(|part| view! { <PartRow part actions /> }).collect_view()}
                                </ul>
                            </article>
                        }).collect_view().into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
        <section>
            <h2>{t!(i18n, open_orders_title)}</h2>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match parts.await {
                        Ok(list) if list.items.is_empty() => view! { <p class="empty">{t!(i18n, open_orders_empty)}</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="parts" data-testid="open-orders">
                                {list.items.into_iter().map(|part| view! { <PartRow part actions /> }).collect_view()}
                            </ul>
                            <Pagination page=list.page per_page=list.per_page total=list.total href=|p| format!("/cooperative/orders?page={p}") />
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The page the buyer's QR code opens on the cooperative's phone: its part of the order,
/// with the code filled in, ready to hand over.
#[component]
pub fn HandOverPage() -> impl IntoView {
    let i18n = use_i18n();
    let actions = PartActions::new();
    let params = use_params_map();
    let query = use_query_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let order = Resource::new(move || (id(), actions.version()), |(id, _)| get_order(id));
    view! {
        <h1>{move || t!(i18n, order_title, id = id())}</h1>
        <ActionErrors actions />
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                let code = query.read_untracked().get("code").unwrap_or_default();
                match order.await {
                    Ok(order) => {
                        let fulfilment = order.fulfilment;
                        order.parts.into_iter().map(|p| {
                            let part = PartSummary {
                                part_id: p.id,
                                order_id: order.id,
                                buyer_name: order.buyer_name.clone(),
                                fulfilment,
                                payment: order.payment,
                                payment_status: order.payment_status,
                                status: p.status,
                                place: String::new(),
                                day: String::new(),
                                total: p.subtotal + p.delivery_fee,
                                lines: p.lines,
                                created_at: order.created_at,
                            };
                            view! { <ul class="parts"><PartRow part actions code=code.clone() /></ul> }
                        }).collect_view().into_any()
                    }
                    Err(error) if error.code() == ErrorCode::NotFound => view! { <NotFound /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
        <p><a href="/cooperative/orders">{t!(i18n, cooperative_orders_title)}</a></p>
    }
}

/// A cooperative's delivery fees, province by province under their region: its own
/// region open first, every other region folded (open where a fee is set), so it may
/// deliver anywhere in the Kingdom it chooses.
#[component]
pub fn CooperativeDeliveryPage() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveDeliveryFee>::new();
    let fees = Resource::new(move || save.version().get(), |_| my_delivery_fees());
    let places = Resource::new(
        || (),
        |_| async {
            (
                crate::territory::api::list_provinces().await,
                crate::cooperatives::api::my_cooperative().await,
            )
        },
    );
    view! {
        <h1>{t!(i18n, delivery_fees_title)}</h1>
        <p class="hint">{t!(i18n, delivery_fees_hint)}</p>
        <FormError error=action_form_error(save) />
        {move || action_field_error(save, "fee").get().map(|code| view! { <p class="form-error" role="alert">{crate::ui::errors::error_text(i18n.get_locale(), code)}</p> })}
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                let locale = i18n.get_locale_untracked();
                let fees = match fees.await {
                    Ok(fees) => fees,
                    Err(error) => return view! { <ErrorNotice error /> }.into_any(),
                };
                let (provinces, cooperative) = places.await;
                let provinces = provinces.unwrap_or_default();
                let home = cooperative.ok().flatten().and_then(|c| {
                    provinces.iter().find(|p| p.code == c.summary.province_code).map(|p| p.region_code.clone())
                });
                let mut regions: Vec<Vec<crate::domain::ProvinceSummary>> = Vec::new();
                for p in provinces {
                    match regions.last_mut() {
                        Some(group) if group[0].region_code == p.region_code => group.push(p),
                        _ => regions.push(vec![p]),
                    }
                }
                // The cooperative's own region first, the others in the Kingdom's order.
                regions.sort_by_key(|group| Some(&group[0].region_code) != home.as_ref());
                view! {
                    <div data-testid="delivery-fees">
                        {regions.into_iter().map(|group| {
                            let first = &group[0];
                            let name = localized(locale, &first.region_fr, &first.region_ar, &first.region_en).to_owned();
                            let set = group.iter().filter(|p| fees.iter().any(|f| f.province_code == p.code)).count();
                            let open = set > 0 || Some(&first.region_code) == home.as_ref();
                            let code = first.region_code.clone();
                            view! {
                                <details class="fee-region" open=open data-region=code>
                                    <summary>{name} " " <span class="muted">{t!(i18n, delivery_fees_set, n = set)}</span></summary>
                                    <FeeTable provinces=group fees=fees.clone() save />
                                </details>
                            }
                        }).collect_view()}
                    </div>
                }.into_any()
            })}
        </Suspense>
    }
}

#[component]
fn FeeTable(
    provinces: Vec<crate::domain::ProvinceSummary>,
    fees: Vec<crate::orders::DeliveryFee>,
    save: ServerAction<SaveDeliveryFee>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    view! {
        <table class="table">
            <thead><tr><th>{t!(i18n, province)}</th><th>{t!(i18n, delivery_fee)}</th></tr></thead>
            <tbody>
                {provinces.into_iter().map(|p| {
                    let current = fees.iter().find(|f| f.province_code == p.code).map(|f| crate::domain::catalogue::Centimes::new(f.fee).map(|c| c.to_decimal()).unwrap_or_default()).unwrap_or_default();
                    view! {
                        <tr>
                            <td>{localized(locale, &p.name_fr, &p.name_ar, &p.name_en).to_owned()}</td>
                            <td>
                                <ActionForm action=save attr:class="inline-form">
                                    <input type="hidden" name="province" value=p.code.clone() />
                                    <label class="visually-hidden" for=format!("fee-{}", p.code)>{t!(i18n, delivery_fee)}</label>
                                    <input id=format!("fee-{}", p.code) name="fee" value=current inputmode="decimal" placeholder=td_string!(locale, delivery_not_offered_short) />
                                    <button type="submit" class="link-button">{t!(i18n, save)}</button>
                                </ActionForm>
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}
