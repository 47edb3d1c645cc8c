//! Sign-in, registration, the account page and the admin's user list.
use super::api::{list_users, me, CreateUser, Login, Register, SetUserRegions};
use super::CurrentUser;
use crate::domain::Role;
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::errors::{error_text, ErrorNotice, FormError};
use crate::ui::forms::Field;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

/// Who is signed in, shared by the header and the pages; refreshed after sign-in/out.
#[derive(Clone, Copy)]
pub struct UserSession {
    version: RwSignal<u32>,
    pub user: Resource<Result<Option<CurrentUser>, AppError>>,
}

impl UserSession {
    pub fn provide() -> Self {
        let version = RwSignal::new(0);
        let user = Resource::new(move || version.get(), |_| me());
        let session = Self { version, user };
        provide_context(session);
        session
    }

    /// Re-reads the session each time this action succeeds.
    pub fn refresh_after<S>(self, action: ServerAction<S>)
    where
        S: ServerFn<Output = (), Error = AppError> + Clone + Send + Sync + 'static,
        S::Output: Send + Sync + 'static,
    {
        Effect::new(move |_| {
            if let Some(Ok(())) = action.value().get() {
                self.version.update(|v| *v += 1);
            }
        });
    }
}

fn field_error<S>(
    action: ServerAction<S>,
    field: &'static str,
) -> Signal<Option<crate::domain::ErrorCode>>
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    Signal::derive(move || {
        action
            .value()
            .get()
            .and_then(|r| r.err())
            .and_then(|e| e.field_error(field))
    })
}

/// A whole-form error (wrong password, too many attempts), not tied to one field.
fn form_error<S>(action: ServerAction<S>) -> Signal<Option<AppError>>
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(|r| r.err()))
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<Login>::new();
    expect_context::<UserSession>().refresh_after(action);
    let next = move || use_query_map().read().get("next").unwrap_or_default();
    view! {
        <section class="card narrow">
            <h1>{t!(i18n, login_title)}</h1>
            <FormError error=form_error(action) />
            <ActionForm action=action attr:novalidate=true attr:data-testid="login-form">
                <input type="hidden" name="next" value=next />
                <Field name="form[email]" id="login-email" kind="email" autocomplete="email" required=true error=field_error(action, "email")>
                    {t!(i18n, email)}
                </Field>
                <Field name="form[password]" id="login-password" kind="password" autocomplete="current-password" required=true error=field_error(action, "password")>
                    {t!(i18n, password)}
                </Field>
                <button type="submit" disabled=move || action.pending().get()>{t!(i18n, submit_login)}</button>
            </ActionForm>
            <p><a href="/register">{t!(i18n, no_account)}</a></p>
        </section>
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<Register>::new();
    expect_context::<UserSession>().refresh_after(action);
    let hint = Signal::derive(move || td_string!(i18n.get_locale(), password_hint).to_owned());
    view! {
        <section class="card narrow">
            <h1>{t!(i18n, register_title)}</h1>
            <p>{t!(i18n, register_intro)}</p>
            <FormError error=form_error(action) />
            <ActionForm action=action attr:novalidate=true attr:data-testid="register-form">
                <Field name="form[display_name]" id="register-name" autocomplete="name" required=true maxlength=80 error=field_error(action, "display_name")>
                    {t!(i18n, display_name)}
                </Field>
                <Field name="form[email]" id="register-email" kind="email" autocomplete="email" required=true error=field_error(action, "email")>
                    {t!(i18n, email)}
                </Field>
                <Field name="form[password]" id="register-password" kind="password" autocomplete="new-password" required=true hint error=field_error(action, "password")>
                    {t!(i18n, password)}
                </Field>
                <button type="submit" disabled=move || action.pending().get()>{t!(i18n, submit_register)}</button>
            </ActionForm>
            <p><a href="/login">{t!(i18n, have_account)}</a></p>
        </section>
    }
}

fn role_label(locale: Locale, role: Role) -> &'static str {
    match role {
        Role::Buyer => td_string!(locale, role_buyer),
        Role::Cooperative => td_string!(locale, role_cooperative),
        Role::Organiser => td_string!(locale, role_organiser),
        Role::Admin => td_string!(locale, role_admin),
    }
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = expect_context::<UserSession>();
    view! {
        <section class="card narrow">
            <h1>{t!(i18n, account_title)}</h1>
            <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move { match session.user.await {
                    Ok(Some(user)) => view! {
                        <dl class="facts" data-testid="account">
                            <dt>{t!(i18n, signed_in_as)}</dt><dd>{user.display_name.clone()}</dd>
                            <dt>{t!(i18n, email)}</dt><dd>{user.email.clone()}</dd>
                            <dt>{t!(i18n, role)}</dt><dd>{role_label(i18n.get_locale(), user.role)}</dd>
                        </dl>
                    }.into_any(),
                    Ok(None) => view! {
                        <p class="form-error" role="alert">{t!(i18n, errors.unauthenticated)}</p>
                        <p><a href="/login?next=/account">{t!(i18n, nav_login)}</a></p>
                    }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                } })}
            </Transition>
        </section>
    }
}

#[component]
pub fn AdminUsersPage() -> impl IntoView {
    let i18n = use_i18n();
    let page = crate::ui::pagination::page_from_query();
    let create = ServerAction::<CreateUser>::new();
    let regions = ServerAction::<SetUserRegions>::new();
    provide_context(regions);
    let users = Resource::new(
        move || (page(), create.version().get(), regions.version().get()),
        |(page, _, _)| list_users(page),
    );
    let created = crate::ui::forms::succeeded(create);
    let created = move || created.get();
    let create_error = Signal::derive(move || create.value().get().and_then(|r| r.err()));
    let field = move |name: &'static str| {
        Signal::derive(move || create_error.get().and_then(|e| e.field_error(name)))
    };
    view! {
        <section class="card">
            <h1>{t!(i18n, admin_users_title)}</h1>
            <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move { match users.await {
                    Ok(page) => view! { <UserTable page /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                } })}
            </Transition>
        </section>
        <section class="card narrow">
            <h2>{t!(i18n, admin_create_user)}</h2>
            <Show when=created><p class="notice" role="status">{t!(i18n, user_created)}</p></Show>
            <FormError error=Signal::derive(move || create_error.get().filter(|e| !matches!(e, AppError::Invalid(_)))) />
            <ActionForm action=create attr:novalidate=true attr:data-testid="create-user-form">
                <Field name="form[display_name]" id="new-user-name" required=true maxlength=80 error=field("display_name")>{t!(i18n, display_name)}</Field>
                <Field name="form[email]" id="new-user-email" kind="email" required=true error=field("email")>{t!(i18n, email)}</Field>
                <Field name="form[password]" id="new-user-password" kind="password" autocomplete="new-password" required=true error=field("password")>{t!(i18n, password)}</Field>
                <div class="field">
                    <label for="new-user-role">{t!(i18n, role)}</label>
                    <select id="new-user-role" name="form[role]">
                        {Role::ALL.into_iter().map(|role| view! {
                            <option value=role.as_str()>{move || role_label(i18n.get_locale(), role)}</option>
                        }).collect_view()}
                    </select>
                    {move || field("role").get().map(|code| view! { <p class="field-error">{error_text(i18n.get_locale(), code)}</p> })}
                </div>
                <button type="submit" disabled=move || create.pending().get()>{t!(i18n, submit_create_user)}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn UserTable(page: super::UserPage) -> impl IntoView {
    let i18n = use_i18n();
    if page.users.is_empty() {
        return view! { <p>{t!(i18n, users_empty)}</p> }.into_any();
    }
    let last_page = (page.total.max(1) as u32).div_ceil(page.per_page);
    let current = page.page;
    let rows = page
        .users
        .into_iter()
        .map(|user| {
            let reach = matches!(user.role, Role::Organiser | Role::Admin)
                .then(|| view! { <RegionsCell id=user.id regions=user.regions.clone() editable=user.role == Role::Organiser /> });
            view! {
                <tr>
                    <td>{user.display_name}</td>
                    <td>{user.email}</td>
                    <td>{move || role_label(i18n.get_locale(), user.role)}</td>
                    <td>{reach}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="table">
            <thead><tr><th>{t!(i18n, display_name)}</th><th>{t!(i18n, email)}</th><th>{t!(i18n, role)}</th><th>{t!(i18n, user_regions)}</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
        <nav class="pagination" aria-label=move || td_string!(i18n.get_locale(), page)>
            {(current > 1).then(|| view! { <a href=format!("?page={}", current - 1)>{t!(i18n, previous)}</a> })}
            <span>{format!("{current} / {last_page}")}</span>
            {(current < last_page).then(|| view! { <a href=format!("?page={}", current + 1)>{t!(i18n, next)}</a> })}
        </nav>
    }
    .into_any()
}

/// Where an organiser acts: its region codes (or the whole Kingdom), and for the admin a
/// plain form to change them (codes separated by commas; empty: the whole Kingdom).
#[component]
fn RegionsCell(id: i64, regions: Vec<String>, editable: bool) -> impl IntoView {
    let i18n = use_i18n();
    let action = use_context::<ServerAction<SetUserRegions>>();
    let shown = if regions.is_empty() {
        td_string!(i18n.get_locale_untracked(), whole_kingdom).to_owned()
    } else {
        regions.join(", ")
    };
    let form = action.filter(|_| editable).map(|action| {
        let error = Signal::derive(move || {
            action
                .value()
                .get()
                .and_then(|r| r.err())
                .and_then(|e| e.field_error("regions"))
        });
        view! {
            <ActionForm action attr:class="inline-form" attr:data-testid=format!("regions-form-{id}")>
                <input type="hidden" name="user_id" value=id />
                <label class="visually-hidden" for=format!("regions-{id}")>{t!(i18n, user_regions)}</label>
                <input id=format!("regions-{id}") name="regions" value=regions.join(",") placeholder="fes-meknes,oriental" />
                <button type="submit">{t!(i18n, save)}</button>
                {move || error.get().map(|code| view! { <p class="field-error">{error_text(i18n.get_locale(), code)}</p> })}
            </ActionForm>
        }
    });
    view! {
        <span data-testid=format!("regions-{id}-shown")>{shown}</span>
        {form}
    }
}
