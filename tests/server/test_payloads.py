"""Hostile articles through the web app: every page shows their markup as text and runs none of it.

Three outlets report one water-utility hack. Their titles, bodies, outlets, authors and urls carry
what a hostile page can: `<script>`, `<img onerror>`, an SVG with `onload`, an attribute break-out
with an event handler, `javascript:` and `data:` urls, CSS injection (`</style><style>…`), an
iframe, a template expression, a Markdown link, and a right-to-left override and zero-width
characters. They go through the real ingest, clean, store and analysis; then Chromium loads every
page (story list, search, story, reading view, entity, article, and pages that echo the request)
and no script may have run, no alert opened, no markup been made of the text, and the text must
be on the screen as text. The Markdown report of the same store holds no raw HTML tag either.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from typer.testing import CliRunner

import newsweave
from newsweave.cli import app
from newsweave.server.pages import http_url
from newsweave.store import SQLiteStore
from tests.server.pages_support import chromium, csp_reports, live_server, screenshot, skip_without_browser

SCRIPT = "<script>window.__pwned=1;document.title='pwned'</script>"
IMG = "<img src=x onerror=\"window.__pwned=1;alert('img')\">"
SVG = "<svg onload=\"window.__pwned=1;alert('svg')\"><circle r=9></circle></svg>"
HANDLER = '" autofocus onfocus="window.__pwned=1" x="'
STYLE = "</style><style>body{display:none}</style>"
IFRAME = '<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>'
JS_URL = "javascript:window.__pwned=1//"
TEMPLATE = "{{ 7*7 }}"
MD_LINK = "[click here](javascript:alert(1))"
RLO, ZWSP = "\u202e", "\u200b"

HERALD = {
    "id": "herald-1",
    "url": JS_URL + "harbourherald.example/hack",
    "outlet": f"Harbour {SCRIPT} Herald",
    "author": IMG,
    "title": f"Water utility payment site hacked {SCRIPT}",
    "published": "2025-03-11",
    "text": (
        "Corran Bay Water shut down its online payment portal on Monday after attackers planted "
        "card-skimming code on the site. Police are investigating the attack.\n\n"
        f"The attackers added the line {SCRIPT} to the checkout page, the utility said. "
        "About 14,000 customer accounts may have been exposed, chief executive Dana Whitlock said.\n\n"
        f'"{IMG} is all it takes," Whitlock told reporters on Tuesday. {TEMPLATE} was also found.'
    ),
}
WESTSHORE = {
    "id": "westshore-1",
    "url": f'https://westshore.example/hack"><script>window.__pwned=1</script>{RLO}gpj.exe',
    "outlet": f"Westshore{RLO} Radio{ZWSP}",
    "author": HANDLER,
    "title": f"Corran Bay Water takes payment website offline {SVG}",
    "published": "2025-03-11",
    "text": (
        "Corran Bay Water took its payment website offline on Monday after a cyber attack. "
        "Police are investigating the attack.\n\n"
        f"As many as 40,000 accounts were exposed, a source said. The code included {SVG} and {HANDLER}.\n\n"
        f'Chief executive Dana Whitlock said: "{STYLE} is what we found in the page." {MD_LINK}'
    ),
}
TECHLINE = {
    "id": "techline-1",
    "url": "data:text/html,<script>window.__pwned=1</script>",
    "outlet": f"Techline {STYLE} Daily",
    "author": f"Sam {ZWSP}Okafor{RLO}",
    "title": f"{IFRAME} Skimming code found on Corran Bay Water site {MD_LINK} {TEMPLATE}",
    "published": "2025-03-12",
    "text": (
        "Corran Bay Water shut the site down on Monday after researchers found skimming code. "
        "Police are investigating the attack.\n\n"
        f"The injected code read {IFRAME} and called {JS_URL}. About 14,000 accounts may have been "
        "exposed, Dana Whitlock said.\n\n"
        f"Researchers said {STYLE} hid the form from view."
    ),
}
_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!]")
_UNSAFE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    skip_without_browser()  # before the analysis, which takes seconds
    folder = tmp_path_factory.mktemp("payloads")
    feed = folder / "hostile.jsonl"
    feed.write_text("".join(json.dumps(r) + "\n" for r in (HERALD, WESTSHORE, TECHLINE)), encoding="utf-8")
    path = folder / "hostile.db"
    with newsweave.open_store(path) as nw:
        report = nw.ingest([feed], published=date(2025, 3, 11))
        assert report.added == 3, report
        nw.analyse()
    return path


@pytest.fixture(scope="module")
def base(db: Path) -> Iterator[str]:
    with live_server(db) as url:
        yield url


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    skip_without_browser()
    with chromium(tmp_path_factory.mktemp("chromium-profile")) as driver:
        yield driver


def _ids(db: Path) -> dict[str, Any]:
    with SQLiteStore(db) as store:
        stories = store.story_rows()
        articles = {a.external_id: a.id for a in store.articles()}
        whitlock = store._conn.execute(
            "SELECT id FROM entities WHERE name LIKE '%Whitlock%' ORDER BY length(name) LIMIT 1"
        ).fetchone()
    assert stories, "the hostile articles made no story"
    assert whitlock is not None, "the language layer found no Dana Whitlock"
    return {"story": stories[0]["id"], "articles": articles, "entity": whitlock["id"]}


def _pages(db: Path) -> list[tuple[str, str, tuple[str, ...]]]:
    """(name, url, payloads that page must show as text)."""
    ids = _ids(db)
    story, entity = ids["story"], ids["entity"]
    herald, westshore, techline = (ids["articles"][k] for k in ("herald-1", "westshore-1", "techline-1"))
    echo = quote(f'"><script>window.__pwned=1</script>{IMG}', safe="")
    return [
        ("list", "/", (SCRIPT,)),
        ("search", "/?q=attack", (SCRIPT,)),
        ("echo-search", f"/?q={echo}&entity={echo}&since={echo}&outlet={echo}", ()),
        ("story", f"/stories/{story}", (SCRIPT, IMG)),
        ("read", f"/stories/{story}/read", (SCRIPT, IMG, SVG, STYLE, IFRAME, TEMPLATE, MD_LINK)),
        ("read-two", f"/stories/{story}/read?articles={westshore},{techline}", (SVG, IFRAME)),
        ("entity", f"/entities/{entity}", (IMG,)),
        ("article-herald", f"/articles/{herald}", (SCRIPT, IMG, JS_URL, TEMPLATE)),
        ("article-westshore", f"/articles/{westshore}", (SVG, HANDLER.strip(), STYLE)),
        ("article-techline", f"/articles/{techline}", (IFRAME, STYLE, MD_LINK, "data:text/html")),
        ("echo-story", f"/stories/{echo}", ()),
        ("echo-article", f"/articles/{echo}", ()),
        ("echo-read", f"/stories/{story}/read?articles={echo}", ()),
    ]


def test_the_hostile_articles_make_one_story(db: Path) -> None:
    with SQLiteStore(db) as store:
        sizes = [row["articles"] for row in store.story_rows()]
    assert sizes[0] >= 2, sizes  # so the story page and reading view compare hostile articles


# What a page may hold besides text: the app's own script, its SVG figures, and links that
# stay on this server or go to an http(s) address.
_DOM_CHECK = """
const base = arguments[0];
const problems = [];
for (const el of document.querySelectorAll('*')) {
  for (const attr of el.attributes) {
    if (attr.name.toLowerCase().startsWith('on')) problems.push(`${el.tagName} has ${attr.name}`);
  }
}
for (const s of document.scripts) {
  if (!s.src.startsWith(base + '/static/')) problems.push('script ' + (s.src || s.textContent.slice(0, 60)));
}
const foreign = ['img', 'iframe', 'style', 'object', 'embed', 'base', 'meta[http-equiv="refresh"]'];
for (const tag of foreign.concat(['form[action^="javascript"]', 'link:not([href^="/static/"])'])) {
  for (const el of document.querySelectorAll(tag)) problems.push('element ' + tag);
}
for (const svg of document.querySelectorAll('svg')) {
  if (!svg.matches('.timeline-svg, .key-svg')) problems.push('svg not the app\\'s');
}
for (const a of document.querySelectorAll('[href]')) {
  const href = a.href;
  if (!(href.startsWith(base + '/') || /^https?:\\/\\//.test(href))) problems.push('href ' + href);
}
const body = getComputedStyle(document.body);
if (body.display === 'none' || body.visibility === 'hidden') problems.push('body hidden');
const root = document.documentElement;
if (root.scrollWidth > root.clientWidth + 1) problems.push('a long string widens the page');
return problems;
"""


def test_every_page_shows_the_payloads_as_text_and_runs_none(browser: Any, base: str, db: Path) -> None:
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    csp_reports(browser)
    for name, url, shown in _pages(db):
        browser.get(base + url)
        try:
            alert = browser.switch_to.alert
        except NoAlertPresentException:
            alert = None
        assert alert is None, f"{name}: an alert opened: {alert.text if alert else ''}"
        assert browser.execute_script("return typeof window.__pwned") == "undefined", name
        assert browser.title != "pwned", name
        assert browser.execute_script(_DOM_CHECK, base) == [], name
        text = browser.find_element(By.TAG_NAME, "body").text
        assert browser.find_element(By.TAG_NAME, "main").is_displayed(), name
        for payload in shown:
            assert payload in text, f"{name}: {payload!r} is not shown as text"
        assert not _UNSAFE.findall(text), f"{name}: a bidi or zero-width character reached the screen"
        assert csp_reports(browser) == [], name  # escaping alone held: nothing was left for the CSP to block
    screenshot(browser, "payloads-read")


def test_escaped_bidi_and_zero_width_characters_show_as_escapes(browser: Any, base: str, db: Path) -> None:
    from selenium.webdriver.common.by import By

    ids = _ids(db)
    browser.get(f"{base}/articles/{ids['articles']['westshore-1']}")
    text = browser.find_element(By.TAG_NAME, "body").text
    assert r"Westshore\u202e Radio\u200b" in text  # the outlet, each hidden character shown
    assert r"\u202egpj.exe" in text  # the url: shown, not a link (it is not a clean http(s) url)
    browser.get(f"{base}/articles/{ids['articles']['techline-1']}")
    assert r"Sam \u200bOkafor\u202e" in browser.find_element(By.TAG_NAME, "body").text


def test_non_http_urls_are_text_not_links(browser: Any, base: str, db: Path) -> None:
    from selenium.webdriver.common.by import By

    ids = _ids(db)
    for key, url in (("herald-1", HERALD["url"]), ("techline-1", TECHLINE["url"])):
        browser.get(f"{base}/articles/{ids['articles'][key]}")
        shown = browser.find_element(By.CSS_SELECTOR, "dl.facts .url")
        assert shown.tag_name == "span" and shown.text == url


@pytest.mark.parametrize(
    ("url", "link"),
    [
        ("https://harbourherald.example/news/hack", True),
        ("HTTP://westshore.example/a?b=c#d", True),
        (JS_URL, False),
        (" JavaScript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("https:/one-slash.example", False),
        ('https://x.example/"><script>alert(1)</script>', False),
        (f"https://x.example/{RLO}gpj.exe", False),
        (f"https://x.example/{ZWSP}", False),
        ("https://x.example/a b", False),
        ("//x.example/protocol-relative", False),
    ],
)
def test_only_clean_http_urls_become_links(url: str, link: bool) -> None:
    assert bool(http_url(url)) is link


def test_markdown_report_holds_no_raw_html(db: Path) -> None:
    result = CliRunner().invoke(app, ["--db", str(db), "report", "--format", "md", "--out", "-"])
    assert result.exit_code == 0, result.output
    markdown = result.stdout
    assert "Whitlock" in markdown and "Police are investigating the attack" in markdown
    assert not _TAG.findall(markdown), _TAG.findall(markdown)[:5]
    assert not re.search(r"(?<!\\)\]\(javascript:", markdown)  # an escaped `\]` makes no link
    assert "&lt;script&gt;window.\\_\\_pwned=1" in markdown  # the payload, as inert text
    assert not _UNSAFE.findall(markdown)
