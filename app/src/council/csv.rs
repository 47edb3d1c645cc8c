//! The indicators' tables as CSV: one file per table, headed by column codes, amounts in
//! MAD with two decimals (as the payout statement), names in French and Arabic.
use super::Indicators;
use crate::domain::council::SalesRow;

fn mad(centimes: i64) -> String {
    format!(
        "{}{}.{:02}",
        if centimes < 0 { "-" } else { "" },
        centimes.abs() / 100,
        centimes.abs() % 100
    )
}

/// A field quoted when it holds a comma, a quote or a line break.
fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

fn sales(rows: &[SalesRow], key: &str) -> String {
    let mut out = format!("{key},name_fr,name_ar,cash_mad,card_mad,total_mad,units\n");
    for r in rows {
        out.push_str(&format!(
            "{},{},{},{},{},{},{}\n",
            field(&r.key),
            field(&r.label_fr),
            field(&r.label_ar),
            mad(r.cash),
            mad(r.card),
            mad(r.total()),
            r.units
        ));
    }
    out
}

/// The CSV of one of `super::TABLES`, or `None` for another name.
pub fn table(indicators: &Indicators, name: &str) -> Option<String> {
    Some(match name {
        "months" => sales(&indicators.months, "month"),
        "provinces" => sales(&indicators.provinces, "province"),
        "events" => sales(&indicators.events, "event"),
        "categories" => sales(&indicators.categories, "category"),
        "markets" => {
            let mut out = String::from(
                "event,name_fr,name_ar,starts_on,applications,accepted,waitlisted,stands,stands_taken\n",
            );
            for m in &indicators.markets {
                out.push_str(&format!(
                    "{},{},{},{},{},{},{},{},{}\n",
                    m.event_id,
                    field(&m.name_fr),
                    field(&m.name_ar),
                    m.starts_on,
                    m.applications,
                    m.accepted,
                    m.waitlisted,
                    m.stands,
                    m.stands_taken
                ));
            }
            out
        }
        "stops" => {
            let mut out = String::from("stop,day,site_fr,site_ar,buyers,orders\n");
            for s in &indicators.stops {
                out.push_str(&format!(
                    "{},{},{},{},{},{}\n",
                    s.stop_id,
                    s.day,
                    field(&s.site_fr),
                    field(&s.site_ar),
                    s.buyers,
                    s.orders
                ));
            }
            out
        }
        "programmes" => {
            let mut out = String::from(
                "programme,name_fr,name_ar,cooperatives,sales_mad,enrolled,support_mad,sales_before_mad,sales_after_mad\n",
            );
            for p in &indicators.programmes {
                out.push_str(&format!(
                    "{},{},{},{},{},{},{},{},{}\n",
                    field(&p.code),
                    field(&p.name_fr),
                    field(&p.name_ar),
                    p.cooperatives,
                    mad(p.sales),
                    p.enrolled,
                    mad(p.support),
                    mad(p.sales_before),
                    mad(p.sales_after)
                ));
            }
            out
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_with_commas_are_quoted_and_amounts_are_mad() {
        let indicators = Indicators {
            provinces: vec![SalesRow {
                key: "fes".into(),
                label_fr: "Fès, \"la ville\"".into(),
                label_ar: "فاس".into(),
                label_en: "Fez".into(),
                cash: 12_345,
                card: 5,
                units: 3,
            }],
            ..Indicators::default()
        };
        assert_eq!(
            table(&indicators, "provinces").as_deref(),
            Some(
                "province,name_fr,name_ar,cash_mad,card_mad,total_mad,units\n\
                 fes,\"Fès, \"\"la ville\"\"\",فاس,123.45,0.05,123.50,3\n"
            )
        );
        assert_eq!(table(&indicators, "secrets"), None);
    }
}
