"""A newcomer's first five minutes, in a real Chromium (Debian's /usr/bin/chromium).

Sign in, add an employer, a person and an opening, log an interview with two interviewers,
see both thank-yous on Today, edit one draft and mark it sent, see it leave. Screenshots of
Today at 390 px (a phone) and 1440 px land in the screenshot folder (tests/browser/conftest.py).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from tests.browser.helpers import PASSWORD, Shoot, sign_in

pytestmark = pytest.mark.browser


def test_a_newcomers_first_five_minutes(page: Page, newcomer: str, shoot: Shoot) -> None:
    sign_in(page, newcomer)
    expect(page.get_by_role("heading", name="Start here")).to_be_visible()

    # an employer
    page.get_by_role("link", name="Add an employer").click()
    page.get_by_label("Name").fill("Acme")
    page.get_by_label("Website").fill("acme.example")
    page.get_by_role("button", name="Add employer").click()
    expect(page.get_by_role("heading", name=re.compile("Acme"))).to_be_visible()

    # a person there
    page.get_by_role("link", name="Add a person here").click()
    expect(page.get_by_label("Organization")).to_have_value("Acme")
    page.get_by_label("Name", exact=True).fill("Dana Lee")
    page.get_by_label("Hiring manager").check()
    page.get_by_label("E-mail addresses").fill("dana@acme.example")
    page.get_by_role("button", name="Add person").click()
    expect(page.get_by_role("heading", level=1, name=re.compile("Dana Lee"))).to_be_visible()

    # an opening
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Openings").click()
    page.get_by_role("link", name="Add an opening").first.click()
    page.get_by_label("Job title of the opening").fill("Backend Engineer")
    page.get_by_label("Organization").select_option(label="Acme")
    page.get_by_label("Stage").select_option("applied")
    page.get_by_role("button", name="Add opening").click()
    expect(page.get_by_role("heading", name=re.compile("Backend Engineer"))).to_be_visible()

    # an interview with two interviewers, one of them new
    page.locator("main").get_by_role("link", name="Log a touch").click()
    form = page.locator("main form")
    form.get_by_label("What happened").select_option("interview")
    form.get_by_label("With").fill("Dana Lee, Sam Park")
    form.get_by_label("Add names I have not met yet as new people").check()
    expect(form.get_by_label("About the opening")).to_have_value(re.compile(r"\d+"))
    form.get_by_label("Key points discussed").fill("the data pipeline rewrite and on-call")
    form.get_by_role("button", name="Log it").click()
    expect(page.get_by_text("Added as new people: Sam Park")).to_be_visible()

    # both thank-yous on Today, each with its reason and draft
    items = page.locator("li.item[data-purpose=thank_you]")
    expect(items).to_have_count(2)
    expect(items.filter(has_text="Dana Lee")).to_have_count(1)
    expect(items.filter(has_text="Sam Park")).to_have_count(1)
    expect(items.first).to_contain_text("R1")
    shoot(page, "today")  # and no sideways scrolling on a phone

    # edit Dana's draft and mark it sent: it leaves, Sam's stays, no full reload
    page.evaluate("window.__notReloaded = true")
    dana = items.filter(has_text="Dana Lee")
    body = dana.get_by_role("textbox", name=re.compile("^Draft"))
    expect(body).to_contain_text("data pipeline rewrite")
    body.fill("Dear Dana,\n\nThank you for the conversation about the data pipeline rewrite.\n\nAlice")
    dana.get_by_role("button", name="Mark sent").click()
    expect(page.get_by_text(re.compile("Sent: thank-you to Dana Lee is logged"))).to_be_visible()
    expect(page.locator("li.item[data-purpose=thank_you]")).to_have_count(1)
    expect(page.locator("li.item[data-purpose=thank_you]")).to_contain_text("Sam Park")
    assert page.evaluate("window.__notReloaded") is True

    page.reload()
    expect(page.locator("li.item[data-purpose=thank_you]")).to_have_count(1)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="People").click()
    page.get_by_role("link", name="Dana Lee").click()
    sent = page.locator(".timeline li").filter(has_text="Thank-you sent")
    expect(sent).to_contain_text("Thank you – Backend Engineer")  # the subject as the summary
    sent.get_by_text("What was sent").click()
    expect(sent.get_by_text("Thank you for the conversation about the data pipeline rewrite.")).to_be_visible()

    # every other page fits a phone too
    person_page = page.url
    page.set_viewport_size({"width": 390, "height": 844})
    for name, url in (
        ("person", person_page),
        ("board", "/board/"),
        ("review", "/review/"),
        ("people", "/people/"),
        ("settings", "/settings/"),
    ):
        page.goto(url)
        shoot(page, name, widths=[390])


def test_done_snooze_and_skip_work_in_one_click_without_a_reload(page: Page, newcomer: str) -> None:
    sign_in(page, newcomer)
    page.locator("#quicklog > summary").click()  # the quick form in the header
    quick = page.locator("#quicklog")
    quick.get_by_label("Who").fill("Ann One, Bo Two, Cy Three")
    quick.get_by_label("What happened").select_option("interview")
    expect(quick.get_by_label("Key points discussed")).to_be_visible()
    quick.get_by_role("button", name="Log it").click()
    # unknown names: the full form says so and offers to add them
    main = page.locator("main")
    expect(main.get_by_text("no person called").first).to_be_visible()
    main.get_by_label("Add names I have not met yet as new people").check()
    main.get_by_role("button", name="Log it").click()
    items = page.locator("li.item")
    expect(items).to_have_count(3)
    page.evaluate("window.__notReloaded = true")
    items.filter(has_text="Ann One").get_by_role("button", name="Done").click()
    expect(page.get_by_text(re.compile("Done: thank-you for Ann One"))).to_be_visible()
    items.filter(has_text="Bo Two").get_by_role("button", name="Snooze").click()
    expect(page.get_by_text(re.compile("Snoozed: thank-you for Bo Two comes back"))).to_be_visible()
    items.filter(has_text="Cy Three").get_by_role("button", name="Skip").click()
    expect(page.get_by_text(re.compile("Skipped: thank-you for Cy Three"))).to_be_visible()
    expect(page.locator("li.item")).to_have_count(0)
    assert page.evaluate("window.__notReloaded") is True


def test_the_board_moves_a_card_by_keyboard_and_by_drag_and_drop(page: Page, newcomer: str, shoot: Shoot) -> None:
    sign_in(page, newcomer)
    page.goto("/organizations/new/")
    page.get_by_label("Name").fill("Globex")
    page.get_by_role("button", name="Add employer").click()
    page.goto("/openings/new/")
    page.get_by_label("Job title of the opening").fill("Data Engineer")
    page.get_by_label("Organization").select_option(label="Globex")
    page.get_by_role("button", name="Add opening").click()
    page.goto("/board/")

    # keyboard: Tab to the card's stage menu, choose, Tab to Move, Enter
    select = page.get_by_label("Stage of Data Engineer at Globex")
    select.focus()
    select.select_option("screening")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Move Data Engineer")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Moved Data Engineer (Globex) to screening")).to_be_visible()
    expect(page.locator('[data-stage="screening"] [data-card]')).to_have_count(1)

    # drag and drop onto the Offer column
    page.drag_and_drop("[data-card]", '[data-stage="offer"]')
    expect(page.get_by_text("Moved Data Engineer (Globex) to offer")).to_be_visible()
    expect(page.locator('[data-stage="offer"] [data-card]')).to_have_count(1)
    shoot(page, "board", widths=[1440])


def test_copy_and_the_account_page_work_under_the_content_security_policy(
    page: Page, newcomer: str, shoot: Shoot
) -> None:
    sign_in(page, newcomer)
    page.locator("#quicklog > summary").click()
    quick = page.locator("#quicklog")
    quick.get_by_label("Who").fill("Ann One")
    quick.get_by_label("What happened").select_option("interview")
    quick.get_by_role("button", name="Log it").click()
    main = page.locator("main")
    main.get_by_label("Add names I have not met yet as new people").check()
    main.get_by_role("button", name="Log it").click()
    item = page.locator("li.item").filter(has_text="Ann One")
    expect(item).to_have_count(1)
    item.get_by_role("button", name="Copy").click()
    expect(item.get_by_text("Copied to the clipboard.")).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "Ann" in copied and "Thank" in copied

    # the account page: a new password keeps this browser signed in
    page.get_by_role("link", name="Account").click()
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()
    shoot(page, "account")
    page.get_by_label("Old password").fill(PASSWORD)
    page.locator("#id_new_password1").fill("a brand new passphrase")
    page.get_by_label("New password confirmation").fill("a brand new passphrase")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_text("Password changed.")).to_be_visible()
    page.goto("/")
    expect(page.get_by_role("heading", name=re.compile("Today"))).to_be_visible()

    # sign out everywhere: back to the sign-in page, which says so
    page.goto("/account/")
    page.get_by_role("button", name="Sign out everywhere").click()
    expect(page).to_have_url(re.compile(r"/signin/"))
    expect(page.get_by_text("Signed out everywhere")).to_be_visible()
