"""The HTML story report in a real browser: Debian's Chromium, headless, driven by Selenium.

Every section renders with visible content; article text holding `<script>` and `onerror=`
shows as text and runs nothing; every citation lands on its sentence; the print layout hides
only the navigation. `make test` installs chromium and chromium-driver where they are missing,
so in CI (where `CI` is set) their absence is a failure, not a skip.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsweave.document import ExportDocument
from newsweave.report import build_report, render_html
from newsweave.report.records import EMPTY, SECTIONS
from tests.report.conftest import IMG_PAYLOAD, PAYLOAD
from tests.server.pages_support import CHROMEDRIVER, CHROMIUM, missing_browser

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1200,1600",
)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    if reason := missing_browser():
        if os.environ.get("CI"):
            pytest.fail(f"the browser test must run in CI: {reason}")
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    driver = webdriver.Chrome(options=options, service=Service(executable_path=str(CHROMEDRIVER)))
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def page(browser: Any, hostile_document: ExportDocument, tmp_path: Path) -> Any:
    """The hostile story's report, written to a file and opened from disk, as a reader would."""
    path = tmp_path / "report.html"
    path.write_text(render_html(build_report(hostile_document)), encoding="utf-8")
    browser.get(path.as_uri())
    return browser


def test_every_section_renders_with_visible_content(page: Any) -> None:
    from selenium.webdriver.common.by import By

    for key, heading, _ in SECTIONS:
        section = page.find_element(By.ID, key.replace("_", "-"))
        title = section.find_element(By.TAG_NAME, "h2")
        assert title.is_displayed() and title.text == heading
        body = section.text.removeprefix(heading).strip()
        assert len(body) > 40, (key, body)
        assert EMPTY[key] not in body
        assert section.size["height"] > 60
    assert page.find_element(By.CSS_SELECTOR, "#matrix td.cell").is_displayed()
    assert "Police are investigating the attack" in page.find_element(By.ID, "brief").text


def test_article_markup_shows_as_text_and_no_script_runs(page: Any) -> None:
    from selenium.webdriver.common.by import By

    assert page.execute_script("return typeof window.__pwned") == "undefined"
    assert page.find_elements(By.TAG_NAME, "script") == []
    assert page.find_elements(By.TAG_NAME, "img") == []
    assert page.find_elements(By.CSS_SELECTOR, "[onerror]") == []
    text = page.find_element(By.TAG_NAME, "body").text
    assert PAYLOAD in text and IMG_PAYLOAD in text
    for key in ("brief", "whos-who", "quotes", "matrix", "sources"):
        assert "window.__pwned=1" in page.find_element(By.ID, key).text, key
    assert PAYLOAD in page.find_element(By.TAG_NAME, "h1").text
    assert PAYLOAD in page.title


def test_every_citation_lands_on_its_sentence(page: Any) -> None:
    from selenium.webdriver.common.by import By

    links = page.find_elements(By.CSS_SELECTOR, 'a[href^="#"]')
    assert len(links) > 30
    targets = {link.get_attribute("href").rpartition("#")[2] for link in links}
    missing = page.execute_script(
        "return arguments[0].filter(id => !document.getElementById(id));", sorted(targets)
    )
    assert missing == []
    cite = page.find_element(By.CSS_SELECTOR, "#brief .cites a")
    anchor = cite.get_attribute("href").rpartition("#")[2]
    cite.click()
    assert page.execute_script("return location.hash") == f"#{anchor}"
    sentence = page.find_element(By.ID, anchor)
    assert sentence.is_displayed() and sentence.text in page.find_element(By.ID, "sources").text


def test_print_layout_keeps_every_section(page: Any) -> None:
    from selenium.webdriver.common.by import By

    page.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert not page.find_element(By.CSS_SELECTOR, "nav.toc").is_displayed()
        for key, _, _ in SECTIONS:
            assert page.find_element(By.ID, key.replace("_", "-")).is_displayed(), key
        removed = page.find_element(By.CSS_SELECTOR, "#sources details .removed li")
        assert _visible(page, removed)  # what cleaning removed prints, though folded on screen
    finally:
        page.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    assert not _visible(page, removed)


def _visible(page: Any, element: Any) -> bool:
    """The browser's own verdict (Selenium's is_displayed calls a closed <details> hidden, printed or not)."""
    return bool(page.execute_script("return arguments[0].checkVisibility()", element))
