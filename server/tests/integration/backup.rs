//! `souk backup` while orders are being placed, and `souk restore` of what it wrote: the
//! restored store passes the stock and hold checks, its photos are back, and anything
//! that is not a Souk backup of a known schema is refused before a file is written.
use crate::orders::{buyers, demo_stop, order_as, pickup, product_with_stock, SEFROU};
use crate::support::{fresh_database_url, run, Engine, TestApp};
use reqwest::StatusCode;
use souk::backup::{backup, restore};
use std::path::PathBuf;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "souk_backup_{}_{name}_{}",
        std::process::id(),
        fresh_database_url(Engine::Sqlite).len()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

#[test]
fn a_backup_taken_under_order_load_restores_to_a_consistent_store() {
    run(async {
        let app = TestApp::spawn(Engine::Sqlite).await;
        let stop = demo_stop(&app).await;
        let product = product_with_stock(&app, SEFROU, 200).await;
        let buyers = buyers(&app, 40).await;
        let dir = scratch("load");
        let file = dir.join("souk.backup");

        let client = reqwest::Client::new();
        let mut orders = tokio::task::JoinSet::new();
        for (i, (token, _)) in buyers.into_iter().enumerate() {
            let (client, base, body) = (
                client.clone(),
                app.base.clone(),
                pickup(stop, &[(product, 2)]),
            );
            orders.spawn(async move {
                order_as(&client, &base, &token, &format!("backup-{i:04}"), &body)
                    .await
                    .0
            });
        }
        let taken = backup(&app.database_url, &app.data_dir, &file)
            .await
            .expect("backup while serving");
        while let Some(status) = orders.join_next().await {
            assert_eq!(status.expect("task"), StatusCode::CREATED);
        }
        assert!(taken.photos > 0, "the demo photos are in it");

        let restored_url = format!("sqlite://{}", dir.join("restored/souk.db").display());
        let restored_data = dir.join("restored-data");
        let done = restore(&restored_url, &restored_data, &file)
            .await
            .expect("restore");
        assert_eq!(done.photos, taken.photos);
        let db = app::db::Db::connect(&restored_url)
            .await
            .expect("restored store");
        assert!(app::inventory::service::check_stock(&db)
            .await
            .expect("check")
            .is_empty());
        assert!(app::orders::holds::check_holds(&db)
            .await
            .expect("check")
            .is_empty());
        let count = |db: app::db::Db| async move {
            sqlx::query("SELECT COUNT(*) AS n FROM orders")
                .fetch_one(db.pool())
                .await
                .and_then(|row| sqlx::Row::try_get::<i64, _>(&row, "n"))
                .expect("count")
        };
        let (kept, placed) = (count(db.clone()).await, count(app.db.clone()).await);
        assert!(
            kept <= placed,
            "{kept} orders in the backup, {placed} placed"
        );
        let photo = std::fs::read_dir(restored_data.join("photos"))
            .expect("photos")
            .count();
        assert_eq!(photo, taken.photos);
        db.close().await;

        // Restoring over an existing store, or backing up over an existing file: refused.
        let again = restore(&restored_url, &restored_data, &file).await;
        assert!(again.is_err_and(|e| e.contains("already exists")));
        let over = backup(&app.database_url, &app.data_dir, &file).await;
        assert!(over.is_err_and(|e| e.contains("already exists")));
        app.stop().await;
        let _ = std::fs::remove_dir_all(&dir);
    });
}

#[test]
fn only_a_souk_backup_of_a_known_schema_is_restored() {
    run(async {
        let app = TestApp::spawn(Engine::Sqlite).await;
        let dir = scratch("refuse");
        let target = |n: &str| format!("sqlite://{}", dir.join(format!("{n}.db")).display());
        let data = dir.join("data");

        let text = dir.join("notes.txt");
        std::fs::write(&text, "not a database").expect("write");
        let refused = restore(&target("a"), &data, &text).await;
        assert!(refused.is_err_and(|e| e.contains("is not a Souk backup")));
        // The live store is SQLite but carries no backup stamp.
        let live = PathBuf::from(app::db::sqlite_path(&app.database_url).expect("file"));
        let refused = restore(&target("b"), &data, &live).await;
        assert!(refused.is_err_and(|e| e.contains("is not a Souk backup")));
        // A backup of a newer Souk: a migration this one does not know.
        let file = dir.join("newer.backup");
        backup(&app.database_url, &app.data_dir, &file)
            .await
            .expect("backup");
        let stamped = app::db::Db::connect(&format!("sqlite://{}", file.display()))
            .await
            .expect("open");
        sqlx::query(
            "INSERT INTO _sqlx_migrations (version, description, installed_on, success, checksum, execution_time)
             VALUES (99990101000000, 'from the future', '2099-01-01', 1, x'00', 0)",
        )
        .execute(stamped.pool())
        .await
        .expect("a newer migration");
        stamped.close().await;
        let refused = restore(&target("c"), &data, &file).await;
        assert!(refused.is_err_and(|e| e.contains("newer Souk")));
        for n in ["a", "b", "c"] {
            assert!(
                !dir.join(format!("{n}.db")).exists(),
                "nothing written for {n}"
            );
        }
        // PostgreSQL is backed up with its own tools.
        let pg = backup(
            &format!("{}/souk", crate::support::postgres_server_url()),
            &data,
            &dir.join("pg.backup"),
        )
        .await;
        assert!(pg.is_err_and(|e| e.contains("pg_dump")));
        app.stop().await;
        let _ = std::fs::remove_dir_all(&dir);
    });
}
