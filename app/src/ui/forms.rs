//! Accessible form fields: a label, the input, a hint and the field's own error.
use super::errors::error_text;
use crate::domain::ErrorCode;
use crate::i18n::*;
use leptos::prelude::*;

/// The cookie a refused plain form post comes back with: its fields (no password),
/// URL-encoded, read once by the page it returns to (`server::middleware`).
pub const TYPED_COOKIE: &str = "souk_typed";

/// What the person typed into field `name` before a refused plain post, if anything.
pub fn typed_value(name: &str) -> Option<String> {
    let cookie = request_cookie(TYPED_COOKIE)?;
    cookie.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (percent_decode(key) == name).then(|| percent_decode(value))
    })
}

/// A cookie of the request the page is rendered for (`None` in the browser).
pub fn request_cookie(name: &str) -> Option<String> {
    #[cfg(feature = "ssr")]
    {
        let parts = use_context::<axum::http::request::Parts>()?;
        crate::accounts::session::cookie_value(&parts.headers, name)
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = name;
        None
    }
}

/// Decodes one `application/x-www-form-urlencoded` key or value.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() && text.is_char_boundary(i + 3) => {
                match u8::from_str_radix(&text[i + 1..i + 3], 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// One labelled input. `name` is the form key (`form[email]`), `id` the element id.
#[component]
pub fn Field(
    name: &'static str,
    id: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional)] required: bool,
    #[prop(optional)] maxlength: Option<usize>,
    #[prop(optional, into)] hint: Option<Signal<String>>,
    #[prop(optional, into)] value: Option<String>,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(into)] error: Signal<Option<ErrorCode>>,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    // A refused post comes back with what was typed (never a password).
    let value = if kind == "password" {
        value
    } else {
        typed_value(name).or(value)
    };
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described_by = {
        let (hint_id, error_id, has_hint) = (hint_id.clone(), error_id.clone(), hint.is_some());
        move || {
            let mut ids = Vec::new();
            if has_hint {
                ids.push(hint_id.clone());
            }
            if error.get().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field" class:invalid=move || error.get().is_some()>
            <label for=id>{children()}</label>
            <input
                id=id
                name=name
                type=kind
                autocomplete=autocomplete
                required=required
                maxlength=maxlength
                value=value
                inputmode=inputmode
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=described_by
                // A refused form comes back with focus on its first wrong field (the
                // browser focuses the first `autofocus` in the page), without script.
                autofocus=move || error.get().is_some()
            />
            {hint.map(|hint| view! { <p class="hint" id=hint_id>{hint}</p> })}
            {move || error.get().map(|code| {
                view! { <p class="field-error" id=error_id.clone()>{error_text(i18n.get_locale(), code)}</p> }
            })}
        </div>
    }
}

/// A labelled multi-line text, with its error.
#[component]
pub fn TextArea(
    name: &'static str,
    id: &'static str,
    #[prop(optional, into)] value: Option<String>,
    #[prop(optional)] dir: Option<&'static str>,
    #[prop(default = 4)] rows: u32,
    #[prop(into)] error: Signal<Option<ErrorCode>>,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let value = typed_value(name).or(value);
    let error_id = format!("{id}-error");
    let described = error_id.clone();
    view! {
        <div class="field" class:invalid=move || error.get().is_some()>
            <label for=id>{children()}</label>
            <textarea id=id name=name rows=rows dir=dir
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=move || error.get().is_some().then(|| described.clone())
            >{value.unwrap_or_default()}</textarea>
            {move || error.get().map(|code| {
                view! { <p class="field-error" id=error_id.clone()>{error_text(i18n.get_locale(), code)}</p> }
            })}
        </div>
    }
}

/// Options under a heading (`<optgroup>`): the heading and its `(value, label)` options.
pub type OptionGroup = (String, Vec<(String, String)>);

/// A labelled choice among `(value, label)` options, and options in groups (after them),
/// with its error.
#[component]
pub fn Select(
    name: &'static str,
    id: &'static str,
    #[prop(optional)] options: Vec<(String, String)>,
    #[prop(optional)] groups: Vec<OptionGroup>,
    #[prop(optional, into)] selected: Option<String>,
    /// A first, empty option ("any" in a filter, "choose" in a form).
    #[prop(optional, into)]
    empty: Option<String>,
    #[prop(into)] error: Signal<Option<ErrorCode>>,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let selected = typed_value(name).or(selected).unwrap_or_default();
    view! {
        <div class="field" class:invalid=move || error.get().is_some()>
            <label for=id>{children()}</label>
            <select id=id name=name aria-invalid=move || error.get().is_some().then_some("true")>
                {empty.map(|label| view! { <option value="">{label}</option> })}
                {options.into_iter().map(|(value, label)| {
                    let is_selected = value == selected;
                    view! { <option value=value selected=is_selected>{label}</option> }
                }).collect_view()}
                {groups.into_iter().map(|(heading, options)| view! {
                    <optgroup label=heading>
                        {options.into_iter().map(|(value, label)| {
                            let is_selected = value == selected;
                            view! { <option value=value selected=is_selected>{label}</option> }
                        }).collect_view()}
                    </optgroup>
                }).collect_view()}
            </select>
            {move || error.get().map(|code| view! { <p class="field-error">{error_text(i18n.get_locale(), code)}</p> })}
        </div>
    }
}

/// The error of one field of a server action's last answer.
pub fn action_field_error<S>(
    action: leptos::prelude::ServerAction<S>,
    field: &'static str,
) -> Signal<Option<ErrorCode>>
where
    S: leptos::server_fn::ServerFn<Error = crate::error::AppError> + Clone + Send + Sync + 'static,
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

/// A whole-form error of a server action's last answer (not a field's).
pub fn action_form_error<S>(
    action: leptos::prelude::ServerAction<S>,
) -> Signal<Option<crate::error::AppError>>
where
    S: leptos::server_fn::ServerFn<Error = crate::error::AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    Signal::derive(move || {
        action
            .value()
            .get()
            .and_then(|r| r.err())
            .filter(|e| !matches!(e, crate::error::AppError::Invalid(_)))
    })
}

/// Whether the action has just succeeded: in this page's life (an island or a test), or
/// in the plain form post that led back here (the server marks it `?__ok=<its path>`).
pub fn succeeded<S>(action: leptos::prelude::ServerAction<S>) -> Signal<bool>
where
    S: leptos::server_fn::ServerFn<Error = crate::error::AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    let query = leptos_router::hooks::use_query_map();
    Signal::derive(move || {
        matches!(action.value().get(), Some(Ok(_)))
            || query.read().get("__ok").as_deref() == Some(S::PATH)
    })
}

/// Runs `callback` each time the action succeeds (not when it is refused, so that the
/// form keeps its error messages in view).
pub fn on_success<S>(action: leptos::prelude::ServerAction<S>, callback: Callback<()>)
where
    S: leptos::server_fn::ServerFn<Error = crate::error::AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    Effect::new(move |_| {
        if matches!(action.value().get(), Some(Ok(_))) {
            callback.run(());
        }
    });
}

/// The `from` and `to` of the address (a period form's GET fields), empty when absent.
pub fn period_from_url() -> impl Fn() -> (String, String) + Copy + Send + Sync + 'static {
    let query = leptos_router::hooks::use_query_map();
    move || {
        let q = query.read();
        (
            q.get("from").unwrap_or_default(),
            q.get("to").unwrap_or_default(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::percent_decode;

    #[test]
    fn form_values_are_decoded() {
        assert_eq!(percent_decode("form%5Bemail%5D"), "form[email]");
        assert_eq!(percent_decode("Salma+B%C3%A9"), "Salma Bé");
        assert_eq!(percent_decode("100%"), "100%");
    }
}
