//! `/cooperative/import`: a cooperative's products from a CSV file, checked then applied.
use super::super::api::{ApplyImport, PreviewImport};
use super::super::ImportReport;
use crate::cooperatives::api::my_cooperative;
use crate::i18n::*;
use crate::ui::errors::{error_text, ErrorNotice};
use leptos::prelude::*;

/// `/cooperative/import`: paste or choose a CSV file, check it, apply it. One plain form
/// with two buttons (check, apply); applying writes every row or, if any is wrong, none.
#[component]
pub fn ImportPage() -> impl IntoView {
    let i18n = use_i18n();
    let cooperative = Resource::new(|| (), |_| my_cooperative());
    let preview = ServerAction::<PreviewImport>::new();
    let apply = ServerAction::<ApplyImport>::new();
    let query = leptos_router::hooks::use_query_map();
    let last = Signal::derive(move || {
        let refused = apply
            .value()
            .get()
            .or_else(|| preview.value().get())
            .filter(Result::is_err);
        refused.or_else(|| {
            query
                .read()
                .get("report")
                .and_then(|json| report_from_query(&json))
                .map(Ok)
        })
    });
    view! {
        <section class="card">
            <h1>{t!(i18n, import_title)}</h1>
            <p>{t!(i18n, import_intro)}</p>
            <p class="hint" dir="ltr"><code>{crate::catalogue::CSV_COLUMNS.join(",")}</code></p>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move { match cooperative.await {
                    Ok(Some(c)) => {
                        let id = c.summary.id;
                        view! {
                            <div class="field" id="csv-file-field" hidden>
                                <label for="csv-file">{t!(i18n, choose_file)}</label>
                                <input id="csv-file" type="file" accept=".csv,text/csv" />
                            </div>
                            <CsvFilePicker />
                            <form method="post" action={<PreviewImport as leptos::server_fn::ServerFn>::url()} data-testid="import-form">
                                <input type="hidden" name="cooperative_id" value=id />
                                <div class="field">
                                    <label for="csv-text">{t!(i18n, csv_content)}</label>
                                    <textarea id="csv-text" name="csv" rows="10" dir="ltr"></textarea>
                                </div>
                                <div class="actions">
                                    <button type="submit">{t!(i18n, preview_import)}</button>
                                    <button type="submit" class="secondary" formaction={<ApplyImport as leptos::server_fn::ServerFn>::url()} data-testid="apply-import">{t!(i18n, apply_import)}</button>
                                </div>
                            </form>
                            <ImportResult report=last />
                        }.into_any()
                    }
                    Ok(None) => view! { <p class="form-error" role="alert">{t!(i18n, errors.cooperative_missing)}</p> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                } })}
            </Suspense>
        </section>
    }
}

/// The report a plain form post was sent back with (pages render on the server).
fn report_from_query(json: &str) -> Option<ImportReport> {
    #[cfg(feature = "ssr")]
    return serde_json::from_str(json).ok();
    #[cfg(not(feature = "ssr"))]
    {
        let _ = json;
        None
    }
}

/// Reads a chosen CSV file into the import form's text (`#csv-text`). Without script the
/// file field stays hidden and the text is pasted; the island only saves copying it.
#[island]
fn CsvFilePicker() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    {
        use crate::ui::browser::{by_id_as, listen, show};
        show("csv-file-field");
        listen("csv-file", "change", |_| {
            let file = by_id_as::<web_sys::HtmlInputElement>("csv-file")
                .and_then(|input| input.files())
                .and_then(|files| files.get(0));
            if let Some(file) = file {
                leptos::task::spawn_local(async move {
                    if let Ok(text) = wasm_bindgen_futures::JsFuture::from(file.text()).await {
                        if let Some(area) = by_id_as::<web_sys::HtmlTextAreaElement>("csv-text") {
                            area.set_value(&text.as_string().unwrap_or_default());
                        }
                    }
                });
            }
        });
    }
}

#[component]
fn ImportResult(
    report: Signal<Option<Result<ImportReport, crate::error::AppError>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        report.get().map(|result| match result {
        Ok(r) => {
            let locale = i18n.get_locale();
            view! {
                <div class="import-report" data-testid="import-report">
                    {if r.applied {
                        view! { <p class="notice" role="status">{t!(i18n, import_applied, created = r.created, updated = r.updated, unchanged = r.unchanged)}</p> }.into_any()
                    } else {
                        view! { <p role="status">{t!(i18n, import_preview, rows = r.rows, created = r.created, updated = r.updated, unchanged = r.unchanged)}</p> }.into_any()
                    }}
                    {(!r.problems.is_empty()).then(|| view! {
                        <p class="form-error" role="alert">{t!(i18n, import_problems, n = r.problems.len())}</p>
                        <table class="table" data-testid="import-problems">
                            <thead><tr><th>{t!(i18n, line)}</th><th>{t!(i18n, column)}</th><th>{t!(i18n, reason)}</th></tr></thead>
                            <tbody>
                                {r.problems.iter().map(|p| view! {
                                    <tr><td>{p.line}</td><td dir="ltr">{p.column.clone()}</td><td>{error_text(locale, p.code)}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    })}
                </div>
            }.into_any()
        }
        Err(error) => view! { <ErrorNotice error /> }.into_any(),
    })
    }
}
