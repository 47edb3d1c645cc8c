//! `/notifications`: the signed-in user's messages.
use super::api::{my_notifications, MarkNotificationsRead};
use super::message;
use crate::domain::time::timestamp_text;
use crate::i18n::*;
use crate::ui::errors::ErrorNotice;
use crate::ui::pagination::{page_from_query, Pagination};
use leptos::prelude::*;

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let page = page_from_query();
    let mark = ServerAction::<MarkNotificationsRead>::new();
    let list = Resource::new(
        move || (page(), mark.version().get()),
        |(page, _)| my_notifications(page),
    );
    view! {
        <section class="card">
            <h1>{t!(i18n, notifications_title)}</h1>
            <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move { match list.await {
                    Ok(page) if page.items.is_empty() => view! { <p class="empty">{t!(i18n, notifications_empty)}</p> }.into_any(),
                    Ok(page) => {
                        let locale = i18n.get_locale_untracked();
                        view! {
                            {(page.unread > 0).then(|| view! {
                                <ActionForm action=mark attr:class="inline-form">
                                    <button type="submit" data-testid="mark-read">{t!(i18n, notifications_mark_read)}</button>
                                </ActionForm>
                            })}
                            <ul class="notifications" data-testid="notifications">
                                {page.items.into_iter().map(|n| {
                                    let (title, details) = message(locale, n.kind, &n.params);
                                    let link = n.kind.link(&n.params, n.event_id);
                                    let see = if n.params.order.is_some() { t!(i18n, see_order).into_any() } else { t!(i18n, see_event).into_any() };
                                    view! {
                                        <li class:unread=!n.read>
                                            <strong>{title}</strong>
                                            <span class="muted">" · " {timestamp_text(n.created_at)}</span>
                                            <ul>{details.into_iter().map(|d| view! { <li>{d}</li> }).collect_view()}</ul>
                                            {link.map(|href| view! { <a href=href>{see}</a> })}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                            <Pagination page=page.page per_page=page.per_page total=page.total href=|n| format!("?page={n}") />
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                } })}
            </Transition>
        </section>
    }
}
