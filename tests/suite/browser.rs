//! End to end in a real browser: headless Chromium (Debian's `chromium`
//! and `chromium-driver`), driven over WebDriver. The test opens a brief,
//! edits its file, and waits for the page to show the edit without ever
//! navigating: only live reload can make it appear.
//!
//! Without Chromium the test is skipped with a message, except in CI
//! (`CI` set) or with `VERITY_BROWSER_TEST=1`, where it fails.

use crate::live::{Running, poll};
use crate::support::{SiteTest, THIRD};
use fantoccini::{ClientBuilder, Locator};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

fn find(program: &str) -> Option<std::path::PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(program))
            .find(|p| p.is_file())
    })
}

/// chromedriver on a free port of 127.0.0.1, killed on drop.
struct Driver(Child, u16);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_driver(program: &std::path::Path) -> Driver {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(program)
        .arg(format!("--port={port}"))
        .arg("--allowed-ips=127.0.0.1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let driver = Driver(child, port);
    poll(|| TcpStream::connect(("127.0.0.1", port)).ok()).expect("chromedriver listens");
    driver
}

#[test]
fn the_open_page_shows_a_saved_edit_by_itself() {
    let mandatory = std::env::var_os("CI").is_some()
        || std::env::var_os("VERITY_BROWSER_TEST").is_some_and(|v| v == "1");
    let (Some(driver), Some(chromium)) = (find("chromedriver"), find("chromium")) else {
        assert!(
            !mandatory,
            "chromium and chromedriver are required here: apt-get install -y chromium chromium-driver"
        );
        eprintln!(
            "skipping the browser test: install Debian's chromium and chromium-driver \
             (apt-get install -y chromium chromium-driver) to run it"
        );
        return;
    };
    let t = SiteTest::fixture("basic");
    let server = Running::start(t.path(), &["serve", "--port", "0"]);
    let port = server.port();
    server.wait_line(0, |l| l.starts_with("built "));
    let driver = start_driver(&driver);
    let profile = tempfile::tempdir().unwrap();

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": chromium,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--no-first-run",
                    "--disable-component-update", "--disable-sync",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
            }),
        );
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", driver.1))
            .await
            .expect("a WebDriver session");
        let result = drive(&client, &t, port).await;
        let _ = client.close().await;
        result
    });
}

/// Waits (polling, up to the test timeout) until `check` holds in the page.
async fn until<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = std::time::Instant::now();
    while !check().await {
        assert!(
            start.elapsed() < crate::live::TIMEOUT,
            "the page never showed {what}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn drive(client: &fantoccini::Client, t: &SiteTest, port: u16) {
    client
        .goto(&format!("http://127.0.0.1:{port}/briefs/third/"))
        .await
        .unwrap();
    let heading = || async {
        match client.find(Locator::Css("h1")).await {
            Ok(e) => e.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        }
    };
    until("the brief", || async {
        heading().await.contains("Third brief")
    })
    .await;
    let url = client.current_url().await.unwrap();

    // Save an edit: the open page reloads itself and shows it.
    t.write(
        THIRD,
        &t.read(THIRD).replace("Third brief", "Third brief, live"),
    );
    until("the edit", || async {
        heading().await.contains("Third brief, live")
    })
    .await;

    // A broken save: the overlay appears over the last good page, then goes.
    let good = t.read(THIRD);
    t.write(THIRD, &good.replace("verdict: mixed", "verdict: mixd"));
    let overlay = || async {
        match client.find(Locator::Id("verity-error-overlay")).await {
            Ok(e) => e.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        }
    };
    until("the error overlay", || async {
        overlay()
            .await
            .contains("third.md:6:10: error: unknown verdict `mixd`")
    })
    .await;
    t.write(THIRD, &good);
    until("the page without the overlay", || async {
        overlay().await.is_empty()
    })
    .await;
    assert_eq!(
        client.current_url().await.unwrap(),
        url,
        "the test never navigated"
    );
}
