//! Errors as the user reads them: translated, next to what caused them.
use crate::domain::ErrorCode;
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;

/// The message for an error code in a language.
pub fn error_text(locale: Locale, code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::Required => td_string!(locale, errors.required),
        ErrorCode::EmailMalformed => td_string!(locale, errors.email_malformed),
        ErrorCode::EmailTaken => td_string!(locale, errors.email_taken),
        ErrorCode::PasswordTooShort => td_string!(locale, errors.password_too_short),
        ErrorCode::PasswordTooLong => td_string!(locale, errors.password_too_long),
        ErrorCode::PasswordWeak => td_string!(locale, errors.password_weak),
        ErrorCode::TooLong => td_string!(locale, errors.too_long),
        ErrorCode::CredentialsWrong => td_string!(locale, errors.credentials_wrong),
        ErrorCode::RateLimited => td_string!(locale, errors.rate_limited),
        ErrorCode::Unauthenticated => td_string!(locale, errors.unauthenticated),
        ErrorCode::Forbidden => td_string!(locale, errors.forbidden),
        ErrorCode::NotFound => td_string!(locale, errors.not_found),
        ErrorCode::CrossOrigin => td_string!(locale, errors.cross_origin),
        ErrorCode::RoleUnknown => td_string!(locale, errors.role_unknown),
        ErrorCode::Invalid => td_string!(locale, errors.invalid),
        ErrorCode::Internal => td_string!(locale, errors.internal),
        ErrorCode::PriceInvalid => td_string!(locale, errors.price_invalid),
        ErrorCode::QuantityInvalid => td_string!(locale, errors.quantity_invalid),
        ErrorCode::NumberInvalid => td_string!(locale, errors.number_invalid),
        ErrorCode::StockInsufficient => td_string!(locale, errors.stock_insufficient),
        ErrorCode::CategoryUnknown => td_string!(locale, errors.category_unknown),
        ErrorCode::UnitUnknown => td_string!(locale, errors.unit_unknown),
        ErrorCode::UnitNetRequired => td_string!(locale, errors.unit_net_required),
        ErrorCode::SkuInvalid => td_string!(locale, errors.sku_invalid),
        ErrorCode::SkuTaken => td_string!(locale, errors.sku_taken),
        ErrorCode::RegistrationTaken => td_string!(locale, errors.registration_taken),
        ErrorCode::ProvinceUnknown => td_string!(locale, errors.province_unknown),
        ErrorCode::OutsideRegion => td_string!(locale, errors.outside_region),
        ErrorCode::ProvinceMismatch => td_string!(locale, errors.province_mismatch),
        ErrorCode::ImageInvalid => td_string!(locale, errors.image_invalid),
        ErrorCode::ImageTooLarge => td_string!(locale, errors.image_too_large),
        ErrorCode::FileTooLarge => td_string!(locale, errors.file_too_large),
        ErrorCode::BodyTooLarge => td_string!(locale, errors.body_too_large),
        ErrorCode::CsvMalformed => td_string!(locale, errors.csv_malformed),
        ErrorCode::CsvHeader => td_string!(locale, errors.csv_header),
        ErrorCode::DuplicateRow => td_string!(locale, errors.duplicate_row),
        ErrorCode::CooperativeMissing => td_string!(locale, errors.cooperative_missing),
        ErrorCode::CooperativeExists => td_string!(locale, errors.cooperative_exists),
        ErrorCode::ProgrammeUnknown => td_string!(locale, errors.programme_unknown),
        ErrorCode::ReasonRequired => td_string!(locale, errors.reason_required),
        ErrorCode::ProductArchived => td_string!(locale, errors.product_archived),
        ErrorCode::StatusInvalid => td_string!(locale, errors.status_invalid),
        ErrorCode::CertificateMissing => td_string!(locale, errors.certificate_missing),
        ErrorCode::QualitySignUnknown => td_string!(locale, errors.quality_sign_unknown),
        ErrorCode::TooManyPhotos => td_string!(locale, errors.too_many_photos),
        ErrorCode::CountInvalid => td_string!(locale, errors.count_invalid),
        ErrorCode::DateInvalid => td_string!(locale, errors.date_invalid),
        ErrorCode::DateInPast => td_string!(locale, errors.date_in_past),
        ErrorCode::TimeInvalid => td_string!(locale, errors.time_invalid),
        ErrorCode::ClosesBeforeOpens => td_string!(locale, errors.closes_before_opens),
        ErrorCode::EndsBeforeStarts => td_string!(locale, errors.ends_before_starts),
        ErrorCode::EventTooLong => td_string!(locale, errors.event_too_long),
        ErrorCode::StopOutsideDates => td_string!(locale, errors.stop_outside_dates),
        ErrorCode::StopsOverlap => td_string!(locale, errors.stops_overlap),
        ErrorCode::SiteUnknown => td_string!(locale, errors.site_unknown),
        ErrorCode::StopUnknown => td_string!(locale, errors.stop_unknown),
        ErrorCode::CapacityInvalid => td_string!(locale, errors.capacity_invalid),
        ErrorCode::StandValueInvalid => td_string!(locale, errors.stand_value_invalid),
        ErrorCode::StandNumberTaken => td_string!(locale, errors.stand_number_taken),
        ErrorCode::CapacityReached => td_string!(locale, errors.capacity_reached),
        ErrorCode::AlreadyApplied => td_string!(locale, errors.already_applied),
        ErrorCode::ApplicationsClosed => td_string!(locale, errors.applications_closed),
        ErrorCode::CooperativeUnverified => td_string!(locale, errors.cooperative_unverified),
        ErrorCode::StandTaken => td_string!(locale, errors.stand_taken),
        ErrorCode::StandLimit => td_string!(locale, errors.stand_limit),
        ErrorCode::NotAccepted => td_string!(locale, errors.not_accepted),
        ErrorCode::EventLocked => td_string!(locale, errors.event_locked),
        ErrorCode::CapacityBelowAccepted => td_string!(locale, errors.capacity_below_accepted),
        ErrorCode::StopsMissing => td_string!(locale, errors.stops_missing),
        ErrorCode::MarketLongerThanHours => td_string!(locale, errors.market_longer_than_hours),
        ErrorCode::LoadOverCapacity => td_string!(locale, errors.load_over_capacity),
        ErrorCode::SiteWithoutCoordinates => td_string!(locale, errors.site_without_coordinates),
        ErrorCode::SiteUnreachable => td_string!(locale, errors.site_unreachable),
        ErrorCode::DrivingLimitExceeded => td_string!(locale, errors.driving_limit_exceeded),
        ErrorCode::DaysTooFew => td_string!(locale, errors.days_too_few),
        ErrorCode::VehicleFull => td_string!(locale, errors.vehicle_full),
        ErrorCode::MatrixPairMissing => td_string!(locale, errors.matrix_pair_missing),
        ErrorCode::TourRunning => td_string!(locale, errors.tour_running),
        ErrorCode::StopsHaveApplicants => td_string!(locale, errors.stops_have_applicants),
        ErrorCode::StopHasOrders => td_string!(locale, errors.stop_has_orders),
        ErrorCode::OrderNotMovable => td_string!(locale, errors.order_not_movable),
        ErrorCode::MustVisitMissing => td_string!(locale, errors.must_visit_missing),
        ErrorCode::NothingToSettle => td_string!(locale, errors.nothing_to_settle),
        ErrorCode::PeriodTooLong => td_string!(locale, errors.period_too_long),
        ErrorCode::RegionUnknown => td_string!(locale, errors.region_unknown),
        ErrorCode::EventUnknown => td_string!(locale, errors.event_unknown),
        ErrorCode::CooperativeUnknown => td_string!(locale, errors.cooperative_unknown),
        ErrorCode::SignatureInvalid => td_string!(locale, errors.signature_invalid),
        ErrorCode::PaymentProvider => td_string!(locale, errors.payment_provider),
        ErrorCode::CardUnavailable => td_string!(locale, errors.card_unavailable),
        ErrorCode::PaymentPending => td_string!(locale, errors.payment_pending),
        ErrorCode::CodeLocked => td_string!(locale, errors.code_locked),
        ErrorCode::CodeWrong => td_string!(locale, errors.code_wrong),
        ErrorCode::OrderNotCancellable => td_string!(locale, errors.order_not_cancellable),
        ErrorCode::ProductUnavailable => td_string!(locale, errors.product_unavailable),
        ErrorCode::DeliveryNotOffered => td_string!(locale, errors.delivery_not_offered),
        ErrorCode::CooperativeNotAtPickup => td_string!(locale, errors.cooperative_not_at_pickup),
        ErrorCode::PickupClosed => td_string!(locale, errors.pickup_closed),
        ErrorCode::IdempotencyKeyReused => td_string!(locale, errors.idempotency_key_reused),
        ErrorCode::IdempotencyKeyRequired => td_string!(locale, errors.idempotency_key_required),
        ErrorCode::AddressTooShort => td_string!(locale, errors.address_too_short),
        ErrorCode::PickupRequired => td_string!(locale, errors.pickup_required),
        ErrorCode::TooManyLines => td_string!(locale, errors.too_many_lines),
        ErrorCode::CartEmpty => td_string!(locale, errors.cart_empty),
    }
}

/// The code an upload's redirect names in its query (`?photo_error=image_invalid`).
pub fn upload_error_code(code: &str) -> ErrorCode {
    match code {
        "image_invalid" => ErrorCode::ImageInvalid,
        "image_too_large" => ErrorCode::ImageTooLarge,
        "too_many_photos" => ErrorCode::TooManyPhotos,
        "forbidden" => ErrorCode::Forbidden,
        "not_found" => ErrorCode::NotFound,
        "required" => ErrorCode::Required,
        _ => ErrorCode::Invalid,
    }
}

/// An error in place of what failed to load or save, announced to screen readers.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="form-error" role="alert">{move || error_text(i18n.get_locale(), error.code())}</p> }
}

/// The message of a whole-form error, if there is one.
#[component]
pub fn FormError(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    move || error.get().map(|error| view! { <ErrorNotice error /> })
}

/// The 404 page; on the server it sets the status too.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    let i18n = use_i18n();
    view! {
        <section class="card narrow">
            <h1>{t!(i18n, not_found_title)}</h1>
            <p>{t!(i18n, not_found_text)}</p>
            <p><a href="/">{t!(i18n, back_home)}</a></p>
        </section>
    }
}

/// Sends the browser on to `path` (303) when rendered on the server in an async route,
/// with a plain link in the page for anything that does not follow redirects.
#[component]
pub fn SeeOther(path: String) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::SEE_OTHER);
        if let Ok(location) = axum::http::HeaderValue::from_str(&path) {
            response.insert_header(axum::http::header::LOCATION, location);
        }
    }
    view! { <p><a href=path.clone()>{path.clone()}</a></p> }
}

/// What an error boundary shows in place of a page that failed.
#[component]
pub fn ErrorPage(errors: ArcRwSignal<Errors>) -> impl IntoView {
    let i18n = use_i18n();
    let messages = move || {
        errors
            .get()
            .into_iter()
            .map(|(_, error)| {
                let code = error
                    .downcast_ref::<AppError>()
                    .map(AppError::code)
                    .unwrap_or(ErrorCode::Internal);
                view! { <li>{error_text(i18n.get_locale(), code)}</li> }
            })
            .collect_view()
    };
    view! {
        <section class="card narrow" role="alert">
            <h1>{t!(i18n, error_title)}</h1>
            <ul>{messages}</ul>
            <p><a href="/">{t!(i18n, back_home)}</a></p>
        </section>
    }
}
