"""The pages in a real browser: the Airflow API server (`airflow api-server`, fresh home,
SimpleAuthManager) with the plugin, headless Chromium driven by selenium. Logs in, opens
each page inside Airflow's navigation and on its own, at laptop and phone widths, and
saves a screenshot of each in the test's output folder (AKHBAR_UI_SCREENSHOTS, if set,
gets a copy: that is how docs/img is refreshed).

Chromium comes from Debian's chromium and chromium-driver packages (scripts/install-chromium.sh,
run by `make test`); the test is skipped, saying so, only where they are missing."""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.conftest import ROOT, query
from tests.e2e.helpers import manifest, page_url

pytestmark = pytest.mark.integration

CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
PASSWORD = "akhbar-browser-test"
LAPTOP, PHONE = (1366, 900), (390, 844)


def _missing() -> str | None:
    if not CHROMIUM.exists() or not CHROMEDRIVER.exists():
        return (f"no Chromium here ({CHROMIUM} and {CHROMEDRIVER} are needed; `make test` installs "
                "Debian's chromium and chromium-driver when it runs as root with apt-get)")
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install '.[test]')"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(proc: subprocess.Popen) -> None:
    """SIGTERM to the server's own pid, SIGKILL if it has not gone after 20 s."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@pytest.fixture(scope="module")
def airflow_server(samples_warehouse, tmp_path_factory):
    """The base URL of a real Airflow API server with the plugin, reading the samples
    warehouse through the akhbar_warehouse connection."""
    reason = _missing()
    if reason:
        pytest.skip(reason)
    home = tmp_path_factory.mktemp("airflow_home")
    (home / "dags").mkdir()
    (home / "passwords.json").write_text(json.dumps({"admin": PASSWORD}))
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("AIRFLOW") and k != "AKHBAR_WAREHOUSE_URL"}
    env.update({
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(home / "dags"),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(ROOT / "plugins"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home}/airflow.db",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": "admin:admin",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(home / "passwords.json"),
        "AIRFLOW__API__WORKERS": "1",
        "AIRFLOW__API__SECRET_KEY": "akhbar-browser-test-secret-key-0123456789",
        "AIRFLOW__API_AUTH__JWT_SECRET": "akhbar-browser-test-jwt-secret-0123456789abcdefghijklmnopqrstuvwxyz",
        "AIRFLOW_CONN_AKHBAR_WAREHOUSE": samples_warehouse[0],
        "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}",
    })
    migrate = subprocess.run([sys.executable, "-m", "airflow", "db", "migrate"], env=env,
                             capture_output=True, text=True, timeout=300)
    assert migrate.returncode == 0, migrate.stderr[-2000:]
    port = _free_port()
    log = open(home / "api-server.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "airflow", "api-server", "--port", str(port)],
                            env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            assert proc.poll() is None, (home / "api-server.log").read_text()[-3000:]
            try:
                if requests.get(f"{base}/api/v2/monitor/health", timeout=2).ok:
                    break
            except requests.RequestException:
                pass
            assert time.monotonic() < deadline, "the API server did not start in 180 s"
            time.sleep(1)
        yield base
    finally:
        _stop(proc)
        log.close()


@pytest.fixture(scope="module")
def browser(airflow_server, tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    profile = tmp_path_factory.mktemp("chromium_profile")
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", f"--user-data-dir={profile}",
                f"--window-size={LAPTOP[0]},{LAPTOP[1]}", "--lang=en-US"):
        options.add_argument(arg)
    service = Service(str(CHROMEDRIVER), log_output=str(profile / "chromedriver.log"))
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()  # ends chromedriver and the browser it started
        if service.process and service.process.poll() is None:
            service.process.kill()


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    out = tmp_path_factory.mktemp("screenshots")
    yield out
    copy_to = os.environ.get("AKHBAR_UI_SCREENSHOTS")
    if copy_to:
        Path(copy_to).mkdir(parents=True, exist_ok=True)
        for png in out.glob("*.png"):
            shutil.copy(png, Path(copy_to) / png.name)
    print(f"\nscreenshots: {out}")


def _wait(driver, css: str, timeout: float = 30):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(ec.presence_of_element_located((By.CSS_SELECTOR, css)))


def _screenshot(driver, path: Path, size: tuple[int, int]) -> None:
    """The whole page at the given width."""
    driver.set_window_size(*size)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(size[0], min(max(height + 140, size[1]), 6000))
    time.sleep(0.2)
    driver.save_screenshot(str(path))
    driver.set_window_size(*size)


def _at_phone_width(d, path) -> None:
    """The page at phone width scrolls no sideways; its screenshot is saved."""
    d.set_window_size(*PHONE)
    _no_sideways_scroll(d)
    _screenshot(d, path, PHONE)


def _no_sideways_scroll(driver) -> None:
    wide = driver.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
    assert wide <= 1, f"the page is {wide}px wider than the window"


def _seed_article_id(samples_warehouse) -> int:
    seed = next(a for a in manifest() if a["page"].endswith("pk-kg-talks.html"))
    ((aid,),) = query(samples_warehouse[0], "SELECT article_id FROM akhbar.articles WHERE url = %s",
                      (page_url(samples_warehouse[1], seed),))
    return aid


@pytest.fixture(scope="module")
def signed_in(browser, airflow_server):
    """The browser after logging in through Airflow's own login page."""
    from selenium.webdriver.common.by import By

    browser.get(f"{airflow_server}/akhbar/overview")
    _wait(browser, "input[name=username]")
    assert "/auth/login" in browser.current_url
    browser.find_element(By.NAME, "username").send_keys("admin")
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    _wait(browser, "section#daily svg")  # back on the page it asked for
    assert browser.current_url.startswith(f"{airflow_server}/akhbar/overview")
    return browser


def test_overview(signed_in, airflow_server, shots):
    d = signed_in
    d.get(f"{airflow_server}/akhbar/overview")
    _wait(d, "section#daily svg rect")
    assert d.find_elements("css selector", "svg.network path.edge")
    assert d.find_elements("css selector", "#agreements svg rect.bar")
    assert "KGZ" in d.find_element("css selector", "#pairs table").text
    _screenshot(d, shots / "overview.png", LAPTOP)
    _at_phone_width(d, shots / "overview-phone.png")


def test_dyad_timeline_shows_the_seed_meeting(signed_in, airflow_server, samples_warehouse, shots):
    from selenium.webdriver.common.by import By

    d = signed_in
    d.set_window_size(*LAPTOP)
    d.get(f"{airflow_server}/akhbar/dyad?a=PAK&b=KGZ")
    meeting = _wait(d, 'li.event[data-category="CONSULT"][data-day="2025-12-04"]')
    assert "visit" in meeting.text and "KGZ" in meeting.text and "PAK" in meeting.text
    evidence = meeting.find_element(By.CSS_SELECTOR, "blockquote.evidence")
    assert evidence.get_attribute("dir") == "rtl" and evidence.text.strip()
    assert "15 agreements" in meeting.text
    links = meeting.find_elements(By.CSS_SELECTOR, ".sources a[href*='/article/']")
    assert links and links[0].get_attribute("href").endswith(f"/akhbar/article/{_seed_article_id(samples_warehouse)}")
    _screenshot(d, shots / "dyad.png", LAPTOP)
    _at_phone_width(d, shots / "dyad-phone.png")


def test_article_view_marks_the_repeated_paragraph(signed_in, airflow_server, samples_warehouse, shots):
    from selenium.webdriver.common.by import By

    seed = next(a for a in manifest() if a["page"].endswith("pk-kg-talks.html"))
    (repeat,) = seed["paraphrase_repeats"]  # 10 → 2
    d = signed_in
    d.set_window_size(*LAPTOP)
    d.get(f"{airflow_server}/akhbar/article/{_seed_article_id(samples_warehouse)}")
    para = _wait(d, f"p#p{repeat['index']}")
    assert "repeat" in para.get_attribute("class").split()
    assert para.value_of_css_property("background-color") != "rgba(0, 0, 0, 0)"  # greyed
    first = para.find_element(By.CSS_SELECTOR, "a.first")
    assert first.get_attribute("href").endswith(f"#p{repeat['duplicate_of']}")
    assert d.find_element(By.CSS_SELECTOR, ".paragraphs").get_attribute("dir") == "rtl"
    for kind in ("country", "person", "amount", "trigger"):
        assert d.find_elements(By.CSS_SELECTOR, f"mark.m-{kind}"), kind
    not_repeats = [p for p in d.find_elements(By.CSS_SELECTOR, "p.para") if "repeat" not in p.get_attribute("class")]
    assert len(not_repeats) == seed["paragraphs"] - 1
    _screenshot(d, shots / "article.png", LAPTOP)
    first.click()
    assert d.current_url.endswith(f"#p{repeat['duplicate_of']}")
    _at_phone_width(d, shots / "article-phone.png")


def test_feed_health_shows_the_broken_feed_failing(signed_in, airflow_server, shots):
    from selenium.webdriver.common.by import By

    d = signed_in
    d.set_window_size(*LAPTOP)
    d.get(f"{airflow_server}/akhbar/feeds")
    row = _wait(d, 'tr[data-feed="broken-missing"]')
    assert "failing" in row.get_attribute("class").split()
    assert row.find_element(By.CSS_SELECTOR, ".state").text == "failing"
    assert "404" in row.text
    ok = d.find_elements(By.CSS_SELECTOR, "#feeds tr.ok")
    assert len(ok) == 3 and all(r.find_element(By.CSS_SELECTOR, ".state").text == "ok" for r in ok)
    assert "broken-missing" in d.find_element(By.CSS_SELECTOR, "#quarantine").text
    _screenshot(d, shots / "feeds.png", LAPTOP)
    _at_phone_width(d, shots / "feeds-phone.png")


def test_pages_sit_in_airflows_navigation(signed_in, airflow_server, shots):
    """Airflow's own UI shows the plugin's pages in its frame, from its Browse menu."""
    from selenium.webdriver.common.by import By
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    d = signed_in
    d.set_window_size(*LAPTOP)
    d.get(f"{airflow_server}/plugin/akhbar-feeds")
    frame = _wait(d, "iframe", timeout=60)
    assert frame.get_attribute("src").endswith("/akhbar/feeds")
    d.switch_to.frame(frame)
    try:
        _wait(d, 'tr[data-feed="broken-missing"].failing')
    finally:
        d.switch_to.default_content()
    d.save_screenshot(str(shots / "airflow-feed-health.png"))
    d.get(f"{airflow_server}/")
    wanted = {"Diplomatic events", "Dyad timeline", "Feed health"}

    def browse(drv):
        return next((e for e in drv.find_elements(By.CSS_SELECTOR, "button, a")
                     if e.text.strip() == "Browse" and e.is_displayed()), None)

    def entries(drv):
        shown = {e.text.strip() for e in drv.find_elements(By.CSS_SELECTOR, "[role=menuitem], a, button")
                 if e.is_displayed()}
        if wanted <= shown:
            return shown
        if not shown & {"Audit Log", "XComs"}:  # the menu is not open (yet): open it
            browse(drv).click()
        return False

    WebDriverWait(d, 60).until(browse)
    WebDriverWait(d, 30, poll_frequency=1, ignored_exceptions=(StaleElementReferenceException,)).until(entries)
    d.save_screenshot(str(shots / "airflow-browse-menu.png"))


def test_a_forged_token_is_refused(airflow_server):
    r = requests.get(f"{airflow_server}/akhbar/api/feeds", headers={"Authorization": "Bearer forged"}, timeout=10)
    assert r.status_code in (401, 403)
    r = requests.get(f"{airflow_server}/akhbar/api/feeds", timeout=10)
    assert r.status_code == 401
