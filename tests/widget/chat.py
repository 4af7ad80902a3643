"""What a visitor does with the widget, as Playwright steps (locators pierce its shadow root)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Locator, Page, expect

AXE = Path(__file__).resolve().parents[2] / "widget" / "node_modules" / "axe-core" / "axe.min.js"


def launcher(page: Page) -> Locator:
    return page.locator("button.launcher")


def panel(page: Page) -> Locator:
    return page.get_by_role("dialog")


def message_box(page: Page) -> Locator:
    return page.get_by_role("textbox", name="Your message")


def bot_bubbles(page: Page) -> Locator:
    return page.locator(".msg.bot .bubble")


def visitor_bubbles(page: Page) -> Locator:
    return page.locator(".msg.visitor .bubble")


def status(page: Page) -> Locator:
    return page.get_by_role("status")


def open_chat(page: Page, greeting: str | None = None) -> None:
    """Opens the panel and waits for the greeting (the first bot message)."""
    from tests.widget.conftest import response_text

    greeting = greeting or response_text("utter_greet")
    launcher(page).click()
    expect(panel(page)).to_be_visible()
    expect(bot_bubbles(page).first).to_contain_text(greeting)


def say(page: Page, text: str) -> None:
    message_box(page).fill(text)
    message_box(page).press("Enter")


def expect_answer(page: Page, text: str) -> None:
    """The exact text appears as a bot message."""
    expect(bot_bubbles(page).filter(has_text=text).last).to_have_text(text)


def focused(page: Page) -> str:
    """What has keyboard focus: inside the widget, its tag, class and text; else the page's."""
    return page.evaluate(
        """() => {
            const host = document.querySelector('[data-clinic-chat]');
            const el = (host && host.shadowRoot.activeElement) || document.activeElement;
            const where = host && host.shadowRoot.activeElement ? 'widget' : 'page';
            return `${where}:${el.tagName.toLowerCase()}.${el.className}:${(el.textContent || '').trim().slice(0, 40)}`;
        }"""
    )


def stored_state(page: Page, area: str = "sessionStorage") -> dict | None:
    return page.evaluate(f"() => JSON.parse(window.{area}.getItem('clinic-chat'))")


def axe_violations(page: Page) -> list:
    """axe-core's WCAG and best-practice findings for the whole page, shadow DOM included."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => (await axe.run(document)).violations")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5], "help": v["help"]}
        for v in result
    ]
