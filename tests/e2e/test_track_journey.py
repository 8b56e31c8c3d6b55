"""The « Numérique » track with the keyboard only (Tab, Enter, Space, typing), on a
phone-sized and a computer-sized screen, in French and in Arabic (right to left): a
whole unit, axe on every item page, a mouse drag and a double click too."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from exercises.loading import load_bank
from tests.conftest import FIXTURE_BANK
from tutoring.accounts.models import Role
from tutoring.core.extensions import db

SHOTS = Path("/tmp/shots-numerique")  # noqa: S108 - screenshots to look at
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _sync_track(app) -> None:
    from tutoring.content.bank import sync_bank

    items = load_bank(FIXTURE_BANK, check_audio=False)[0]
    track = load_bank(FIXTURE_BANK.parent / "track", check_audio=False)[0]
    with app.app_context():
        sync_bank([*items, *track])
        db.session.commit()


def _focused(page: Any) -> dict[str, str]:
    return page.evaluate(
        "() => { const e = document.activeElement; return {tag: e.tagName,"
        " text: (e.innerText || e.labels?.[0]?.innerText || '').trim(),"
        " name: e.name || '', id: e.id || '', cls: e.className || '',"
        " submit: e.type === 'submit' && !!e.closest('form.answer-form'),"
        " signin: e.type === 'submit' && !!e.closest('form.stack')}; }"
    )


def _tab_to(page: Any, test, limit: int = 80) -> None:
    """Press Tab until the focused element passes `test` (never the mouse)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if test(_focused(page)):
            return
    raise AssertionError(f"never reached by Tab: {_focused(page)}")


def _text(label: str):
    """The focused button or choice whose text is `label` (a target, not a link)."""
    return lambda f: (
        f["tag"] in ("BUTTON", "INPUT") and f["text"].splitlines()[-1:] == [label]
    )


def _submit(page: Any) -> None:
    _tab_to(page, lambda f: f["submit"])
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _axe(journey: Any, page: Any, label: str, shot: str | None) -> None:
    """No axe violation at all on an item page (any impact), no horizontal scroll."""
    if shot:
        page.screenshot(path=str(SHOTS / f"{shot}.png"), full_page=True)
    result = journey.axe.run(page, options={"runOnly": {"type": "tag", "values": TAGS}})
    violations = [
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
        for v in result.response["violations"]
    ]
    assert violations == [], f"{label}: {violations}"
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{label}: {overflow}px too wide"


def _next(page: Any) -> None:
    """From the correction to the next item, with the keyboard."""
    assert page.locator("h1.verdict.ok").is_visible(), page.content()[:3000]
    _tab_to(
        page, lambda f: f["tag"] == "A" and "button" in f["cls"] and "big" in f["cls"]
    )
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.mark.parametrize(
    ("screen", "locale"),
    [("phone", "fr"), ("desk", "fr"), ("phone", "ar"), ("desk", "ar")],
)
def test_a_track_unit_with_the_keyboard_only(
    live_server, browser, app, make, bank, journey, screen, locale
):
    from tests.e2e.conftest import PHONE

    SHOTS.mkdir(exist_ok=True)
    _sync_track(app)
    referent = make.user("claire", Role.REFERENT)
    _profile, learner_id = make.learner(referent, first_name="Amina", locale=locale)
    code = make.card(learner_id, referent)
    options = (
        PHONE if screen == "phone" else {"viewport": {"width": 1280, "height": 900}}
    )
    context = browser.new_context(locale="fr-FR", **options)
    page = context.new_page()
    page.goto(f"{live_server}/c/{code}")
    _tab_to(page, lambda f: f["signin"])
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("html").get_attribute("lang") == locale
    assert page.locator("#avant-examen").is_visible()  # the home suggests the track
    page.goto(f"{live_server}/pratique/numerique/")
    shot = f"{screen}-{locale}"
    _axe(journey, page, "track page", f"00-track-{shot}")
    _tab_to(page, lambda f: "track-start" in f["cls"])
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # 1. click: the target button itself answers
    _axe(journey, page, "click", f"01-click-{shot}")
    _tab_to(page, _text("Valider"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    _next(page)

    # 2. double click: Enter on the focused element is its double click
    _axe(journey, page, "double click", f"02-double-click-{shot}")
    _tab_to(page, _text("Documents"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    _next(page)

    # 3. scroll: Tab goes down the list, the box scrolls with the focus
    _axe(journey, page, "scroll", f"03-scroll-{shot}")
    _tab_to(page, _text("Millau"))
    assert page.evaluate(  # the focused target scrolled into the box's view
        "() => { const b = document.activeElement.getBoundingClientRect();"
        " const l = document.querySelector('.scroll-list').getBoundingClientRect();"
        " return b.top >= l.top - 1 && b.bottom <= l.bottom + 1; }"
    )
    with page.expect_navigation():
        page.keyboard.press("Space")
    _next(page)

    # 4. drag: choose the element (Enter), then its box (Enter); announced
    _axe(journey, page, "drag", f"04-drag-{shot}")
    assert page.locator(".drag-fallback").is_hidden()
    for thing, box in (("photo.jpg", "Images"), ("lettre.pdf", "Documents")):
        _tab_to(page, _text(thing))
        page.keyboard.press("Enter")
        assert (
            page.locator(f'.drag-thing[aria-pressed="true"]:text("{thing}")').count()
            == 1
        )
        _tab_to(
            page,
            lambda f, box=box: f["cls"].startswith("drag-box") and box in f["text"],
        )
        page.keyboard.press("Enter")
        page.wait_for_function(
            "t => document.querySelector('.drag-area .track-status').textContent.includes(t)",
            arg=thing,
        )
    _axe(journey, page, "drag placed", f"04-drag-placed-{shot}")
    _submit(page)
    _next(page)

    # 5. typing: copy the model exactly
    _axe(journey, page, "typing", f"05-typing-{shot}")
    _tab_to(page, lambda f: f["id"] == "text")
    page.keyboard.type("amina.haddad@exemple.fr")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    _next(page)

    # 6. the form: Tab from field to field
    _axe(journey, page, "tab form", f"06-tab-form-{shot}")
    _tab_to(page, lambda f: f["id"] == "f1")
    page.keyboard.type("Haddad")
    page.keyboard.press("Tab")
    assert _focused(page)["id"] == "f2"
    page.keyboard.type("Millau")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    _next(page)

    # 7. in time: the mock exam's timer, the arrow keys pick the choice
    assert page.locator('[role="timer"]').is_visible()
    _axe(journey, page, "timed", f"07-timed-{shot}")
    _tab_to(page, lambda f: f["name"] == "choice")
    for _ in range(4):
        if _focused(page)["text"] == "Valider":
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    _submit(page)
    _next(page)

    # 8. an exam screen read, then a choice
    _axe(journey, page, "screen", f"08-screen-{shot}")
    _tab_to(page, lambda f: f["name"] == "choice")
    for _ in range(4):
        if _focused(page)["text"] == "39":
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    _submit(page)
    assert page.locator("h1.verdict.ok").is_visible()
    page.goto(f"{live_server}/pratique/numerique/")
    assert "8" in page.locator(".track-unit").inner_text()
    context.close()


def test_the_mouse_drags_double_clicks_and_the_time_runs_out(
    live_server, browser, app, make, bank, journey
):
    """With a mouse: a real drag (Pointer Events) and a double click; a single click
    only says to click twice; when the time is over the empty answer is sent."""
    _sync_track(app)
    referent = make.user("claire", Role.REFERENT)
    _profile, learner_id = make.learner(referent, first_name="Amina")
    code = make.card(learner_id, referent)
    context = browser.new_context(
        locale="fr-FR", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.goto(f"{live_server}/c/{code}")
    with page.expect_navigation():
        page.locator("form.stack button[type=submit]").click()
    page.goto(f"{live_server}/pratique/numerique/")
    with page.expect_navigation():
        page.locator(".track-unit button").click()
    with page.expect_navigation():
        page.locator("button.target", has_text="Valider").click()
    with page.expect_navigation():
        page.locator("main a.button.big").click()
    page.locator("button.target", has_text="Documents").click()
    expect(page.locator(".track-status")).to_contain_text("cliquez deux fois")
    with page.expect_navigation():
        page.locator("button.target", has_text="Images").dblclick()
    assert page.locator("h1.verdict.wrong").is_visible()  # Images was not the folder
    with page.expect_navigation():
        page.locator("main a.button.big").click()
    with page.expect_navigation():
        page.locator("button.target", has_text="Millau").click()
    with page.expect_navigation():
        page.locator("main a.button.big").click()
    page.locator(".drag-thing", has_text="photo.jpg").drag_to(
        page.locator(".drag-box", has_text="Images")
    )
    page.locator(".drag-thing", has_text="lettre.pdf").drag_to(
        page.locator(".drag-box", has_text="Documents")
    )
    assert (
        page.locator(".drag-box", has_text="Images")
        .locator(".box-content")
        .inner_text()
        == "photo.jpg"
    )
    with page.expect_navigation():
        page.locator("form.answer-form button[type=submit]").click()
    assert page.locator("h1.verdict.ok").is_visible()
    for _ in range(2):  # typing, the form
        with page.expect_navigation():
            page.locator("main a.button.big").click()
        page.locator("#text, #f1").first.fill("x")
        with page.expect_navigation():
            page.locator("form.answer-form button[type=submit]").click()
    page.clock.install()  # the countdown on a clock the test moves
    with page.expect_navigation():
        page.locator("main a.button.big").click()
    assert page.locator(".timer-value").inner_text() == "0:30"
    page.clock.run_for(21_000)
    assert "10 secondes" in page.locator(".timed-warning").inner_text()
    page.screenshot(path=str(SHOTS / "07-timed-warning-desk-fr.png"), full_page=True)
    with page.expect_navigation():
        page.clock.run_for(12_000)
    assert "Temps écoulé" in page.content()
    context.close()
