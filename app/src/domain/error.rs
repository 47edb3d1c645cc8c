//! What can be wrong with a request, as codes the UI translates.
use serde::{Deserialize, Serialize};

/// A reason a request was refused, independent of language. The UI and the JSON API
/// turn it into a message in the user's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    Required,
    EmailMalformed,
    EmailTaken,
    PasswordTooShort,
    PasswordTooLong,
    PasswordWeak,
    TooLong,
    CredentialsWrong,
    RateLimited,
    Unauthenticated,
    Forbidden,
    NotFound,
    CrossOrigin,
    RoleUnknown,
    Invalid,
    Internal,
    PriceInvalid,
    QuantityInvalid,
    NumberInvalid,
    StockInsufficient,
    CategoryUnknown,
    UnitUnknown,
    UnitNetRequired,
    SkuInvalid,
    SkuTaken,
    RegistrationTaken,
    ProvinceUnknown,
    OutsideRegion,
    ImageInvalid,
    ImageTooLarge,
    FileTooLarge,
    CsvMalformed,
    CsvHeader,
    DuplicateRow,
    CooperativeMissing,
    CooperativeExists,
    ProgrammeUnknown,
    ReasonRequired,
    ProductArchived,
    StatusInvalid,
    CertificateMissing,
    QualitySignUnknown,
    TooManyPhotos,
    CountInvalid,
    DateInvalid,
    DateInPast,
    TimeInvalid,
    ClosesBeforeOpens,
    EndsBeforeStarts,
    EventTooLong,
    StopOutsideDates,
    StopsOverlap,
    SiteUnknown,
    StopUnknown,
    CapacityInvalid,
    StandValueInvalid,
    StandNumberTaken,
    CapacityReached,
    AlreadyApplied,
    ApplicationsClosed,
    CooperativeUnverified,
    StandTaken,
    StandLimit,
    NotAccepted,
    EventLocked,
    CapacityBelowAccepted,
    StopsMissing,
    MarketLongerThanHours,
    LoadOverCapacity,
    SiteWithoutCoordinates,
    SiteUnreachable,
    DrivingLimitExceeded,
    DaysTooFew,
    VehicleFull,
    MatrixPairMissing,
    TourRunning,
    StopsHaveApplicants,
    MustVisitMissing,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Required => "required",
            Self::EmailMalformed => "email_malformed",
            Self::EmailTaken => "email_taken",
            Self::PasswordTooShort => "password_too_short",
            Self::PasswordTooLong => "password_too_long",
            Self::PasswordWeak => "password_weak",
            Self::TooLong => "too_long",
            Self::CredentialsWrong => "credentials_wrong",
            Self::RateLimited => "rate_limited",
            Self::Unauthenticated => "unauthenticated",
            Self::Forbidden => "forbidden",
            Self::NotFound => "not_found",
            Self::CrossOrigin => "cross_origin",
            Self::RoleUnknown => "role_unknown",
            Self::Invalid => "invalid",
            Self::Internal => "internal",
            Self::PriceInvalid => "price_invalid",
            Self::QuantityInvalid => "quantity_invalid",
            Self::NumberInvalid => "number_invalid",
            Self::StockInsufficient => "stock_insufficient",
            Self::CategoryUnknown => "category_unknown",
            Self::UnitUnknown => "unit_unknown",
            Self::UnitNetRequired => "unit_net_required",
            Self::SkuInvalid => "sku_invalid",
            Self::SkuTaken => "sku_taken",
            Self::RegistrationTaken => "registration_taken",
            Self::ProvinceUnknown => "province_unknown",
            Self::OutsideRegion => "outside_region",
            Self::ImageInvalid => "image_invalid",
            Self::ImageTooLarge => "image_too_large",
            Self::FileTooLarge => "file_too_large",
            Self::CsvMalformed => "csv_malformed",
            Self::CsvHeader => "csv_header",
            Self::DuplicateRow => "duplicate_row",
            Self::CooperativeMissing => "cooperative_missing",
            Self::CooperativeExists => "cooperative_exists",
            Self::ProgrammeUnknown => "programme_unknown",
            Self::ReasonRequired => "reason_required",
            Self::ProductArchived => "product_archived",
            Self::StatusInvalid => "status_invalid",
            Self::CertificateMissing => "certificate_missing",
            Self::QualitySignUnknown => "quality_sign_unknown",
            Self::TooManyPhotos => "too_many_photos",
            Self::CountInvalid => "count_invalid",
            Self::DateInvalid => "date_invalid",
            Self::DateInPast => "date_in_past",
            Self::TimeInvalid => "time_invalid",
            Self::ClosesBeforeOpens => "closes_before_opens",
            Self::EndsBeforeStarts => "ends_before_starts",
            Self::EventTooLong => "event_too_long",
            Self::StopOutsideDates => "stop_outside_dates",
            Self::StopsOverlap => "stops_overlap",
            Self::SiteUnknown => "site_unknown",
            Self::StopUnknown => "stop_unknown",
            Self::CapacityInvalid => "capacity_invalid",
            Self::StandValueInvalid => "stand_value_invalid",
            Self::StandNumberTaken => "stand_number_taken",
            Self::CapacityReached => "capacity_reached",
            Self::AlreadyApplied => "already_applied",
            Self::ApplicationsClosed => "applications_closed",
            Self::CooperativeUnverified => "cooperative_unverified",
            Self::StandTaken => "stand_taken",
            Self::StandLimit => "stand_limit",
            Self::NotAccepted => "not_accepted",
            Self::EventLocked => "event_locked",
            Self::CapacityBelowAccepted => "capacity_below_accepted",
            Self::StopsMissing => "stops_missing",
            Self::MarketLongerThanHours => "market_longer_than_hours",
            Self::LoadOverCapacity => "load_over_capacity",
            Self::SiteWithoutCoordinates => "site_without_coordinates",
            Self::SiteUnreachable => "site_unreachable",
            Self::DrivingLimitExceeded => "driving_limit_exceeded",
            Self::DaysTooFew => "days_too_few",
            Self::VehicleFull => "vehicle_full",
            Self::MatrixPairMissing => "matrix_pair_missing",
            Self::TourRunning => "tour_running",
            Self::StopsHaveApplicants => "stops_have_applicants",
            Self::MustVisitMissing => "must_visit_missing",
        }
    }
}

/// Field name → what is wrong with it, in the order the fields were checked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors(pub Vec<(String, ErrorCode)>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: &str, code: ErrorCode) {
        self.0.push((field.to_owned(), code));
    }

    /// Records the error of a parse, if any, and hands back the parsed value.
    pub fn check<T>(&mut self, field: &str, parsed: Result<T, ErrorCode>) -> Option<T> {
        parsed.map_err(|code| self.add(field, code)).ok()
    }

    pub fn get(&self, field: &str) -> Option<ErrorCode> {
        self.0.iter().find(|(f, _)| f == field).map(|(_, c)| *c)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
