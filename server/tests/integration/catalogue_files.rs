//! Files of the catalogue: photos (real content checked, resized, served) and the CSV
//! import and export (a report per row, all or nothing, a round trip that changes
//! nothing), each refused to members of another cooperative.
use crate::support::{header, on_both_engines, Engine, TestApp, DEMO_PASSWORD};
use reqwest::StatusCode;
use serde_json::Value;
use sqlx::Row;
use std::io::Cursor;

on_both_engines!(
    a_photo_is_resized_thumbnailed_and_served,
    a_file_that_is_not_an_image_or_too_big_writes_nothing,
    a_browser_form_upload_comes_back_to_the_product_page,
    the_export_re_imports_unchanged,
    an_import_with_a_bad_row_reports_it_and_writes_nothing,
    an_import_applies_every_row_with_its_stock_movements,
    another_cooperative_cannot_import_export_or_upload,
);

fn png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_pixel(width, height, image::Rgb([200, 150, 30]));
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(image)
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .expect("png");
    out
}

async fn id_of(app: &TestApp, sql: &str) -> i64 {
    sqlx::query(sql)
        .fetch_one(app.db.pool())
        .await
        .expect("row")
        .try_get("id")
        .expect("id")
}

async fn own_product(app: &TestApp) -> i64 {
    id_of(app, "SELECT id FROM products WHERE sku = 'HUILE-EV-1L'").await
}

async fn own_cooperative(app: &TestApp) -> i64 {
    id_of(
        app,
        "SELECT id FROM cooperatives WHERE registration_number = 'COOP-SEF-2011-0042'",
    )
    .await
}

async fn a_photo_is_resized_thumbnailed_and_served(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.sign_in("cooperative@souk.ma", DEMO_PASSWORD).await;
    let id = own_product(&app).await;

    let response = app
        .post_file(
            &format!("/api/v1/products/{id}/photos"),
            "photo",
            png(3000, 2000),
            Default::default(),
        )
        .await;

    assert_eq!(response.status(), StatusCode::CREATED);
    let photo: Value = response.json().await.expect("json");
    assert_eq!(
        (photo["width"].as_i64(), photo["height"].as_i64()),
        (Some(1200), Some(800))
    );
    let file = photo["file"].as_str().expect("file");
    let full = app
        .get(&format!("/media/photos/{file}.jpg"))
        .await
        .bytes()
        .await
        .expect("bytes");
    let thumb = app
        .get(&format!("/media/photos/{file}-thumb.jpg"))
        .await
        .bytes()
        .await
        .expect("bytes");
    let full = image::load_from_memory(&full).expect("a JPEG");
    let thumb = image::load_from_memory(&thumb).expect("a JPEG");
    assert_eq!((full.width(), full.height()), (1200, 800));
    assert_eq!((thumb.width(), thumb.height()), (400, 267));
    let product: Value = app
        .get(&format!("/api/v1/products/{id}"))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        product["photos"].as_array().map(Vec::len),
        Some(2),
        "the demo photo and this one"
    );
    app.stop().await;
}

async fn a_file_that_is_not_an_image_or_too_big_writes_nothing(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.sign_in("cooperative@souk.ma", DEMO_PASSWORD).await;
    let id = own_product(&app).await;
    let path = format!("/api/v1/products/{id}/photos");
    let before = app.count("product_photos").await;

    let pdf = app
        .post_file(
            &path,
            "photo",
            b"%PDF-1.7\n%binary".to_vec(),
            Default::default(),
        )
        .await;
    let mut truncated = png(200, 200);
    truncated.truncate(100);
    let broken = app
        .post_file(&path, "photo", truncated, Default::default())
        .await;
    let huge = app
        .post_file(
            &path,
            "photo",
            vec![0xFF; 6 * 1024 * 1024],
            Default::default(),
        )
        .await;
    let empty = app
        .post_file(&path, "other", png(10, 10), Default::default())
        .await;

    for (response, code) in [
        (pdf, "image_invalid"),
        (broken, "image_invalid"),
        (huge, "image_too_large"),
        (empty, "required"),
    ] {
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body: Value = response.json().await.expect("json");
        assert_eq!(body["error"]["fields"]["photo"]["code"], code, "{body}");
    }
    assert_eq!(app.count("product_photos").await, before);
    let files = std::fs::read_dir(app.data_dir.join("photos"))
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(files as i64, before * 2, "no file was left behind");
    app.stop().await;
}

async fn a_browser_form_upload_comes_back_to_the_product_page(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let html = || header("accept", "text/html,application/xhtml+xml");
    let id = own_product(&app).await;
    let path = format!("/api/v1/products/{id}/photos");

    let signed_out = app.post_file(&path, "photo", png(50, 50), html()).await;
    app.sign_in("cooperative@souk.ma", DEMO_PASSWORD).await;
    let bad = app
        .post_file(&path, "photo", b"GIF89a not really".to_vec(), html())
        .await;
    let good = app.post_file(&path, "photo", png(50, 50), html()).await;

    let location = |r: &reqwest::Response| {
        r.headers()["location"]
            .to_str()
            .unwrap_or_default()
            .to_owned()
    };
    assert!(signed_out.status().is_redirection());
    assert!(
        location(&signed_out).starts_with("/login?next="),
        "{}",
        location(&signed_out)
    );
    assert_eq!(
        location(&bad),
        format!("/cooperative/products/{id}?photo_error=image_invalid")
    );
    assert_eq!(
        location(&good),
        format!("/cooperative/products/{id}?photo=added")
    );
    app.stop().await;
}

async fn the_export_re_imports_unchanged(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.sign_in("cooperative@souk.ma", DEMO_PASSWORD).await;
    let coop = own_cooperative(&app).await;
    let path = format!("/api/v1/cooperatives/{coop}/products.csv");
    let movements = app.count("stock_movements").await;

    let export = app.get(&path).await;
    assert_eq!(export.status(), StatusCode::OK);
    assert!(export.headers()["content-type"]
        .to_str()
        .unwrap_or_default()
        .starts_with("text/csv"));
    let csv = export.text().await.expect("text");
    let report: Value = app
        .post_text(&format!("{path}?apply=1"), &csv)
        .await
        .json()
        .await
        .expect("json");
    let again = app.get(&path).await.text().await.expect("text");

    assert_eq!(csv.lines().count(), 6, "header and five products:\n{csv}");
    assert!(
        csv.contains("زيت الزيتون البكر الممتاز"),
        "Arabic survives:\n{csv}"
    );
    assert_eq!(report["unchanged"], 5, "{report}");
    assert_eq!(
        (report["created"].as_i64(), report["updated"].as_i64()),
        (Some(0), Some(0))
    );
    assert_eq!(again, csv);
    assert_eq!(app.count("stock_movements").await, movements);
    app.stop().await;
}

async fn an_import_with_a_bad_row_reports_it_and_writes_nothing(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.sign_in("cooperative@souk.ma", DEMO_PASSWORD).await;
    let coop = own_cooperative(&app).await;
    let products = app.count("products").await;
    let movements = app.count("stock_movements").await;
    let file = "sku,name_fr,category,unit,unit_net,price,stock\n\
                ZAATAR-50,Zaatar,aromatic_plants,bag,50,19.50,30\n\
                HUILE-EV-1L,Huile d'olive extra vierge,olive_oil,bottle,1000,-95,10\n\
                POT-X,Pot,pottery,piece,,12,-4\n";

    let response = app
        .post_text(
            &format!("/api/v1/cooperatives/{coop}/products.csv?apply=1"),
            file,
        )
        .await;

    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let report: Value = response.json().await.expect("json");
    let problems: Vec<(i64, String, String)> = report["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .map(|p| {
            (
                p["line"].as_i64().unwrap_or(0),
                p["column"].as_str().unwrap_or("").to_owned(),
                p["code"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    assert!(
        problems.contains(&(3, "price".into(), "price_invalid".into())),
        "{problems:?}"
    );
    assert!(
        problems.contains(&(4, "stock".into(), "count_invalid".into())),
        "{problems:?}"
    );
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert_eq!(report["applied"], false);
    assert_eq!(app.count("products").await, products);
    assert_eq!(app.count("stock_movements").await, movements);
    app.stop().await;
}

async fn an_import_applies_every_row_with_its_stock_movements(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.sign_in("cooperative@souk.ma", DEMO_PASSWORD).await;
    let coop = own_cooperative(&app).await;
    let path = format!("/api/v1/cooperatives/{coop}/products.csv");
    let file = "sku;name_fr;name_ar;category;unit;unit_net;price;stock;quality_signs\n\
                ZAATAR-50;Zaatar de Sefrou;زعتر صفرو;aromatic_plants;bag;50;19,50;30;organic=BIO-77\n\
                HUILE-EV-1L;Huile d'olive extra vierge;زيت الزيتون البكر الممتاز;olive_oil;bottle;1000;99,00;35;\n";

    let preview: Value = app.post_text(&path, file).await.json().await.expect("json");
    let products_after_preview = app.count("products").await;
    let applied: Value = app
        .post_text(&format!("{path}?apply=1"), file)
        .await
        .json()
        .await
        .expect("json");
    let zaatar: Value = app
        .get("/api/v1/products?q=zaatar")
        .await
        .json()
        .await
        .expect("json");
    let oil = id_of(&app, "SELECT id FROM products WHERE sku = 'HUILE-EV-1L'").await;
    let oil: Value = app
        .get(&format!("/api/v1/products/{oil}"))
        .await
        .json()
        .await
        .expect("json");

    assert_eq!(
        (
            preview["created"].as_i64(),
            preview["updated"].as_i64(),
            preview["applied"].as_bool()
        ),
        (Some(1), Some(1), Some(false))
    );
    assert_eq!(products_after_preview, 60, "a preview writes nothing");
    assert_eq!(applied["applied"], true, "{applied}");
    assert_eq!(zaatar["total"], 1);
    assert_eq!(zaatar["items"][0]["available"], 30);
    assert_eq!(zaatar["items"][0]["price_centimes"], 1950);
    assert_eq!(oil["price_centimes"], 9900);
    assert_eq!(oil["available"], 35);
    assert!(app::inventory::service::check_stock(&app.db)
        .await
        .expect("check")
        .is_empty());
    app.stop().await;
}

async fn another_cooperative_cannot_import_export_or_upload(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.sign_in("cooperative@souk.ma", DEMO_PASSWORD).await;
    let ifrane = id_of(
        &app,
        "SELECT id FROM cooperatives WHERE registration_number = 'COOP-IFR-2015-0064'",
    )
    .await;
    let honey = id_of(&app, "SELECT id FROM products WHERE sku = 'MIEL-THYM-500'").await;
    let products = app.count("products").await;
    let photos = app.count("product_photos").await;
    let path = format!("/api/v1/cooperatives/{ifrane}/products.csv");
    let file =
        "sku,name_fr,category,unit,unit_net,price,stock\nMIEL-THYM-500,Miel,honey,jar,500,1,0\n";

    let export = app.get(&path).await;
    let preview = app.post_text(&path, file).await;
    let apply = app.post_text(&format!("{path}?apply=1"), file).await;
    let upload = app
        .post_file(
            &format!("/api/v1/products/{honey}/photos"),
            "photo",
            png(20, 20),
            Default::default(),
        )
        .await;
    let server_fn = app
        .call_server_fn(
            <app::catalogue::api::ApplyImport as leptos::server_fn::ServerFn>::PATH,
            &[("cooperative_id", &ifrane.to_string()), ("csv", file)],
        )
        .await;

    for response in [export, preview, apply, upload, server_fn] {
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
    }
    assert_eq!(app.count("products").await, products);
    assert_eq!(app.count("product_photos").await, photos);
    let honey: Value = app
        .get(&format!("/api/v1/products/{honey}"))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(honey["price_centimes"], 15000);
    app.stop().await;
}

mod logo {
    use super::*;

    on_both_engines!(a_member_sets_its_logo_and_another_cooperative_cannot);

    async fn a_member_sets_its_logo_and_another_cooperative_cannot(engine: Engine) {
        let app = TestApp::spawn(engine).await;
        app.sign_in("cooperative@souk.ma", DEMO_PASSWORD).await;
        let own = own_cooperative(&app).await;
        let ifrane = id_of(
            &app,
            "SELECT id FROM cooperatives WHERE registration_number = 'COOP-IFR-2015-0064'",
        )
        .await;

        let first = app
            .post_file(
                &format!("/api/v1/cooperatives/{own}/logo"),
                "logo",
                png(800, 800),
                Default::default(),
            )
            .await;
        let second = app
            .post_file(
                &format!("/api/v1/cooperatives/{own}/logo"),
                "logo",
                png(300, 300),
                Default::default(),
            )
            .await;
        let theirs = app
            .post_file(
                &format!("/api/v1/cooperatives/{ifrane}/logo"),
                "logo",
                png(300, 300),
                Default::default(),
            )
            .await;
        let not_image = app
            .post_file(
                &format!("/api/v1/cooperatives/{own}/logo"),
                "logo",
                b"<svg/>".to_vec(),
                Default::default(),
            )
            .await;

        assert_eq!(first.status(), StatusCode::CREATED);
        assert_eq!(second.status(), StatusCode::CREATED);
        let logo: Value = second.json().await.expect("json");
        let profile: Value = app
            .get(&format!("/api/v1/cooperatives/{own}"))
            .await
            .json()
            .await
            .expect("json");
        assert_eq!(profile["logo"], logo["logo"]);
        assert_eq!(theirs.status(), StatusCode::FORBIDDEN);
        assert_eq!(not_image.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let ifrane_profile: Value = app
            .get(&format!("/api/v1/cooperatives/{ifrane}"))
            .await
            .json()
            .await
            .expect("json");
        assert!(ifrane_profile["logo"].is_null());
        // The first logo's files were replaced, not left behind: 60 demo photos + 1 logo.
        let files = std::fs::read_dir(app.data_dir.join("photos"))
            .map(|d| d.count())
            .unwrap_or(0);
        assert_eq!(files, 122);
        app.stop().await;
    }
}
