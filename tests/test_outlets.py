"""Outlet names from a headline's suffix and from web domains, with no list of outlets."""

from __future__ import annotations

import pytest

from newsweave.outlets import domain_of, email_domain, outlet_from_domain, split_title_suffix


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("https://www.dailyharbour.co.uk/news/1", "dailyharbour.co.uk"),
        ("https://m.example.com/a", "example.com"),
        ("edition.citywire.example", "citywire.example"),  # a suffix the list lacks: its last label
        ("localhost", None),
        # public-suffix aware: the registrable domain, whatever the host's prefixes
        ("news.com.au", "news.com.au"),
        ("https://www.news.com.au/national/story", "news.com.au"),
        ("bbc.co.uk", "bbc.co.uk"),
        ("https://sport.bbc.co.uk/football", "bbc.co.uk"),
        ("www.nytimes.com", "nytimes.com"),
        ("https://edition.cnn.com/2024/05/01/world/index.html", "cnn.com"),
        ("abc.net.au", "abc.net.au"),
        ("theguardian.com", "theguardian.com"),
        ("WWW.TheGuardian.com.", "theguardian.com"),
        ("co.uk", None),  # a public suffix alone is no one's domain
        ("93.184.216.34", None),
        ("http://93.184.216.34/article", None),
        ("http://[2001:db8::1]/article", None),
        ("", None),
    ],
)
def test_domain_of(url: str, domain: str | None) -> None:
    assert domain_of(url) == domain


@pytest.mark.parametrize(
    ("domain", "name"),
    [
        ("thedailyharbour.com", "The Daily Harbour"),
        ("washingtonpost.com", "Washington Post"),
        ("valleycourier.co.uk", "Valley Courier"),
        ("abc.net.au", "ABC"),
        ("apnews.com", "AP News"),
        ("evening-standard.example", "Evening Standard"),
        ("news.com.au", "News"),  # the registrable label, not the suffix ("COM" before)
        ("bbc.co.uk", "BBC"),
        ("www.nytimes.com", "Nytimes"),  # word frequencies do not split "ny" off
        ("edition.cnn.com", "CNN"),
        ("theguardian.com", "The Guardian"),
        ("93.184.216.34", None),
        ("", None),
    ],
)
def test_outlet_from_domain(domain: str, name: str | None) -> None:
    assert outlet_from_domain(domain) == name


def test_email_domain() -> None:
    assert email_domain("Contact the author: j.doe@metroledger.example") == "metroledger.example"


@pytest.mark.parametrize(
    ("line", "split"),
    [
        (
            "Storm batters coast as thousands lose power – The Coastal Gazette",
            ("Storm batters coast as thousands lose power", "The Coastal Gazette"),
        ),
        (
            "Markets rally after rate cut | Business | Ledger Daily",
            ("Markets rally after rate cut | Business", "Ledger Daily"),
        ),
        ("Talks resume - and both sides say a deal is near", None),
        ("Brazil-Japan trade talks resume in Geneva", None),
    ],
)
def test_split_title_suffix(line: str, split: tuple[str, str] | None) -> None:
    assert split_title_suffix(line) == split
