"""The site in a real browser: Debian's headless Chromium, pages opened from file://.

Chromium and its driver come from Debian's packages (`chromium`, `chromium-driver`); the
suite installs them when they are missing and it can (as root, with apt-get), and fails
with the command to run otherwise: a browser test that quietly skips proves nothing.
Screenshots are written to test-artifacts/ (or $BPM_TEST_ARTIFACTS) for people to look at.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, Repo, bpm_process, git
from test_site import build_history

CHROMIUM, DRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
ARTIFACTS = Path(os.environ.get("BPM_TEST_ARTIFACTS", ROOT / "test-artifacts"))
FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,1400",
]


def ensure_chromium() -> None:
    if CHROMIUM.exists() and DRIVER.exists():
        return
    if shutil.which("apt-get") and os.geteuid() == 0:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], env=env, check=False, capture_output=True)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "chromium", "chromium-driver"],
            env=env,
            check=False,
            capture_output=True,
        )
    if not (CHROMIUM.exists() and DRIVER.exists()):
        pytest.fail("Chromium is missing: sudo apt-get install chromium chromium-driver")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("browser")
    repo = Repo(folder / "repo")
    repo.path.mkdir()
    git(repo.path, "init", "-q", "-b", "main")
    build_history(repo)
    out = folder / "site"
    done = bpm_process("site", str(out), "--as-of", "2026-03-31", cwd=repo.path)
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    ensure_chromium()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(DRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def open_page(browser: Any, page: Path, shot: str) -> list[dict[str, Any]]:
    """Load a page from file://; the console's errors, and a screenshot to look at."""
    browser.get_log("browser")  # forget what earlier pages logged
    browser.get(page.as_uri())
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / shot))
    entries: list[dict[str, Any]] = browser.get_log("browser")
    return [entry for entry in entries if entry["level"] == "SEVERE"]


def visible_rows(browser: Any) -> int:
    count: int = browser.execute_script(
        "return [...document.querySelectorAll('#postmortems tbody tr')]"
        ".filter(row => !row.hidden).length"
    )
    return count


def test_the_index_sorts_and_filters(browser: Any, site: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    assert open_page(browser, site / "index.html", "index.png") == []
    assert visible_rows(browser) == 3
    search = browser.find_element(By.ID, "filter-text")
    search.send_keys("api")
    assert visible_rows(browser) == 1
    assert browser.find_element(By.ID, "shown").text == "1 shown"
    search.clear()
    search.send_keys(" ")  # clear() fires no input event; a space matches everything
    assert visible_rows(browser) == 3
    Select(browser.find_element(By.ID, "filter-severity")).select_by_visible_text("SEV2")
    assert visible_rows(browser) == 1
    Select(browser.find_element(By.ID, "filter-severity")).select_by_visible_text("all")
    browser.find_element(By.ID, "filter-overdue").click()
    assert visible_rows(browser) == 3  # each has an overdue action as of 2026-03-31
    browser.find_element(By.ID, "filter-overdue").click()
    date_header = browser.find_element(By.CSS_SELECTOR, "#postmortems th:first-child button")
    date_header.click()
    first = browser.find_element(By.CSS_SELECTOR, "#postmortems tbody tr td").text
    assert first == "2026-01-05"  # ascending after one click; the page starts newest first
    header = browser.find_element(By.CSS_SELECTOR, "#postmortems th:first-child")
    assert header.get_attribute("aria-sort") == "ascending"


def test_a_hostile_postmortem_runs_nothing(browser: Any, site: Path) -> None:
    from selenium.webdriver.common.by import By

    errors = open_page(browser, site / "pm" / "2026-03-02-hostile.html", "postmortem-hostile.png")
    assert errors == []  # not even a blocked inline script: there is none to block
    assert browser.execute_script("return window.__pwned === undefined")
    assert browser.execute_script("return document.querySelectorAll('img, script').length") == 0
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "<script>window.__pwned = 'body'</script>" in body  # shown as text
    timeline = browser.find_element(By.CSS_SELECTOR, "table.timeline tbody tr")
    assert "<script>window.__pwned='cell'</script>" in timeline.text
    links = browser.execute_script("return [...document.links].map(a => a.protocol)")
    assert set(links) <= {"file:", "https:"}


def test_a_postmortem_page(browser: Any, site: Path) -> None:
    from selenium.webdriver.common.by import By

    assert open_page(browser, site / "pm" / "2026-01-05-db.html", "postmortem.png") == []
    history = browser.find_element(By.CSS_SELECTOR, "ul.history").text
    assert history == "2026-01-21 by Bo Lindqvist: 2026-01-20 → 2026-02-01"
    badge = browser.find_element(By.CSS_SELECTOR, ".badge.overdue")
    assert badge.text == "overdue 58 d"
    assert badge.value_of_css_property("color") != "rgba(0, 0, 0, 1)"  # the stylesheet loaded


def test_the_follow_through_charts_are_drawn(browser: Any, site: Path) -> None:
    from selenium.webdriver.common.by import By

    assert open_page(browser, site / "follow-through.html", "follow-through.png") == []
    charts = browser.find_elements(By.CSS_SELECTOR, "section.chart figure svg")
    assert len(charts) == 6
    for chart in charts:
        assert chart.size["width"] > 100 and chart.size["height"] > 50
        assert chart.find_elements(By.CSS_SELECTOR, "path, polyline, text")
    tables = browser.find_elements(By.CSS_SELECTOR, "section.chart .numbers table")
    assert len(tables) == 6
    first = [c.text for c in tables[0].find_elements(By.CSS_SELECTOR, "tbody tr:first-child > *")]
    assert first == ["2026-01", "1", "0", "0"]


def test_owner_and_service_pages(browser: Any, site: Path) -> None:
    from selenium.webdriver.common.by import By

    assert open_page(browser, site / "owners.html", "owners.png") == []
    names = [h.text for h in browser.find_elements(By.CSS_SELECTOR, "main section h2")]
    assert sorted(names) == [
        "<script>window.__pwned='owner'</script>: 1 open, 1 overdue",  # text, not a script
        "bob: 1 open, 1 overdue",
        "cy: 1 open, 1 overdue",
    ]
    assert browser.execute_script("return window.__pwned === undefined")
    assert open_page(browser, site / "services.html", "services.png") == []
    assert "<b>svc</b>: 1 open, 1 overdue" in browser.find_element(By.TAG_NAME, "main").text


# --- a 400 px screen and print ----------------------------------------------------------------

PHONE, DESKTOP = 400, 1280
SMALLEST_LABEL = 11  # px on screen: below that a chart's tick labels are hard to read


@contextlib.contextmanager
def viewport(browser: Any, width: int, media: str = "") -> Iterator[None]:
    """The page laid out for a screen `width` px wide (a phone: the viewport meta applies),
    or for `media` ("print")."""
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 800},
    )
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": media})
    try:
        yield
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


# The right edge of the last header cell of a table, once its scroll box (the table's
# nearest ancestor that scrolls sideways, if any) is scrolled fully right.
RIGHT_EDGE_WHEN_SCROLLED = """
const cell = document.querySelector(arguments[0] + ' thead th:last-child');
let box = cell.parentElement;
while (box && !(getComputedStyle(box).overflowX === 'auto' || getComputedStyle(box).overflowX === 'scroll'))
  box = box.parentElement;
const before = cell.getBoundingClientRect().right;
if (box) box.scrollLeft = box.scrollWidth;
const after = cell.getBoundingClientRect().right;
if (box) box.scrollLeft = 0;
return {before: before, after: after, viewport: document.documentElement.clientWidth,
        page: document.documentElement.scrollWidth, scrolls: !!box};
"""


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_every_column_of_the_index_is_reachable(browser: Any, site: Path, width: int) -> None:
    with viewport(browser, width):
        assert open_page(browser, site / "index.html", f"index-{width}.png") == []
        edge = browser.execute_script(RIGHT_EDGE_WHEN_SCROLLED, "#postmortems")
        header = browser.execute_script(
            "return document.querySelector('#postmortems thead th:last-child').textContent"
        )
    assert header == "Overdue"
    assert edge["page"] <= edge["viewport"], edge  # the page itself never scrolls sideways
    assert edge["after"] <= edge["viewport"], edge  # in view, or scrolled into it
    if width == DESKTOP:
        assert edge["before"] <= edge["viewport"], edge  # a wide screen needs no scrolling


@pytest.mark.parametrize(
    ("page", "table"),
    [
        ("pm/2026-01-05-db.html", "section.actions table"),
        ("pm/2026-03-02-hostile.html", "table.timeline"),
        ("owners.html", "main section table"),
    ],
)
def test_the_other_tables_are_reachable_on_a_phone(
    browser: Any, site: Path, page: str, table: str
) -> None:
    shot = page.replace("/", "-").replace(".html", f"-{PHONE}.png")
    with viewport(browser, PHONE):
        assert open_page(browser, site / page, shot) == []
        edge = browser.execute_script(RIGHT_EDGE_WHEN_SCROLLED, table)
    assert edge["page"] <= edge["viewport"], edge
    assert edge["after"] <= edge["viewport"], edge


# The smallest on-screen font size of any text in the charts: the font size in the SVG's
# units times the scale the SVG is drawn at.
SMALLEST_CHART_TEXT = """
const sizes = [...document.querySelectorAll('section.chart svg text')].map(t =>
  parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a);
return {count: sizes.length, smallest: Math.min(...sizes)};
"""


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_chart_labels_are_readable(browser: Any, site: Path, width: int) -> None:
    with viewport(browser, width):
        shot = f"follow-through-{width}.png"
        assert open_page(browser, site / "follow-through.html", shot) == []
        text = browser.execute_script(SMALLEST_CHART_TEXT)
        page = browser.execute_script(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
    assert text["count"] > 20
    assert text["smallest"] >= SMALLEST_LABEL, text
    assert page[0] <= page[1]  # a wide chart scrolls in its own box, not the page


PRINTED = """
const shown = s => [...document.querySelectorAll(s)].some(e => getComputedStyle(e).display !== 'none');
const table = document.querySelector(arguments[0]);
const main = document.querySelector('main');
const link = document.querySelector(arguments[1]);
return {nav: shown('header nav'), filters: shown('.filters'),
        table: table.getBoundingClientRect().width, main: main.clientWidth
          - parseFloat(getComputedStyle(main).paddingLeft) - parseFloat(getComputedStyle(main).paddingRight),
        href: link.getAttribute('href'),
        after: getComputedStyle(link, '::after').content};
"""


@pytest.mark.parametrize(
    ("page", "table", "link"),
    [
        ("index.html", "#postmortems", "#postmortems tbody a"),
        ("pm/2026-03-02-hostile.html", "section.actions table", "main a[href]"),
    ],
)
def test_print_has_no_nav_no_filters_full_width_tables_and_printed_links(
    browser: Any, site: Path, page: str, table: str, link: str
) -> None:
    shot = page.replace("/", "-").replace(".html", "-print.png")
    with viewport(browser, 800, media="print"):
        assert open_page(browser, site / page, shot) == []
        printed = browser.execute_script(PRINTED, table, link)
    assert printed["nav"] is False and printed["filters"] is False, printed
    assert abs(printed["table"] - printed["main"]) <= 1, printed
    assert printed["href"] and printed["href"] in printed["after"], printed
