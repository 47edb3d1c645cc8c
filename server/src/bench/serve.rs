//! A `souk serve` of its own, for the soak bench and the crash test: a child process on a
//! free loopback port without rate limits, killed when dropped (a failing run leaves none).
use std::path::Path;
use std::process::{Child, Command};
use std::time::Duration;

pub struct ServeProcess {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
}

impl ServeProcess {
    /// Starts `exe serve` with `envs` (the database, the log level, ...) and waits up to
    /// 60 s for it to answer `/healthz`.
    pub async fn start(exe: &Path, envs: &[(&str, String)]) -> Result<Self, String> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| e.to_string())?
            .port();
        let mut command = Command::new(exe);
        command
            .arg("serve")
            .env("SOUK_ADDR", format!("127.0.0.1:{port}"))
            .env("SOUK_NO_RATE_LIMITS", "true");
        for (name, value) in envs {
            command.env(name, value);
        }
        let server = Self {
            child: command.spawn().map_err(|e| e.to_string())?,
            base: format!("http://127.0.0.1:{port}"),
        };
        let client = reqwest::Client::new();
        for _ in 0..600 {
            if let Ok(answer) = client.get(format!("{}/healthz", server.base)).send().await {
                if answer.status().is_success() {
                    return Ok(server);
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err("souk serve did not answer /healthz within 60 s".into())
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGKILL, as a crash or the OOM killer would, and the process reaped.
    pub fn kill_9(&mut self) -> std::io::Result<()> {
        self.child.kill()?;
        self.child.wait().map(|_| ())
    }
}

impl Drop for ServeProcess {
    fn drop(&mut self) {
        let _ = self.kill_9();
    }
}
