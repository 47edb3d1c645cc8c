//! The `souk` command line, run as a user would run it.
use crate::support::{drop_database, fresh_database_url, Engine};
use std::process::Command;

fn souk(args: &[&str], database_url: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_souk"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .env_remove("SOUK_PASSWORD")
        .output()
        .expect("souk runs")
}

#[test]
fn a_malformed_database_url_stops_start_up_with_one_clear_line() {
    let output = souk(&["serve"], "mysql://root@localhost/souk");

    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("DATABASE_URL") && !stderr.contains("panicked"),
        "{stderr}"
    );
}

#[test]
fn an_unreachable_database_stops_start_up_with_one_clear_line() {
    let output = souk(
        &["--addr", "127.0.0.1:0", "serve"],
        "postgres://postgres@127.0.0.1:1/souk",
    );

    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("cannot reach the database") && !stderr.contains("panicked"),
        "{stderr}"
    );
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
}

#[test]
fn user_create_makes_the_first_admin_and_refuses_a_weak_password() {
    crate::support::run(user_create_for_both_engines());
}

async fn user_create_for_both_engines() {
    for engine in [Engine::Sqlite, Engine::Postgres] {
        let url = fresh_database_url(engine);

        let weak = souk(
            &[
                "user",
                "create",
                "--email",
                "chef@region-fm.ma",
                "--role",
                "admin",
                "--password",
                "weak",
            ],
            &url,
        );
        let created = souk(
            &[
                "user",
                "create",
                "--email",
                "chef@region-fm.ma",
                "--role",
                "admin",
                "--password",
                "conseil-regional-2026",
            ],
            &url,
        );
        let again = souk(
            &[
                "user",
                "create",
                "--email",
                "chef@region-fm.ma",
                "--role",
                "admin",
                "--password",
                "conseil-regional-2026",
            ],
            &url,
        );

        assert!(!weak.status.success(), "{engine:?}");
        assert!(String::from_utf8_lossy(&weak.stderr)
            .contains("password: The password must be at least 10 characters long."));
        assert!(
            created.status.success(),
            "{engine:?}: {}",
            String::from_utf8_lossy(&created.stderr)
        );
        assert!(
            String::from_utf8_lossy(&created.stdout).contains("created chef@region-fm.ma (admin)")
        );
        assert!(String::from_utf8_lossy(&again.stderr).contains("email: An account already exists"));
        drop_database(&url).await;
    }
}

#[test]
fn seed_generates_benchmark_products_that_check_and_bench_read() {
    crate::support::run(seed_products_for_both_engines());
}

async fn seed_products_for_both_engines() {
    for engine in [Engine::Sqlite, Engine::Postgres] {
        let url = fresh_database_url(engine);
        let media = std::env::temp_dir().join(format!("souk_cli_media_{}", std::process::id()));
        let media = media.display().to_string();

        let seeded = souk(&["seed", "--products", "25", "--data-dir", &media], &url);
        let check = souk(&["check", "stock"], &url);
        let bench = souk(&["bench", "search", "--rounds", "2"], &url);

        let out = |o: &std::process::Output| String::from_utf8_lossy(&o.stdout).into_owned();
        assert!(
            seeded.status.success(),
            "{engine:?}: {}",
            String::from_utf8_lossy(&seeded.stderr)
        );
        assert!(
            out(&seeded).contains("25 products generated"),
            "{}",
            out(&seeded)
        );
        assert!(check.status.success(), "{}", out(&check));
        assert!(
            out(&check).contains("stock ok: 85 products"),
            "demo 60 + 25: {}",
            out(&check)
        );
        assert!(
            bench.status.success(),
            "{}",
            String::from_utf8_lossy(&bench.stderr)
        );
        assert!(out(&bench).contains("Arabic word"), "{}", out(&bench));
        drop_database(&url).await;
        let _ = std::fs::remove_dir_all(&media);
    }
}

#[test]
fn check_facts_passes_on_seeded_orders_and_names_a_drifted_line() {
    crate::support::run(check_facts_for_both_engines());
}

async fn check_facts_for_both_engines() {
    for engine in [Engine::Sqlite, Engine::Postgres] {
        let url = fresh_database_url(engine);
        let media = std::env::temp_dir().join(format!("souk_cli_facts_{}", std::process::id()));
        let media = media.display().to_string();
        let out = |o: &std::process::Output| String::from_utf8_lossy(&o.stdout).into_owned();

        let seeded = souk(
            &[
                "seed",
                "--demo",
                "--cooperatives",
                "3",
                "--orders",
                "40",
                "--data-dir",
                &media,
            ],
            &url,
        );
        assert!(
            seeded.status.success(),
            "{engine:?}: {}",
            String::from_utf8_lossy(&seeded.stderr)
        );
        let check = souk(&["check", "facts"], &url);
        assert!(check.status.success(), "{engine:?}: {}", out(&check));
        assert!(out(&check).contains("facts ok"), "{}", out(&check));

        // One line's amount changed behind the orders room's back: named, exit 1.
        let db = app::db::Db::connect(&url).await.expect("connect");
        sqlx::query(
            "UPDATE order_facts SET amount = amount + 1
             WHERE line_id = (SELECT MIN(line_id) FROM order_facts)",
        )
        .execute(db.pool())
        .await
        .expect("drift");
        db.close().await;
        let check = souk(&["check", "facts"], &url);
        assert!(!check.status.success(), "{engine:?}: {}", out(&check));
        assert!(
            String::from_utf8_lossy(&check.stderr).contains("1 order lines' facts"),
            "{engine:?}: {}",
            String::from_utf8_lossy(&check.stderr)
        );
        drop_database(&url).await;
        let _ = std::fs::remove_dir_all(&media);
    }
}
