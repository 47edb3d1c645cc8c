//! `TestApp`: starts Souk like `souk serve` does, on port 0 and a database of its own.
use reqwest::header::{HeaderMap, HeaderValue, COOKIE, ORIGIN, SET_COOKIE};
use reqwest::{Response, StatusCode};
use serde_json::Value;
use souk::config::Config;
use souk::Application;
use sqlx::Row;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// Runs each named `async fn name(engine: Engine)` as `name::sqlite` and `name::postgres`.
macro_rules! on_both_engines {
    ($($test:ident),+ $(,)?) => {$(
        mod $test {
            #[test]
            fn sqlite() {
                crate::support::run(super::$test(crate::support::Engine::Sqlite))
            }
            #[test]
            fn postgres() {
                crate::support::run(super::$test(crate::support::Engine::Postgres))
            }
        }
    )+};
}
pub(crate) use on_both_engines;

/// Runs a test on a current-thread runtime, as `souk serve` runs (see `main.rs`), with a
/// time limit so that a stuck test fails with a message instead of holding up the run.
pub fn run(test: impl std::future::Future<Output = ()>) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("test runtime");
    runtime.block_on(async {
        tokio::time::timeout(std::time::Duration::from_secs(120), test)
            .await
            .expect("the test finishes within 120 s")
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

static NEXT_DB: AtomicU32 = AtomicU32::new(0);

/// The PostgreSQL server the tests use (trust auth on this kind of machine).
pub fn postgres_server_url() -> String {
    std::env::var("SOUK_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".to_owned())
}

/// A fresh, not yet existing database URL for the engine.
pub fn fresh_database_url(engine: Engine) -> String {
    let n = NEXT_DB.fetch_add(1, Ordering::SeqCst);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let name = format!("souk_test_{}_{n}_{nanos}", std::process::id());
    match engine {
        Engine::Sqlite => format!(
            "sqlite://{}",
            std::env::temp_dir().join(format!("{name}.db")).display()
        ),
        Engine::Postgres => format!("{}/{name}", postgres_server_url()),
    }
}

pub struct TestApp {
    pub base: String,
    pub database_url: String,
    pub data_dir: std::path::PathBuf,
    pub db: app::db::Db,
    client: reqwest::Client,
    session: Mutex<Option<String>>,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<std::io::Result<()>>>,
}

pub const DEMO_PASSWORD: &str = souk::seed::DEMO_PASSWORD;

impl TestApp {
    pub async fn spawn(engine: Engine) -> Self {
        Self::spawn_with(engine, |config| config).await
    }

    /// Starts Souk with a changed configuration (an SMTP server, say).
    pub async fn spawn_with(engine: Engine, change: impl FnOnce(Config) -> Config) -> Self {
        let database_url = fresh_database_url(engine);
        let data_dir = std::env::temp_dir().join(format!(
            "souk_media_{}_{}",
            std::process::id(),
            NEXT_DB.fetch_add(1, Ordering::SeqCst)
        ));
        let config = change(Config {
            data_dir: data_dir.display().to_string(),
            // Every test's clients share 127.0.0.1 (500 buyers race from it); the limits
            // have their own tests, which set them.
            rate_limits: None,
            ..Config::new("127.0.0.1:0", &database_url, "target/site", false, true)
                .expect("test config is valid")
        });
        if config.seed_demo {
            crate::template::copy_demo_into(engine, &database_url, &data_dir).await;
        }
        let app = Application::build(config).await.unwrap_or_else(|e| {
            panic!("Souk must start on {engine:?} (is PostgreSQL running on 127.0.0.1:5432?): {e}")
        });
        let base = format!("http://{}", app.local_addr());
        let db = app.db().clone();
        let (shutdown, stopped) = oneshot::channel::<()>();
        let server = tokio::spawn(app.run_until(async move {
            let _ = stopped.await;
        }));
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(30))
            .build()
            .expect("http client");
        Self {
            base,
            database_url,
            data_dir,
            db,
            client,
            session: Mutex::new(None),
            shutdown: Some(shutdown),
            server: Some(server),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Headers of a same-site browser request carrying the current session, if any.
    pub fn headers(&self) -> HeaderMap {
        let mut headers = HeaderMap::new();
        if let Ok(origin) = HeaderValue::from_str(&self.base) {
            headers.insert(ORIGIN, origin);
        }
        if let Some(token) = self.session.lock().expect("session lock").clone() {
            if let Ok(cookie) = HeaderValue::from_str(&format!("souk_session={token}")) {
                headers.insert(COOKIE, cookie);
            }
        }
        headers
    }

    /// Keeps the session cookie a response sets or clears, as a browser would.
    fn remember(&self, response: &Response) {
        for value in response.headers().get_all(SET_COOKIE) {
            let value = value.to_str().unwrap_or_default();
            if let Some(rest) = value.strip_prefix("souk_session=") {
                let token = rest.split(';').next().unwrap_or_default();
                *self.session.lock().expect("session lock") =
                    (!token.is_empty()).then(|| token.to_owned());
            }
        }
    }

    pub fn session_token(&self) -> Option<String> {
        self.session.lock().expect("session lock").clone()
    }

    pub fn set_session_token(&self, token: Option<String>) {
        *self.session.lock().expect("session lock") = token;
    }

    pub async fn get(&self, path: &str) -> Response {
        self.get_with(path, HeaderMap::new()).await
    }

    pub async fn get_with(&self, path: &str, extra: HeaderMap) -> Response {
        let mut headers = self.headers();
        headers.extend(extra);
        let response = self
            .client
            .get(self.url(path))
            .headers(headers)
            .send()
            .await
            .expect("GET reaches the server");
        self.remember(&response);
        response
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> Response {
        self.post_json_with(path, body, HeaderMap::new()).await
    }

    pub async fn post_json_with(&self, path: &str, body: &Value, extra: HeaderMap) -> Response {
        let mut headers = self.headers();
        headers.extend(extra);
        let response = self
            .client
            .post(self.url(path))
            .headers(headers)
            .json(body)
            .send()
            .await
            .expect("POST reaches the server");
        self.remember(&response);
        response
    }

    /// Posts a form to a server function the way the hydrated page does.
    pub async fn call_server_fn(&self, path: &str, form: &[(&str, &str)]) -> Response {
        let response = self
            .client
            .post(self.url(path))
            .headers(self.headers())
            .form(form)
            .send()
            .await
            .expect("server fn reachable");
        self.remember(&response);
        response
    }

    /// Posts a form as a browser without script does (`Accept: text/html`, the page it
    /// was on as `Referer`), without following the redirect that answers it.
    pub async fn post_plain_form(&self, path: &str, form: &[(&str, &str)], page: &str) -> Response {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        let mut headers = self.headers();
        headers.insert(
            reqwest::header::ACCEPT,
            HeaderValue::from_static("text/html,application/xhtml+xml"),
        );
        if let Ok(referer) = HeaderValue::from_str(&self.url(page)) {
            headers.insert(reqwest::header::REFERER, referer);
        }
        let response = client
            .post(self.url(path))
            .headers(headers)
            .form(form)
            .send()
            .await
            .expect("server fn reachable");
        self.remember(&response);
        response
    }

    pub async fn sign_in(&self, email: &str, password: &str) {
        let response = self
            .post_json(
                "/api/v1/auth/login",
                &serde_json::json!({ "email": email, "password": password }),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK, "{email} signs in");
    }

    pub async fn count(&self, table: &str) -> i64 {
        sqlx::query(&format!("SELECT COUNT(*) AS n FROM {table}"))
            .fetch_one(self.db.pool())
            .await
            .expect("count query")
            .try_get("n")
            .expect("count column")
    }

    /// Stops the server (in-flight requests finish) and drops its database.
    pub async fn stop(mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(server) = self.server.take() {
            match tokio::time::timeout(std::time::Duration::from_secs(20), server).await {
                Ok(stopped) => stopped
                    .expect("server task")
                    .expect("server stopped cleanly"),
                Err(_) => panic!("the server did not stop within 20 s of its shutdown signal"),
            }
        }
        drop_database(&self.database_url).await;
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }

    /// Stops the server but keeps its store, for another server to start on (the crash
    /// test); returns the database URL and the media folder, which the caller drops.
    pub async fn stop_keeping_store(mut self) -> (String, std::path::PathBuf) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(server) = self.server.take() {
            let _ = tokio::time::timeout(std::time::Duration::from_secs(20), server).await;
        }
        self.db.close().await;
        (
            std::mem::take(&mut self.database_url),
            std::mem::take(&mut self.data_dir),
        )
    }

    /// Posts a multipart body with one file field, as a browser's file form does.
    pub async fn post_file(
        &self,
        path: &str,
        field: &str,
        bytes: Vec<u8>,
        extra: HeaderMap,
    ) -> Response {
        let mut headers = self.headers();
        headers.extend(extra);
        let part = reqwest::multipart::Part::bytes(bytes).file_name("upload.jpg");
        let form = reqwest::multipart::Form::new().part(field.to_owned(), part);
        let response = self
            .client
            .post(self.url(path))
            .headers(headers)
            .multipart(form)
            .send()
            .await
            .expect("POST reaches the server");
        self.remember(&response);
        response
    }

    /// Posts a text body (a CSV file) to a path.
    pub async fn post_text(&self, path: &str, body: &str) -> Response {
        let response = self
            .client
            .post(self.url(path))
            .headers(self.headers())
            .header("content-type", "text/csv")
            .body(body.to_owned())
            .send()
            .await
            .expect("POST reaches the server");
        self.remember(&response);
        response
    }
}

pub async fn drop_database(url: &str) {
    if let Some(path) = url.strip_prefix("sqlite://") {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{path}{suffix}"));
        }
    } else if let Some((server, name)) = url.rsplit_once('/') {
        sqlx::any::install_default_drivers();
        if let Ok(pool) = sqlx::AnyPool::connect(&format!("{server}/postgres")).await {
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&pool)
                .await;
            pool.close().await;
        }
    }
}

/// Today plus `offset` days in Morocco, as forms write dates.
pub fn day(offset: i64) -> String {
    app::clock::Clock::system().today().plus(offset).to_string()
}

pub fn header(name: &'static str, value: &'static str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(name, HeaderValue::from_static(value));
    headers
}

pub fn arabic() -> HeaderMap {
    header("accept-language", "ar-MA,ar;q=0.9")
}

/// Every `Vary` of an answer, in one line.
pub fn vary(headers: &reqwest::header::HeaderMap) -> String {
    headers
        .get_all("vary")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The response body of a server function, as JSON.
pub async fn json_of(response: Response) -> Value {
    response.json().await.expect("a JSON body")
}

/// The error code of one field in a server function's 422 body.
pub fn field_code(body: &Value, field: &str) -> Option<String> {
    body["Invalid"]
        .as_array()?
        .iter()
        .find(|f| f[0] == field)
        .and_then(|f| f[1].as_str())
        .map(str::to_owned)
}

/// A minimal SMTP server on loopback that records each message it accepts. The first
/// `refuse` transactions are refused at RCPT with a temporary error (451).
pub async fn spawn_smtp(refuse: usize) -> (u16, std::sync::Arc<Mutex<Vec<String>>>) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("smtp port");
    let port = listener.local_addr().expect("smtp addr").port();
    let received = std::sync::Arc::new(Mutex::new(Vec::new()));
    let refused = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let store = received.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let (store, refused) = (store.clone(), refused.clone());
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = BufReader::new(read).lines();
                let _ = write.write_all(b"220 test ESMTP\r\n").await;
                let mut data: Option<String> = None;
                while let Ok(Some(line)) = lines.next_line().await {
                    if let Some(body) = data.as_mut() {
                        if line == "." {
                            store.lock().expect("smtp store").push(std::mem::take(body));
                            data = None;
                            let _ = write.write_all(b"250 queued\r\n").await;
                        } else {
                            body.push_str(&line);
                            body.push('\n');
                        }
                        continue;
                    }
                    let verb = line.to_ascii_uppercase();
                    let reply: &[u8] = if verb.starts_with("EHLO") || verb.starts_with("HELO") {
                        b"250 test\r\n"
                    } else if verb.starts_with("RCPT")
                        && refused.fetch_add(1, std::sync::atomic::Ordering::SeqCst) < refuse
                    {
                        b"451 try again later\r\n"
                    } else if verb.starts_with("DATA") {
                        data = Some(String::new());
                        b"354 go ahead\r\n"
                    } else if verb.starts_with("QUIT") {
                        let _ = write.write_all(b"221 bye\r\n").await;
                        break;
                    } else {
                        b"250 ok\r\n"
                    };
                    let _ = write.write_all(reply).await;
                }
            });
        }
    });
    (port, received)
}
