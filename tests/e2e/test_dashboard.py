"""The dashboard in a real headless Chromium (Debian's, driven by Playwright) against a real uvicorn server.

Skipped, with the reason, when /usr/bin/chromium or the playwright package is missing (CI installs both, and
sets FLASHPOINT_REQUIRE_BROWSER, which turns the skip into a failure).
Screenshots go to tests/artifacts/dashboard/ (git-ignored); the path is printed at the end of the module.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest
import web_data
from web_client import serving

from flashpoint.store import open_store

pytestmark = pytest.mark.slow

CHROMIUM = os.environ.get("FLASHPOINT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts" / "dashboard"
SAMPLE_ID = "pakistan-iran-2024-01-19"
SAMPLE_STRIKE = "Pakistan conducted air strikes against separatist militants inside Iranian territory"
TIMEOUT_MS = 30_000  # a wait, not a speed check: a loaded machine can take 15 s for a page


def running(db: Path, **options: Any) -> AbstractContextManager[str]:
    """A uvicorn server on a free localhost port, in a thread, over the store at `db`; yields its URL."""
    from flashpoint.web import create_app

    return serving(create_app(f"sqlite:///{db}", **options), log_level="warning", access_log=False)


@pytest.fixture(scope="module")
def dashboard_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("e2e") / "dashboard.db"
    with open_store(f"sqlite:///{path}") as store:
        web_data.fill(store)
    return path


@pytest.fixture(scope="module")
def server(dashboard_db: Path) -> Iterator[str]:
    with running(dashboard_db, token="") as url:
        yield url


@pytest.fixture(scope="module")
def browser(request: pytest.FixtureRequest) -> Iterator[Any]:
    missing = None
    if not Path(CHROMIUM).exists():
        missing = f"no Chromium at {CHROMIUM}: apt-get install chromium (or set FLASHPOINT_CHROMIUM)"
    else:
        try:
            from playwright import sync_api
        except ImportError:
            missing = "the playwright package is not installed: pip install -e '.[test]'"
    if missing:
        if os.environ.get("FLASHPOINT_REQUIRE_BROWSER"):
            pytest.fail(missing)
        pytest.skip(missing)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if capture is not None:
        with capture.global_and_fixture_disabled():
            print(f"\ndashboard screenshots: {ARTIFACTS}")


class Watched:
    """A page with what went wrong on it: script errors, failed requests, dialogs, console errors."""

    def __init__(self, page: Any, base: str) -> None:
        self.page, self.base = page, base
        self.problems: list[str] = []
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("dialog", self._dialog)
        page.on("console", self._console)

    def _dialog(self, dialog: Any) -> None:
        self.problems.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.problems.append(f"console: {message.text}")

    def open(self, fragment: str) -> Any:
        self.page.goto(f"{self.base}/{fragment}")
        return self.page

    def shot(self, name: str) -> Path:
        target = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(target), full_page=True)
        return target


@pytest.fixture()
def watched(browser: Any, server: str) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = Watched(context.new_page(), server)
    yield page
    context.close()


def expected_problems(problems: list[str]) -> list[str]:
    """Problems other than the 4xx answers a test asks for on purpose (the browser logs those)."""
    return [problem for problem in problems if "status of 4" not in problem]


def test_dashboard_dyad_view_marks_the_turning_point_and_opens_evidence(watched: Watched) -> None:
    page = watched.open("#/dyad/PAK/IRN")
    marker = page.locator("svg.timeline g.tp.escalation").first
    marker.wait_for()
    assert "2024-01-13" <= marker.get_attribute("data-date") <= "2024-01-17"
    assert page.locator("#turning-points li.escalation").count() >= 1
    assert page.locator("#events table.events tbody tr").count() == 50
    watched.shot("dyad-PAK-IRN")

    page.locator('svg.timeline g.period[data-period="2024-01-15"]').click()
    sample_row = page.locator("#events tbody tr", has_text="The Express Tribune").filter(has_text="air strikes")
    sample_row.first.wait_for()
    assert page.locator("#events tbody tr", has_text="2024-01-16").count() == 0
    watched.shot("dyad-PAK-IRN-2024-01-15")
    sample_row.first.locator("a.event-link").click()

    page.locator("#evidence mark.evidence.current").first.wait_for()
    assert SAMPLE_STRIKE in page.locator("#evidence").inner_text()
    assert "".join(page.locator("#evidence mark.current").all_inner_texts()) == SAMPLE_STRIKE
    watched.shot("event-sample-strike")

    page.locator("a.article-link").click()
    page.locator("#article-text mark.current").first.wait_for()
    assert "".join(page.locator("#article-text mark.current").all_inner_texts()) == SAMPLE_STRIKE
    assert page.locator("#article-text mark.evidence").count() > page.locator("#article-text mark.current").count()
    assert page.locator("blockquote.statement").count() == 2
    assert page.locator("blockquote.statement mark.evidence").count() >= 1
    watched.shot("article-sample")
    assert expected_problems(watched.problems) == []


def test_dashboard_overview_lists_dyads_and_turning_points(watched: Watched) -> None:
    page = watched.open("")
    page.locator("#top-dyads table a").first.wait_for()
    assert page.locator("#top-dyads table a").first.inner_text() == "IRN \u2013 PAK"
    page.locator("#recent-turning-points li.escalation").first.wait_for()
    watched.shot("overview")
    page.locator("#top-dyads table a").first.click()
    page.locator("svg.timeline").wait_for()
    assert page.url.endswith("#/dyad/IRN/PAK")
    assert expected_problems(watched.problems) == []


def test_dashboard_filters_the_dyad_events(watched: Watched) -> None:
    page = watched.open("#/dyad/PAK/IRN")
    page.locator("svg.timeline").wait_for()
    page.locator("form.filters select[name=type]").select_option("THREATEN")
    page.locator("form.filters input[name=since]").fill("2024-01-20")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url("**type=THREATEN**")
    page.locator("#events tbody tr").first.wait_for()
    types = page.locator("#events tbody td:nth-child(2) .type").all_inner_texts()
    dates = page.locator("#events tbody td:nth-child(1)").all_inner_texts()
    assert types and set(types) == {"THREATEN"} and min(dates) >= "2024-01-20"
    assert expected_problems(watched.problems) == []


def test_dashboard_map_draws_outlines_and_event_places(watched: Watched) -> None:
    page = watched.open("#/map")
    page.locator("svg.world circle.place").first.wait_for()
    assert page.locator("svg.world path.land").count() > 150
    assert page.locator("svg.world circle.place").count() >= 3
    watched.shot("map")
    page.locator("svg.world circle.place.conflict").first.click(force=True)
    page.locator("#place-events li a").first.wait_for()
    assert expected_problems(watched.problems) == []


def test_dashboard_shows_api_errors(watched: Watched) -> None:
    page = watched.open("#/dyad/PAK/IRN?since=not-a-date")
    page.locator(".error").first.wait_for()
    assert "E110" in page.locator(".error").first.inner_text()


def test_dashboard_stored_markup_is_shown_as_text_and_never_runs(watched: Watched) -> None:
    page = watched.open(f"#/article/{web_data.XSS_ID}?event=0")
    page.locator("#article-text mark.current").first.wait_for()
    assert page.locator("#article-text").inner_text() == web_data.XSS_TEXT
    assert page.locator("#article-title").inner_text() == "<script>window.__xss=6</script>Talks"
    assert "<b>Evil</b> Times" in page.locator("main").inner_text()
    watched.shot("xss-article")
    for fragment in (f"#/event/{web_data.XSS_ID}/0", "#/dyad/IRN/PAK?period=2024-01-22", "#/map?country=PAK"):
        watched.open(fragment)
        page.wait_for_load_state("networkidle")
        assert page.locator("main").inner_text()
    watched.open(f"#/event/{web_data.XSS_ID}/0")
    page.locator("#evidence mark").first.wait_for()
    assert "<script>window.__xss=3</script>Iran" in page.locator("table.facts").inner_text()
    watched.shot("xss-event")
    assert page.evaluate("window.__xss") is None
    assert page.locator("main img, main script, main iframe, main svg[onload], main b").count() == 0
    assert page.locator('a[href^="javascript"]').count() == 0
    assert expected_problems(watched.problems) == []


def test_dashboard_markup_in_posts_and_place_names_is_shown_as_text(watched: Watched) -> None:
    page = watched.open(f"#/article/{web_data.XSS_ID}")
    page.locator("blockquote.statement").wait_for()
    assert page.locator("blockquote.statement .statement-text").inner_text() == web_data.XSS_STATEMENT_TEXT
    footer = page.locator("blockquote.statement footer").inner_text()
    assert web_data.XSS_AUTHOR in footer and "@<b>evil</b>" in footer
    watched.open("#/map?country=PAK")
    probe = page.locator("svg.world circle.place", has=page.locator("title", has_text="svg onload"))
    probe.click(force=True)
    page.locator("#place-events h2").wait_for()
    assert '<svg onload="window.__xss=5">' in page.locator("#place-events h2").inner_text()
    assert page.evaluate("window.__xss") is None
    assert page.locator("main img, main script, main iframe, main svg[onload], main b").count() == 0
    assert expected_problems(watched.problems) == []


# Through POST /api/articles and the default pipeline: markup in every field of a record, an embedded post
# (its signature line names the author), and a bad date whose error message quotes the markup back.
POSTED = [
    {"id": "posted-xss", "title": "<script>window.__xss=20</script>Posted", "published": "2024-01-22",
     "source": '<img src=x onerror="window.__xss=21">Wire', "url": "javascript:window.__xss=22",
     "text": "Pakistan condemned Iran over the <script>window.__xss=23</script> strike on Monday, officials said.\n\n"
             "Iran rejects the claims <b>#border</b> @MFA_Pakistan pic.twitter.com/abc123\n"
             "\u2014 <img src=x onerror=window.__xss=24> (@evil_handle) January 22, 2024\n\nTalks will go on."},
    {"id": "posted-bad-date", "text": "Iran accused Pakistan of sheltering militants.",
     "published": "<img src=x onerror=window.__xss=25>"},
]


def test_dashboard_markup_posted_through_the_api_is_shown_as_text(browser: Any, tmp_path: Path) -> None:
    import httpx

    token = "e2e-token-xss"
    with running(tmp_path / "posted.db", token=token) as url:
        posted = httpx.post(f"{url}/api/articles", json=POSTED, headers={"Authorization": f"Bearer {token}"},
                            timeout=120)
        assert posted.status_code == 201, posted.text
        assert [article["status"] for article in posted.json()["articles"]] == ["stored", "error"]
        context = browser.new_context()
        context.set_default_timeout(TIMEOUT_MS)
        watched = Watched(context.new_page(), url)
        try:
            check_posted_markup(watched)
        finally:
            context.close()


def check_posted_markup(watched: Watched) -> None:
    page = watched.open("#/article/posted-xss?event=0")
    page.locator("#article-text mark.current").first.wait_for()
    assert page.locator("#article-title").inner_text() == POSTED[0]["title"]
    assert "<script>window.__xss=23</script>" in page.locator("#article-text").inner_text()
    assert '<img src=x onerror="window.__xss=21">Wire' in page.locator("main").inner_text()
    assert "<img src=x onerror=window.__xss=24>" in page.locator("blockquote.statement footer").inner_text()
    assert "<b>#border</b>" in page.locator("blockquote.statement .statement-text").inner_text()
    watched.open("#/event/posted-xss/0")
    page.locator("#evidence mark").first.wait_for()
    assert "<script>window.__xss=23</script>" in page.locator("#evidence").inner_text()
    watched.open("#/article/posted-bad-date")
    page.locator("main .error").wait_for()
    assert "<img src=x onerror=window.__xss=25>" in page.locator("main .error").inner_text()
    watched.shot("xss-posted")
    assert page.evaluate("window.__xss") is None
    assert page.locator("main img, main script, main iframe, main b").count() == 0
    assert page.locator('a[href^="javascript"]').count() == 0
    assert expected_problems(watched.problems) == []


def test_dashboard_private_mode_asks_for_the_token(browser: Any, dashboard_db: Path) -> None:
    token = "e2e-token-42"
    with running(dashboard_db, token=token, protect_reads=True) as url:
        context = browser.new_context()
        context.set_default_timeout(TIMEOUT_MS)
        watched = Watched(context.new_page(), url)
        try:
            page = watched.open("#/dyad/PAK/IRN")
            page.locator("form.token input[name=token]").fill("wrong")
            page.locator("form.token button").click()
            page.locator("form.token", has_text="E458").wait_for()
            page.locator("form.token input[name=token]").fill(token)
            page.locator("form.token button").click()
            page.locator("svg.timeline g.tp").first.wait_for()
            assert page.evaluate("sessionStorage.getItem('flashpoint-token')") == token
        finally:
            context.close()
