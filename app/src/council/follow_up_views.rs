//! `/council/programmes`: an organiser enrols cooperatives in programmes and records
//! accompaniment sessions (plain forms that work without script), with what was
//! recorded beneath; `/cooperative/accompaniment`: a cooperative's own.
use super::api::{council_choices, follow_up, my_accompaniment, EnrolCooperative, RecordSession};
use super::{Enrolment, FollowUp, Session};
use crate::domain::follow_up::{EnrolmentStatus, SessionKind};
use crate::i18n::*;
use crate::ui::errors::{ErrorNotice, FormError};
use crate::ui::forms::{action_field_error, action_form_error, Field, Select, TextArea};
use crate::ui::localized;
use crate::ui::money::price_text;
use leptos::prelude::*;

fn status_label(locale: Locale, status: EnrolmentStatus) -> &'static str {
    match status {
        EnrolmentStatus::Active => td_string!(locale, enrolment_active),
        EnrolmentStatus::Completed => td_string!(locale, enrolment_completed),
        EnrolmentStatus::Withdrawn => td_string!(locale, enrolment_withdrawn),
    }
}

fn kind_label(locale: Locale, kind: SessionKind) -> &'static str {
    match kind {
        SessionKind::Training => td_string!(locale, session_training),
        SessionKind::Incubation => td_string!(locale, session_incubation),
        SessionKind::Workspace => td_string!(locale, session_workspace),
        SessionKind::Laboratory => td_string!(locale, session_laboratory),
    }
}

#[component]
pub fn FollowUpPage() -> impl IntoView {
    let i18n = use_i18n();
    let enrol = ServerAction::<EnrolCooperative>::new();
    let record = ServerAction::<RecordSession>::new();
    let data = Resource::new(
        move || (enrol.version().get(), record.version().get()),
        |_| async { (follow_up().await, council_choices(String::new()).await) },
    );
    view! {
        <section class="card" data-testid="follow-up">
            <p><a href="/council">{t!(i18n, council_title)}</a></p>
            <h1>{t!(i18n, follow_up_title)}</h1>
            <p class="hint">{t!(i18n, follow_up_intro)}</p>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    let locale = i18n.get_locale_untracked();
                    let (follow_up, choices) = data.await;
                    let (follow_up, choices) = match (follow_up, choices) {
                        (Ok(f), Ok(c)) => (f, c),
                        (Err(error), _) | (_, Err(error)) => return view! { <ErrorNotice error /> }.into_any(),
                    };
                    let coops: Vec<(String, String)> = follow_up.cooperatives.iter()
                        .map(|(id, fr, ar)| (id.to_string(), localized(locale, fr, ar, fr).to_owned())).collect();
                    let programmes: Vec<(String, String)> = choices.programmes.into_iter()
                        .map(|(code, fr, ar, en)| (code, localized(locale, &fr, &ar, &en).to_owned())).collect();
                    let statuses = EnrolmentStatus::ALL.iter().map(|s| (s.as_str().to_owned(), status_label(locale, *s).to_owned())).collect();
                    let kinds = SessionKind::ALL.iter().map(|k| (k.as_str().to_owned(), kind_label(locale, *k).to_owned())).collect();
                    let FollowUp { enrolments, sessions, cooperatives } = follow_up;
                    let session_programmes = programmes.clone();
                    let e = move |field: &'static str| action_field_error(enrol, field);
                    let s = move |field: &'static str| action_field_error(record, field);
                    view! {
                        <h2>{t!(i18n, enrolments_title)}</h2>
                        <FormError error=action_form_error(enrol) />
                        <ActionForm action=enrol attr:novalidate=true attr:data-testid="enrol-form">
                            <div class="form-grid">
                                <Select name="form[cooperative]" id="enrol-cooperative" options=coops empty=td_string!(locale, choose).to_owned() error=e("cooperative")>{t!(i18n, cooperative)}</Select>
                                <Select name="form[programme]" id="enrol-programme" options=programmes empty=td_string!(locale, choose).to_owned() error=e("programme")>{t!(i18n, council_programme)}</Select>
                                <Field name="form[starts_on]" id="enrol-starts" kind="date" required=true error=e("starts_on")>{t!(i18n, enrolment_starts)}</Field>
                                <Field name="form[ends_on]" id="enrol-ends" kind="date" error=e("ends_on")>{t!(i18n, enrolment_ends)}</Field>
                                <Select name="form[status]" id="enrol-status" options=statuses selected="active".to_owned() error=e("status")>{t!(i18n, status)}</Select>
                                <Field name="form[amount]" id="enrol-amount" inputmode="decimal" error=e("amount")>{t!(i18n, enrolment_amount)}</Field>
                            </div>
                            <TextArea name="form[support]" id="enrol-support" rows=2 error=e("support")>{t!(i18n, enrolment_support)}</TextArea>
                            <button type="submit" data-testid="enrol-save">{t!(i18n, enrol_save)}</button>
                        </ActionForm>
                        <EnrolmentTable enrolments />

                        <h2>{t!(i18n, sessions_title)}</h2>
                        <FormError error=action_form_error(record) />
                        <ActionForm action=record attr:novalidate=true attr:data-testid="session-form">
                            <div class="form-grid">
                                <Select name="form[kind]" id="session-kind" options=kinds selected="training".to_owned() error=s("kind")>{t!(i18n, session_kind)}</Select>
                                <Field name="form[held_on]" id="session-day" kind="date" required=true error=s("held_on")>{t!(i18n, session_day)}</Field>
                                <Field name="form[place]" id="session-place" required=true error=s("place")>{t!(i18n, session_place)}</Field>
                                <Field name="form[topic]" id="session-topic" required=true error=s("topic")>{t!(i18n, session_topic)}</Field>
                                <Select name="form[programme]" id="session-programme" options=session_programmes empty=td_string!(locale, none_option).to_owned() error=s("programme")>{t!(i18n, council_programme)}</Select>
                            </div>
                            <fieldset class="present" data-testid="session-present">
                                <legend>{t!(i18n, session_present)}</legend>
                                {cooperatives.into_iter().map(|(id, fr, ar)| {
                                    let input = format!("present-{id}");
                                    view! {
                                        <div class="field checkbox">
                                            <input type="checkbox" id=input.clone() name=format!("form[present][{id}]") value="on" />
                                            <label for=input>{localized(locale, &fr, &ar, &fr).to_owned()}</label>
                                        </div>
                                    }
                                }).collect_view()}
                                {move || s("present").get().map(|code| view! { <p class="field-error">{crate::ui::errors::error_text(i18n.get_locale(), code)}</p> })}
                            </fieldset>
                            <button type="submit" data-testid="session-save">{t!(i18n, session_save)}</button>
                        </ActionForm>
                        <SessionList sessions />
                    }.into_any()
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn EnrolmentTable(enrolments: Vec<Enrolment>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    if enrolments.is_empty() {
        return view! { <p class="empty">{t!(i18n, enrolments_empty)}</p> }.into_any();
    }
    view! {
        <div class="table-scroll"><table class="table" data-testid="enrolments">
            <thead><tr><th>{t!(i18n, cooperative)}</th><th>{t!(i18n, council_programme)}</th><th>{t!(i18n, enrolment_dates)}</th><th>{t!(i18n, status)}</th><th>{t!(i18n, enrolment_support)}</th><th>{t!(i18n, enrolment_amount)}</th></tr></thead>
            <tbody>{enrolments.into_iter().map(|e| view! {
                <tr>
                    <td>{localized(locale, &e.cooperative_fr, &e.cooperative_ar, &e.cooperative_fr).to_owned()}</td>
                    <td>{localized(locale, &e.programme_fr, &e.programme_ar, &e.programme_en).to_owned()}</td>
                    <td dir="ltr">{format!("{} → {}", e.starts_on, e.ends_on.clone().unwrap_or_default())}</td>
                    <td>{status_label(locale, e.status)}</td>
                    <td>{e.support.clone()}</td>
                    <td dir="ltr">{price_text(locale, e.amount)}</td>
                </tr>
            }).collect_view()}</tbody>
        </table></div>
    }
    .into_any()
}

#[component]
fn SessionList(sessions: Vec<Session>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    if sessions.is_empty() {
        return view! { <p class="empty">{t!(i18n, sessions_empty)}</p> }.into_any();
    }
    view! {
        <ul class="session-list" data-testid="sessions">
            {sessions.into_iter().map(|s| {
                let programme = s.programme_fr.as_deref().map(|fr| localized(locale, fr, s.programme_ar.as_deref().unwrap_or(fr), fr).to_owned());
                view! {
                    <li>
                        <strong>{s.topic.clone()}</strong> " · " {kind_label(locale, s.kind)}
                        {programme.map(|p| view! { " · " {p} })}
                        <br />
                        <span class="muted"><bdi dir="ltr">{s.held_on.clone()}</bdi> " · " {s.place.clone()}</span>
                        <br />
                        <span>{s.cooperatives.iter().map(|(_, fr, ar)| localized(locale, fr, ar, fr).to_owned()).collect::<Vec<_>>().join(", ")}</span>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// `/cooperative/accompaniment`: the programmes a cooperative is enrolled in and the
/// sessions it attended, as the council recorded them.
#[component]
pub fn MyAccompanimentPage() -> impl IntoView {
    let i18n = use_i18n();
    let mine = Resource::new(|| (), |_| my_accompaniment());
    view! {
        <section class="card" data-testid="my-accompaniment">
            <h1>{t!(i18n, accompaniment_title)}</h1>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move { match mine.await {
                    Ok(FollowUp { enrolments, sessions, .. }) => view! {
                        <h2>{t!(i18n, enrolments_title)}</h2>
                        <EnrolmentTable enrolments />
                        <h2>{t!(i18n, sessions_title)}</h2>
                        <SessionList sessions />
                    }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                } })}
            </Suspense>
        </section>
    }
}
