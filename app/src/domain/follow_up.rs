//! The council's programme follow-up as forms: a cooperative's enrolment in a programme
//! (dates, status, the support received and its amount in MAD) and an accompaniment
//! session (its kind, day, place, topic and the cooperatives present).
use super::catalogue::{parse_text, Centimes};
use super::markets::Day;
use super::{ErrorCode, FieldErrors};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

code_enum! {
    /// Where an enrolment stands.
    EnrolmentStatus { Active = "active", Completed = "completed", Withdrawn = "withdrawn" }
}

code_enum! {
    /// What the hub offered in a session.
    SessionKind {
        Training = "training",
        Incubation = "incubation",
        Workspace = "workspace",
        Laboratory = "laboratory",
    }
}

const SUPPORT_MAX: usize = 1000;
const TOPIC_MAX: usize = 200;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolmentForm {
    pub cooperative: String,
    pub programme: String,
    pub starts_on: String,
    #[serde(default)]
    pub ends_on: String,
    pub status: String,
    #[serde(default)]
    pub support: String,
    /// MAD (`12500`, `12 500,50`); empty: none.
    #[serde(default)]
    pub amount: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnrolmentDraft {
    pub cooperative_id: i64,
    pub programme: String,
    pub starts_on: Day,
    pub ends_on: Option<Day>,
    pub status: EnrolmentStatus,
    pub support: String,
    /// Centimes.
    pub amount: i64,
}

fn parse_id(raw: &str) -> Result<i64, ErrorCode> {
    match raw.trim() {
        "" => Err(ErrorCode::Required),
        raw => raw
            .parse::<i64>()
            .ok()
            .filter(|id| *id > 0)
            .ok_or(ErrorCode::Invalid),
    }
}

/// An amount of MAD that may be zero or left empty (nothing given).
fn parse_amount(raw: &str) -> Result<i64, ErrorCode> {
    match raw.trim() {
        "" | "0" => Ok(0),
        raw => Centimes::parse_price(raw).map(Centimes::get),
    }
}

impl EnrolmentForm {
    pub fn parse(&self) -> Result<EnrolmentDraft, FieldErrors> {
        let mut e = FieldErrors::new();
        let cooperative_id = e.check("cooperative", parse_id(&self.cooperative));
        let programme = e.check("programme", parse_text(&self.programme, 60, true));
        let starts_on = e.check("starts_on", Day::parse(&self.starts_on));
        let ends_on = match self.ends_on.trim() {
            "" => Some(None),
            raw => e.check("ends_on", Day::parse(raw)).map(Some),
        };
        if let (Some(start), Some(Some(end))) = (starts_on, ends_on) {
            if end < start {
                e.add("ends_on", ErrorCode::EndsBeforeStarts);
            }
        }
        let status = e.check(
            "status",
            EnrolmentStatus::from_code(self.status.trim()).ok_or(ErrorCode::Invalid),
        );
        let support = e.check("support", parse_text(&self.support, SUPPORT_MAX, false));
        let amount = e.check("amount", parse_amount(&self.amount));
        match (
            cooperative_id,
            programme,
            starts_on,
            ends_on,
            status,
            support,
            amount,
        ) {
            (
                Some(cooperative_id),
                Some(programme),
                Some(starts_on),
                Some(ends_on),
                Some(status),
                Some(support),
                Some(amount),
            ) if e.is_empty() => Ok(EnrolmentDraft {
                cooperative_id,
                programme: programme.to_lowercase(),
                starts_on,
                ends_on,
                status,
                support,
                amount,
            }),
            _ => Err(e),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionForm {
    pub kind: String,
    pub held_on: String,
    pub place: String,
    pub topic: String,
    /// A programme's code; empty: none.
    #[serde(default)]
    pub programme: String,
    /// The cooperatives present: one checkbox each, named by the cooperative's id.
    #[serde(default)]
    pub present: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionDraft {
    pub kind: SessionKind,
    pub held_on: Day,
    pub place: String,
    pub topic: String,
    pub programme: Option<String>,
    pub cooperatives: Vec<i64>,
}

impl SessionForm {
    pub fn parse(&self) -> Result<SessionDraft, FieldErrors> {
        let mut e = FieldErrors::new();
        let kind = e.check(
            "kind",
            SessionKind::from_code(self.kind.trim()).ok_or(ErrorCode::Invalid),
        );
        let held_on = e.check("held_on", Day::parse(&self.held_on));
        let place = e.check("place", parse_text(&self.place, TOPIC_MAX, true));
        let topic = e.check("topic", parse_text(&self.topic, TOPIC_MAX, true));
        let programme = Some(self.programme.trim().to_lowercase()).filter(|p| !p.is_empty());
        let mut cooperatives = Vec::new();
        for id in self.present.keys() {
            match parse_id(id) {
                Ok(id) => cooperatives.push(id),
                Err(_) => e.add("present", ErrorCode::Invalid),
            }
        }
        if cooperatives.is_empty() && e.get("present").is_none() {
            e.add("present", ErrorCode::Required);
        }
        match (kind, held_on, place, topic) {
            (Some(kind), Some(held_on), Some(place), Some(topic)) if e.is_empty() => {
                Ok(SessionDraft {
                    kind,
                    held_on,
                    place,
                    topic,
                    programme,
                    cooperatives,
                })
            }
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enrolment() -> EnrolmentForm {
        EnrolmentForm {
            cooperative: "3".into(),
            programme: "Tamkine".into(),
            starts_on: "2026-03-01".into(),
            status: "active".into(),
            support: "Formation et équipement".into(),
            amount: "12 500,50".into(),
            ..EnrolmentForm::default()
        }
    }

    #[test]
    fn an_enrolment_reads_its_amount_in_mad() {
        let draft = enrolment().parse().expect("valid");
        assert_eq!(draft.amount, 1_250_050);
        assert_eq!(draft.programme, "tamkine");
        assert_eq!(draft.ends_on, None);
        let free = EnrolmentForm {
            amount: String::new(),
            ..enrolment()
        };
        assert_eq!(free.parse().expect("valid").amount, 0);
    }

    #[test]
    fn a_bad_enrolment_names_each_field() {
        let bad = EnrolmentForm {
            cooperative: "abc".into(),
            ends_on: "2026-02-01".into(),
            status: "eternal".into(),
            amount: "beaucoup".into(),
            ..enrolment()
        };
        let errors = bad.parse().expect_err("refused");
        assert_eq!(errors.get("cooperative"), Some(ErrorCode::Invalid));
        assert_eq!(errors.get("ends_on"), Some(ErrorCode::EndsBeforeStarts));
        assert_eq!(errors.get("status"), Some(ErrorCode::Invalid));
        assert_eq!(errors.get("amount"), Some(ErrorCode::PriceInvalid));
    }

    #[test]
    fn a_session_needs_someone_present() {
        let mut form = SessionForm {
            kind: "training".into(),
            held_on: "2026-11-20".into(),
            place: "Maison de l'ESS, Fès".into(),
            topic: "Emballage et étiquetage".into(),
            ..SessionForm::default()
        };
        assert_eq!(
            form.parse().expect_err("nobody").get("present"),
            Some(ErrorCode::Required)
        );
        form.present.insert("4".into(), "on".into());
        form.present.insert("9".into(), "on".into());
        assert_eq!(form.parse().expect("valid").cooperatives, vec![4, 9]);
        form.kind = "party".into();
        assert_eq!(
            form.parse().expect_err("kind").get("kind"),
            Some(ErrorCode::Invalid)
        );
    }
}
