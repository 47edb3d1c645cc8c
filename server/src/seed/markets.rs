//! The demo salon and tour, planned through the same services an organiser uses: a
//! regional salon in Meknès with its stand plan, open for applications, and a published
//! travelling market across five provinces, with applications in every state.
use super::SeedFailure;
use app::accounts::CurrentUser;
use app::cooperatives::service::Member;
use app::db::Db;
use app::domain::markets::{
    ApplicationDraft, ApplicationStatus, EventForm, EventStatus, StandsForm, StopForm,
};
use app::domain::{CooperativeStatus, Role};
use app::markets::{applications, lifecycle, plan};
use app::notifications::service::Outbox;
use sqlx::Row;

fn fail(what: &str) -> impl Fn(app::error::AppError) -> SeedFailure + '_ {
    move |e| SeedFailure::Catalogue(format!("demo markets, {what}: {e:?}"))
}

async fn id_of(db: &Db, sql: &str, key: &str) -> Result<i64, SeedFailure> {
    sqlx::query(sql)
        .bind(key)
        .fetch_one(db.pool())
        .await
        .and_then(|row| row.try_get::<i64, _>("id"))
        .map_err(|e| SeedFailure::Catalogue(format!("demo markets, {key}: {e}")))
}

async fn member(db: &Db, registration: &str) -> Result<Member, SeedFailure> {
    Ok(Member {
        user_id: 0,
        cooperative_id: id_of(
            db,
            "SELECT id FROM cooperatives WHERE registration_number = $1",
            registration,
        )
        .await?,
        status: CooperativeStatus::Verified,
    })
}

fn draft(categories: &[&str]) -> ApplicationDraft {
    ApplicationDraft {
        categories: categories.iter().map(|c| (*c).to_owned()).collect(),
        stop_ids: Vec::new(),
        note: String::new(),
    }
}

/// Seeds the demo events once (nothing when any event exists).
pub async fn demo_markets(db: &Db) -> Result<(), SeedFailure> {
    let existing: i64 = sqlx::query("SELECT COUNT(*) AS n FROM events")
        .fetch_one(db.pool())
        .await
        .and_then(|r| r.try_get("n"))
        .map_err(|e| SeedFailure::Catalogue(e.to_string()))?;
    if existing > 0 {
        return Ok(());
    }
    let organiser = CurrentUser {
        id: id_of(
            db,
            "SELECT id FROM users WHERE email = $1",
            "organisateur@souk.ma",
        )
        .await?,
        email: "organisateur@souk.ma".into(),
        display_name: String::new(),
        role: Role::Organiser,
    };
    let outbox = Outbox::default();
    let site = |code: &'static str| id_of(db, "SELECT id FROM sites WHERE code = $1", code);
    let today = db.clock().today();

    // The regional salon in Meknès: 24 stands, applications open.
    let salon_form = EventForm {
        kind: "salon".into(),
        name_fr: "Salon régional de l'économie sociale et solidaire — Meknès".into(),
        name_ar: "المعرض الجهوي للاقتصاد الاجتماعي والتضامني — مكناس".into(),
        description_fr: "Cinq jours pour rencontrer les coopératives des neuf préfectures et provinces : huile d'olive, miel, figues, plantes aromatiques, tapis et poteries.".into(),
        description_ar: "خمسة أيام للقاء تعاونيات العمالات والأقاليم التسع: زيت الزيتون والعسل والتين والنباتات العطرية والزرابي والفخار.".into(),
        site: site("meknes-sahrij-souani").await?.to_string(),
        starts_on: today.plus(21).to_string(),
        ends_on: today.plus(25).to_string(),
        opens_at: "10:00".into(),
        closes_at: "20:00".into(),
        capacity: "20".into(),
        multiple_stands: String::new(),
    };
    let salon_draft = salon_form
        .parse()
        .map_err(|e| SeedFailure::Catalogue(format!("salon: {e:?}")))?;
    let salon = lifecycle::create_event(db, &organiser, &salon_draft)
        .await
        .map_err(fail("salon"))?;
    for (first, size, fee) in [("1", "9", "250"), ("17", "12", "400")] {
        let stands = StandsForm {
            count: if first == "1" {
                "16".into()
            } else {
                "8".into()
            },
            first_number: first.into(),
            size_m2: size.into(),
            fee: fee.into(),
        }
        .parse()
        .map_err(|e| SeedFailure::Catalogue(format!("stands: {e:?}")))?;
        plan::add_stands(db, &organiser, salon, &stands)
            .await
            .map_err(fail("stands"))?;
    }
    lifecycle::advance_event(db, &organiser, outbox, salon, EventStatus::Draft)
        .await
        .map_err(fail("open salon"))?;

    // Applications in every state.
    let salon_applicants = [
        (
            "COOP-TAO-2014-0117",
            &["dried_fruit"][..],
            ApplicationStatus::Accepted,
            "",
            Some(3),
        ),
        (
            "COOP-IFR-2015-0064",
            &["honey"][..],
            ApplicationStatus::Accepted,
            "",
            Some(4),
        ),
        (
            "COOP-FES-2008-0133",
            &["pottery"][..],
            ApplicationStatus::Accepted,
            "",
            None,
        ),
        (
            "COOP-BOU-2017-0009",
            &["aromatic_plants"][..],
            ApplicationStatus::Waitlisted,
            "",
            None,
        ),
        (
            "COOP-FES-2012-0201",
            &["carpets_textiles"][..],
            ApplicationStatus::Rejected,
            "Dossier incomplet : attestation de l'ODCO manquante.",
            None,
        ),
        (
            "COOP-MEK-2010-0088",
            &["olive_oil"][..],
            ApplicationStatus::Pending,
            "",
            None,
        ),
    ];
    for (registration, categories, status, reason, stand) in salon_applicants {
        let member = member(db, registration).await?;
        let application = applications::apply(db, outbox, &member, salon, &draft(categories))
            .await
            .map_err(fail("apply"))?;
        if status != ApplicationStatus::Pending {
            applications::decide(
                db,
                &organiser,
                outbox,
                application,
                ApplicationStatus::Pending,
                status,
                reason,
            )
            .await
            .map_err(fail("decide"))?;
        }
        if let Some(number) = stand {
            let stand_id: i64 =
                sqlx::query("SELECT id FROM stands WHERE event_id = $1 AND number = $2")
                    .bind(salon)
                    .bind(number)
                    .fetch_one(db.pool())
                    .await
                    .and_then(|r| r.try_get("id"))
                    .map_err(|e| SeedFailure::Catalogue(e.to_string()))?;
            applications::assign_stand(db, &organiser, outbox, salon, stand_id, application)
                .await
                .map_err(fail("stand"))?;
        }
    }
    let dairy = member(db, "COOP-HAJ-2013-0031").await?;
    let application = applications::apply(db, outbox, &dairy, salon, &draft(&["dairy"]))
        .await
        .map_err(fail("apply"))?;
    applications::withdraw(db, &dairy, application)
        .await
        .map_err(fail("withdraw"))?;

    // The travelling market: five stops across five provinces, published.
    let tour_form = EventForm {
        kind: "tour".into(),
        name_fr: "Marché itinérant du terroir — tournée d'hiver".into(),
        name_ar: "السوق المتنقل لمنتجات المجال — جولة الشتاء".into(),
        description_fr: "Le camion des coopératives s'arrête une journée dans chaque ville : venez goûter et réserver.".into(),
        description_ar: "تتوقف شاحنة التعاونيات يوما في كل مدينة: تعالوا للتذوق والحجز.".into(),
        site: String::new(),
        starts_on: today.plus(7).to_string(),
        ends_on: today.plus(13).to_string(),
        opens_at: "09:00".into(),
        closes_at: "17:00".into(),
        capacity: "8".into(),
        multiple_stands: String::new(),
    };
    let tour_draft = tour_form
        .parse()
        .map_err(|e| SeedFailure::Catalogue(format!("tour: {e:?}")))?;
    let tour = lifecycle::create_event(db, &organiser, &tour_draft)
        .await
        .map_err(fail("tour"))?;
    for (offset, code) in [
        (7, "sefrou-souk"),
        (8, "ifrane-centre"),
        (9, "el-hajeb-souk"),
        (11, "taza-haut"),
        (12, "taounate-souk"),
    ] {
        let stop = StopForm {
            site: site(code).await?.to_string(),
            day: today.plus(offset).to_string(),
            opens_at: "09:00".into(),
            closes_at: "14:00".into(),
        }
        .parse()
        .map_err(|e| SeedFailure::Catalogue(format!("stop: {e:?}")))?;
        plan::add_stop(db, &organiser, outbox, tour, &stop)
            .await
            .map_err(fail("stop"))?;
    }
    lifecycle::advance_event(db, &organiser, outbox, tour, EventStatus::Draft)
        .await
        .map_err(fail("open tour"))?;
    let tour_applicants = [
        (
            "COOP-SEF-2011-0042",
            &["olive_oil", "preserves"][..],
            ApplicationStatus::Accepted,
        ),
        (
            "COOP-TAO-2014-0117",
            &["dried_fruit"][..],
            ApplicationStatus::Accepted,
        ),
        (
            "COOP-IFR-2015-0064",
            &["honey"][..],
            ApplicationStatus::Accepted,
        ),
        (
            "COOP-TAZ-2015-0045",
            &["honey"][..],
            ApplicationStatus::Waitlisted,
        ),
    ];
    for (registration, categories, status) in tour_applicants {
        let member = member(db, registration).await?;
        let application = applications::apply(db, outbox, &member, tour, &draft(categories))
            .await
            .map_err(fail("apply"))?;
        applications::decide(
            db,
            &organiser,
            outbox,
            application,
            ApplicationStatus::Pending,
            status,
            "",
        )
        .await
        .map_err(fail("decide"))?;
    }
    lifecycle::advance_event(db, &organiser, outbox, tour, EventStatus::Open)
        .await
        .map_err(fail("publish tour"))?;
    tracing::info!(salon, tour, "demo salon and tour seeded");
    Ok(())
}
