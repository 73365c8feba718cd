"""End-to-end: an event rule tested, previewed and enabled on Triggers → Event rules.

An admin opens the Event rules tab: every rule is disabled until tested and
offers no Enable. Testing the usage rule shows the would-be invoice (the
sample customer, total, outcome, PDF) and makes none; then Enable switches it
on. An event posted to the app's own local API (a real HTTP request with the
token Settings shows) makes a draft, and the rule's recent events list it.
Needs a keychain for the API token (run under scripts/with-keychain.sh).
"""

from __future__ import annotations

import http.client
import json

import pytest

from conftest import install_error_hook
from test_approval_rules import seed_company
from ui import App

# Port 0: the app's API takes a free port and Settings (show_api_token) gives
# its URL. A fixed port sat in the ephemeral range, where an outgoing
# connection of the test run itself could hold it ("Address already in use").
API_PORT = 0


def post_event(url: str, token: str, key: str, body: dict) -> tuple[int, dict]:
    host, port = url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        conn.request(
            "POST",
            "/v1/events",
            body=json.dumps(body),
            headers={"Authorization": f"Bearer {token}", "Idempotency-Key": key,
                     "Content-Type": "application/json"},
        )
        r = conn.getresponse()
        return r.status, json.loads(r.read())
    finally:
        conn.close()


def usage_rule_row(app: App):
    """The usage rule's row, or None while the tab is still reading its rules
    (a wait then tries again instead of failing on a missing row)."""
    return next((r for r in app.all("event-rule-row") if r.get_attribute("data-type") == "usage.recorded"), None)


def usage_rule_state(app: App) -> str:
    row = usage_rule_row(app)
    return app.text(row.find_element("css selector", "[data-testid=event-rule-state]")) if row else ""


@pytest.mark.app_env(INVOICER_API_PORT=str(API_PORT))
def test_an_admin_tests_a_rule_sees_the_preview_enables_it_and_its_events_show(driver):
    app = App(driver)
    seed_company(app)
    driver.refresh()
    install_error_hook(driver)

    app.click("nav-triggers")
    app.click("triggers-tab-event-rules")
    app.wait().until(lambda _: len(app.all("event-rule-row")) == 5, "the five rules")
    states = [app.text(el) for el in app.all("event-rule-state")]
    assert states == ["Disabled — needs a test"] * 5, states
    assert not app.present("event-rule-enable")

    usage_rule_row(app).find_element("css selector", "[data-testid=event-rule-test]").click()
    total = app.text_of("event-rule-test-total")
    assert total.startswith("300.00 USD"), total
    assert "a draft for review" in app.text_of("event-rule-test-outcome")
    assert "would be created" in app.text_of("event-rule-test-customer")
    app.visible("event-rule-test-pdf")
    page = app.invoke("list_invoices", {"query": {
        "status": None, "customer_id": None, "date_from": None, "date_to": None, "search": None,
        "sort": "issue_date", "descending": False, "page": 1, "page_size": 50,
    }})
    assert page["total_count"] == 0, "the test made no invoice"
    app.screenshot("test_event_rules-test-run")

    app.wait().until(
        lambda _: usage_rule_state(app) == "Disabled — tested, ready to enable",
        "the rule tested",
    )
    usage_rule_row(app).find_element("css selector", "[data-testid=event-rule-enable]").click()
    app.wait().until(
        lambda _: usage_rule_state(app) == "Enabled",
        "the rule enabled",
    )

    api = app.invoke("show_api_token")
    assert api["listening"], api
    status, made = post_event(api["url"], api["token"], "usage-e2e-1", {
        "type": "usage.recorded",
        "reference": "ACCT-7-NOV",
        "customer": {"external_ref": "acct-7", "email": "ops@initech.example", "name": "Ina Tech",
                     "address": "1 Loop", "city": "Austin", "region": "TX", "postal_code": "73301",
                     "country": "US"},
        "lines": [{"description": "API calls", "quantity": "1000", "unit_price": "0.01"}],
    })
    assert status == 202, made
    assert made["invoice"]["status"] == "draft", made

    # The tab reads the rules again when it is opened.
    app.click("triggers-tab-schedules")
    app.click("triggers-tab-event-rules")

    def listed(_):
        row = usage_rule_row(app)
        if row is None:
            return False
        events = row.find_elements("xpath", "following-sibling::tr[contains(@class,'events')][1]//li")
        return events[0].text if events else False

    line = app.wait().until(listed, "the event in the rule's recent events")
    assert "ACCT-7-NOV" in line and "draft" in line, line
    app.screenshot("test_event_rules-recent-events")
