"""What the phone-sized browser tests share: the 390 px viewport, signing in on it, and the check
that a page does not scroll sideways."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.conftest import PASSWORD

PHONE = {"width": 390, "height": 844}


def sign_in(browser, live_server, username: str, locale: str = "en-CA") -> Page:
    """A new phone-sized browser context signed in as `username`, on the home page."""
    context = browser.new_context(locale=locale, viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"{live_server.url}/")
    return page


def fits(page: Page) -> None:
    width = page.evaluate("() => document.scrollingElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide on a 390 px screen"
