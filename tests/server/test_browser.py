"""The web app in a real browser: the real server (uvicorn, on a loopback port) over a store of
the two example articles, driven through Debian's Chromium by Selenium.

A reader searches, opens the story, reads the articles side by side, follows a claim of the
brief to its sentence, and sees the same claim light up in the other article on hover and on
keyboard focus. Screenshots of each step go to `test-artifacts/server/`.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

import newsweave
from newsweave.store import SQLiteStore
from tests.server.pages_support import (
    chromium,
    csp_reports,
    live_server,
    screenshot,
    skip_without_browser,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The two example articles, ingested and analysed in a real store."""
    skip_without_browser()  # before the analysis, which takes seconds
    path = tmp_path_factory.mktemp("web") / "news.db"
    with newsweave.open_store(path) as nw:
        report = nw.ingest([EXAMPLES], published=date(2024, 3, 18))
        assert report.added == 2, report
        nw.analyse()
    return path


@dataclass(frozen=True)
class Example:
    """What the tests type, pick and expect, read from the store's export of the example (so no
    test names what the example articles say)."""

    title: str  # the one story's title
    outlets: list[str]  # the outlets of its articles, in the export's order
    person: str  # the PERSON entity named in the most articles (then by the most mentions)
    person_outlet: str  # the outlet of an article that names it
    term: str  # a word of one article (of its title if it can) that no other article has
    term_outlet: str  # the outlet of that article
    other_outlet: str  # an outlet whose articles do not have the word


def _distinctive_term(articles: list[dict[str, Any]]) -> tuple[str, dict[str, Any]]:
    """A word (5+ letters) of one article, from its title if it can, that no other article has as
    the search reads words: an FTS5 index of the articles' text with the store's tokenizer, so a
    word whose stem another article has (a plural, a tense) is not taken."""
    index = sqlite3.connect(":memory:")
    index.execute(
        "CREATE VIRTUAL TABLE t USING fts5(id UNINDEXED, text, "
        "tokenize='porter unicode61 remove_diacritics 2')"
    )
    index.executemany(
        "INSERT INTO t VALUES (?, ?)",
        [(a["id"], f"{a['title'] or ''} {a['body']} {a['outlet']}") for a in articles],
    )
    for article in sorted(articles, key=lambda a: not a["title"]):
        for word in re.findall(r"[^\W\d_]{5,}", f"{article['title'] or ''}\n{article['body']}"):
            found = [r[0] for r in index.execute("SELECT id FROM t WHERE t MATCH ?", (f'"{word}"',))]
            if found == [article["id"]]:
                return word, article
    raise AssertionError("every word of every article is in another article too")


@pytest.fixture(scope="module")
def example(db: Path) -> Example:
    with newsweave.open_store(db) as nw:
        export = nw.export()
    articles = export["articles"]
    (story,) = export["stories"]
    outlets = [a["outlet"] for a in articles]
    assert story["title"] and len(set(outlets)) == 2, (story["title"], outlets)
    people = [e for e in export["entities"] if e["type"] == "PERSON"]
    person = max(people, key=lambda e: (len(e["articles"]), len(e.get("mentions") or []), e["name"]))
    outlet_of = {a["id"]: a["outlet"] for a in articles}
    term, article = _distinctive_term(articles)
    return Example(
        title=story["title"],
        outlets=outlets,
        person=person["name"],
        person_outlet=outlet_of[person["articles"][0]],
        term=term,
        term_outlet=article["outlet"],
        other_outlet=next(o for o in outlets if o != article["outlet"]),
    )


@pytest.fixture(scope="module")
def story_id(db: Path) -> int:
    with SQLiteStore(db) as store:
        (row,) = store.story_rows()
        return int(row["id"])


@pytest.fixture(scope="module")
def base(db: Path) -> Iterator[str]:
    with live_server(db) as url:
        yield url


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    skip_without_browser()
    with chromium(tmp_path_factory.mktemp("chromium-profile")) as driver:
        yield driver


@pytest.fixture
def page(browser: Any, base: str) -> Iterator[Any]:
    """The browser at a normal desktop size; every page it showed broke no CSP rule."""
    browser.set_window_size(1280, 1000)
    csp_reports(browser)  # forget what earlier tests logged
    yield browser
    assert csp_reports(browser) == []


def _wait(driver: Any, condition: Any, timeout: float = 10) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(condition)


def _in_view(driver: Any, element: Any) -> bool:
    return bool(
        driver.execute_script(
            "const r = arguments[0].getBoundingClientRect();"
            "return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight;",
            element,
        )
    )


def _partners(driver: Any, claim: Any) -> list[Any]:
    from selenium.webdriver.common.by import By

    group = claim.get_attribute("data-group")
    return [
        c
        for c in driver.find_elements(By.CSS_SELECTOR, ".claim[data-group]")
        if c.get_attribute("data-group") == group and c.get_attribute("id") != claim.get_attribute("id")
    ]


def _column(claim: Any) -> str:
    from selenium.webdriver.common.by import By

    return str(claim.find_element(By.XPATH, "ancestor::article[@data-article]").get_attribute("data-article"))


def test_search_box_finds_the_story(page: Any, base: str, story_id: int, example: Example) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    page.get(base + "/")
    assert page.find_element(By.TAG_NAME, "h1").text == "Stories"
    screenshot(page, "01-story-list")
    box = page.find_element(By.CSS_SELECTOR, "form[role=search] input#q")
    assert page.find_element(By.CSS_SELECTOR, "label[for=q]").text == "Search articles"
    box.send_keys(example.term)
    box.send_keys(Keys.ENTER)
    _wait(page, lambda d: urlencode({"q": example.term}) in d.current_url)
    assert page.find_element(By.ID, "q").get_attribute("value") == example.term
    assert page.find_element(By.ID, "results-heading").text == "1 story found"
    screenshot(page, "02-search-results")
    page.find_element(By.CSS_SELECTOR, "ol.stories h3 a").click()
    _wait(page, lambda d: d.current_url.endswith(f"/stories/{story_id}"))
    assert page.find_element(By.TAG_NAME, "h1").text == example.title


def test_search_matches_the_article_that_has_the_word(page: Any, base: str, example: Example) -> None:
    """The word is in one outlet's article only: with that outlet the story is found, with the
    other it is not (so the search read the words, not just listed every story)."""
    from selenium.webdriver.common.by import By

    page.get(f"{base}/?{urlencode({'q': example.term, 'outlet': example.term_outlet})}")
    assert page.find_element(By.ID, "results-heading").text == "1 story found"
    page.get(f"{base}/?{urlencode({'q': example.term, 'outlet': example.other_outlet})}")
    assert page.find_element(By.ID, "results-heading").text == "0 stories found"


def test_search_without_a_match_says_so(page: Any, base: str) -> None:
    from selenium.webdriver.common.by import By

    page.get(base + "/?q=zeppelin")
    assert page.find_element(By.ID, "results-heading").text == "0 stories found"
    assert "No story has an article that matches" in page.find_element(By.ID, "main").text


def test_filters_narrow_the_list_and_say_what_they_matched(page: Any, base: str, example: Example) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    page.get(base + "/")
    page.find_element(By.ID, "entity").send_keys(example.person)
    Select(page.find_element(By.ID, "outlet")).select_by_visible_text(example.person_outlet)
    page.find_element(By.CSS_SELECTOR, "form[role=search] button[type=submit]").click()
    _wait(page, lambda d: urlencode({"entity": example.person}) in d.current_url)
    assert urlencode({"outlet": example.person_outlet}) in page.current_url
    assert page.find_element(By.ID, "results-heading").text == "1 story found"
    assert page.find_element(By.CSS_SELECTOR, ".results .note a").text == example.person
    page.get(base + "/?entity=Nobody+Atall")
    assert "No entity is named Nobody Atall." in page.find_element(By.ID, "main").text
    page.get(base + "/?since=2024-03-19")
    assert page.find_element(By.ID, "results-heading").text == "0 stories found"
    page.get(base + "/?since=not-a-date")
    since = page.find_element(By.ID, "since")
    assert since.get_attribute("aria-invalid") == "true"
    assert "not a date" in page.find_element(By.ID, since.get_attribute("aria-describedby")).text


def _with_more_stories(db: Path, copy: Path, stories: int) -> None:
    """A copy of the store with `stories` more stories: clones of the example story's rows."""
    with sqlite3.connect(db) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    with sqlite3.connect(copy) as conn:
        columns = [r[1] for r in conn.execute("PRAGMA table_info(articles)")]
        renamed = {"id", "key", "content_hash"}
        select = ", ".join(f"{c} || '-' || :n" if c in renamed else f'"{c}"' for c in columns)
        (story,) = conn.execute("SELECT id FROM stories").fetchone()
        for n in range(1, stories + 1):
            conn.execute(
                f"INSERT INTO articles ({', '.join(chr(34) + c + chr(34) for c in columns)}) "
                f"SELECT {select} FROM articles WHERE id IN (SELECT article_id FROM story_articles "
                "WHERE story_id = :story)",
                {"n": n, "story": story},
            )
            conn.execute(
                "INSERT INTO stories (id, title, start, \"end\", updated_at) SELECT :id, title || ' ' || :n, "
                'start, "end", updated_at FROM stories WHERE id = :story',
                {"id": story + n, "n": n, "story": story},
            )
            conn.execute(
                "INSERT INTO story_articles (article_id, story_id, score) "
                "SELECT article_id || '-' || :n, :id, score FROM story_articles WHERE story_id = :story",
                {"id": story + n, "n": n, "story": story},
            )


def test_story_list_pages_through_many_stories(
    page: Any, db: Path, tmp_path_factory: pytest.TempPathFactory, example: Example
) -> None:
    from selenium.webdriver.common.by import By

    copy = tmp_path_factory.mktemp("many") / "many.db"
    _with_more_stories(db, copy, 44)
    outlet = urlencode({"outlet": example.outlets[-1]})
    with live_server(copy) as many:
        page.get(f"{many}/?{outlet}")
        assert page.find_element(By.ID, "results-heading").text == "45 stories found"
        pages = page.find_element(By.CSS_SELECTOR, "nav.pagination")
        assert pages.get_attribute("aria-label") == "Pages of stories"
        assert pages.find_element(By.CSS_SELECTOR, "[aria-current=page]").text == "Page 1 of 3"
        assert len(page.find_elements(By.CSS_SELECTOR, "ol.stories > li")) == 20
        pages.find_element(By.LINK_TEXT, "Next").click()
        _wait(page, lambda d: "page=2" in d.current_url and outlet in d.current_url)
        assert page.find_element(By.CSS_SELECTOR, "ol.stories").get_attribute("start") == "21"
        page.find_element(By.LINK_TEXT, "Last").click()
        _wait(page, lambda d: "page=3" in d.current_url)
        assert len(page.find_elements(By.CSS_SELECTOR, "ol.stories > li")) == 5
        assert page.find_elements(By.LINK_TEXT, "Next") == []
        screenshot(page, "02b-story-list-page-3")
        page.get(f"{many}/?{outlet}&page=99")  # past the end: the last page
        assert page.find_element(By.CSS_SELECTOR, "nav.pagination [aria-current=page]").text == "Page 3 of 3"


def test_story_page_shows_each_section_and_draws_the_timeline(page: Any, base: str, story_id: int) -> None:
    from selenium.webdriver.common.by import By

    page.get(f"{base}/stories/{story_id}")
    for section in (
        "brief",
        "timeline",
        "matrix",
        "quotes",
        "differences",
        "framing",
        "whos-who",
        "articles",
    ):
        element = page.find_element(By.ID, section)
        assert element.is_displayed() and len(element.text) > 40, section
    svg = page.find_element(By.CSS_SELECTOR, "#timeline figure svg.timeline-svg")
    assert svg.get_attribute("role") == "img"
    assert svg.find_element(By.TAG_NAME, "title").get_attribute("textContent").startswith("Timeline of")
    assert "dated events" in svg.find_element(By.TAG_NAME, "desc").get_attribute("textContent")
    rows = svg.find_elements(By.CSS_SELECTOR, "g.row")
    assert len(rows) == len(page.find_elements(By.CSS_SELECTOR, "#timeline tbody tr")) > 5
    assert svg.size["width"] > 400 and svg.size["height"] > 100
    marks = {r.get_attribute("class").split()[-1] for r in rows}
    assert {"shared", "unique"} <= marks
    assert page.find_elements(By.CSS_SELECTOR, "[style]") == []
    screenshot(page, "03-story")


def test_whos_who_links_to_the_entity_page(page: Any, base: str, story_id: int) -> None:
    from selenium.webdriver.common.by import By

    page.get(f"{base}/stories/{story_id}")
    link = page.find_element(By.CSS_SELECTOR, "#whos-who table.who tbody th a")
    name = link.text
    link.click()
    _wait(page, lambda d: "/entities/" in d.current_url)
    assert page.find_element(By.TAG_NAME, "h1").text == name
    assert page.find_element(By.ID, "stories-heading").is_displayed()
    page.find_element(By.CSS_SELECTOR, f'a[href="/stories/{story_id}"]')
    screenshot(page, "06-entity")


def test_side_by_side_view_marks_every_claim(page: Any, base: str, story_id: int) -> None:
    from selenium.webdriver.common.by import By

    page.get(f"{base}/stories/{story_id}")
    page.find_element(By.LINK_TEXT, "Read the articles side by side").click()
    _wait(page, lambda d: d.current_url.endswith(f"/stories/{story_id}/read"))
    columns = page.find_elements(By.CSS_SELECTOR, "article.column")
    assert len(columns) == 2
    left, right = (c.rect for c in columns)
    assert right["x"] >= left["x"] + left["width"] and abs(right["y"] - left["y"]) < 40  # side by side
    claims = page.find_elements(By.CSS_SELECTOR, ".claim[data-group]")
    assert len(claims) > 20
    assert {c.get_attribute("tabindex") for c in claims} == {"0"}
    statuses = {c.get_attribute("class").split()[1] for c in claims}
    assert {"shared", "unique"} <= statuses
    described = {c.get_attribute("aria-describedby").split()[0] for c in claims}
    labels = {page.find_element(By.ID, d).text.split("\n")[0] for d in described}
    assert {"shared", "single source"} <= labels  # a text label, besides the colour and the underline
    bare = page.execute_script(  # text of a paragraph outside any sentence with an id
        "return [...document.querySelectorAll('p.body')].flatMap(p => [...p.childNodes])"
        ".filter(n => n.nodeType === 3 && n.textContent.trim()).map(n => n.textContent);"
    )
    assert bare == []
    screenshot(page, "04-side-by-side")


def test_brief_claim_lands_on_its_sentence_with_partners_lit(page: Any, base: str, story_id: int) -> None:
    from selenium.webdriver.common.by import By

    page.get(f"{base}/stories/{story_id}")
    link = page.find_element(By.CSS_SELECTOR, "ol.brief li.shared a.claim-link")
    fragment = link.get_attribute("href").rpartition("#")[2]
    assert fragment.startswith("claim-")
    link.click()
    _wait(page, lambda d: "/read#" in d.current_url)
    assert page.execute_script("return location.hash") == f"#{fragment}"
    target = page.find_element(By.ID, fragment)
    assert "claim" in target.get_attribute("class").split() and target.text.strip()
    _wait(page, lambda d: d.execute_script("return document.activeElement.id") == fragment)
    assert _in_view(page, target)
    partners = _partners(page, target)
    assert partners and all("partner" in p.get_attribute("class") for p in partners)
    assert {_column(p) for p in partners} - {_column(target)}  # lit in the other article
    assert "highlighted in" in page.find_element(By.ID, "claim-status").text
    screenshot(page, "05-brief-claim-landed")


def test_hover_lights_the_partner_claim(page: Any, base: str, story_id: int) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    page.get(f"{base}/stories/{story_id}/read")
    columns = page.find_elements(By.CSS_SELECTOR, "article.column")
    claim = columns[1].find_element(By.CSS_SELECTOR, ".claim.shared")
    partners = _partners(page, claim)
    assert partners
    ActionChains(page).move_to_element(claim).perform()
    _wait(page, lambda d: all("partner" in p.get_attribute("class") for p in partners))
    assert "active" in claim.get_attribute("class")
    ActionChains(page).move_to_element(page.find_element(By.TAG_NAME, "h1")).perform()
    _wait(page, lambda d: not any("partner" in p.get_attribute("class") for p in partners))


def test_keyboard_reaches_claims_lights_partners_and_enter_jumps(page: Any, base: str, story_id: int) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    page.get(f"{base}/stories/{story_id}/read")
    ActionChains(page).send_keys(Keys.TAB).perform()
    active = page.switch_to.active_element
    assert "skip-link" in active.get_attribute("class") and active.is_displayed()
    for _ in range(80):  # Tab through the page to the first shared claim
        ActionChains(page).send_keys(Keys.TAB).perform()
        active = page.switch_to.active_element
        if "shared" in (active.get_attribute("class") or "").split():
            break
    else:
        pytest.fail("no shared claim reached by Tab")
    partners = _partners(page, active)
    assert partners and all("partner" in p.get_attribute("class") for p in partners)
    outline = page.execute_script("return getComputedStyle(arguments[0]).outlineStyle", active)
    assert outline != "none"  # focus is visible
    screenshot(page, "07-keyboard-focus")
    ActionChains(page).send_keys(Keys.ENTER).perform()
    jumped = page.switch_to.active_element
    assert jumped.get_attribute("id") == partners[0].get_attribute("id")
    assert page.execute_script("return location.hash") == "#" + jumped.get_attribute("id")
    assert _in_view(page, jumped)


def test_reading_view_of_chosen_articles(page: Any, base: str, db: Path, story_id: int) -> None:
    from selenium.webdriver.common.by import By

    with SQLiteStore(db) as store:
        first, second = (a.id for a in store.articles())
    page.get(f"{base}/stories/{story_id}/read?articles={second},{first}")
    shown = [c.get_attribute("data-article") for c in page.find_elements(By.CSS_SELECTOR, "article.column")]
    assert shown == [second, first]
    page.get(f"{base}/stories/{story_id}/read?articles={first}")
    assert len(page.find_elements(By.CSS_SELECTOR, "article.column")) == 1
    page.get(f"{base}/stories/{story_id}/read?articles=nope")
    assert "has no article nope" in page.find_element(By.ID, "main").text


def test_phone_layout_stacks_the_articles(page: Any, base: str, story_id: int) -> None:
    from selenium.webdriver.common.by import By

    page.set_window_size(390, 844)
    for url in ("/", f"/stories/{story_id}", f"/stories/{story_id}/read"):
        page.get(base + url)
        overflow = page.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1, url  # nothing wider than the phone
    first, second = (c.rect for c in page.find_elements(By.CSS_SELECTOR, "article.column"))
    assert second["y"] >= first["y"] + first["height"]
    screenshot(page, "08-phone-side-by-side")
    page.get(f"{base}/stories/{story_id}")
    screenshot(page, "09-phone-story")


def test_pages_load_nothing_from_elsewhere(page: Any, base: str, story_id: int, db: Path) -> None:
    with SQLiteStore(db) as store:
        article = next(store.articles()).id
    for url in ("/", f"/stories/{story_id}", f"/stories/{story_id}/read", f"/articles/{article}"):
        page.get(base + url)
        resources = page.execute_script(
            "return performance.getEntriesByType('resource').map(e => e.name)"
            ".concat([...document.querySelectorAll('[src],link[href]')].map(e => e.src || e.href));"
        )
        assert resources and all(r.startswith(base + "/static/") for r in resources), resources
    screenshot(page, "10-article")
