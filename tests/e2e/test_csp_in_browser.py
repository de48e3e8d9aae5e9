"""The admin works in Chromium under its Content-Security-Policy (cms/http/csp.py):
each screen an editor uses loads with the policy in force and no violation,
the guide editor's widgets (StreamField, inline panels, the image chooser
dialog) included."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "browser-test-pw"
# Every violation the page reports, whatever blocked it.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
});
"""


def test_every_admin_screen_loads_with_no_policy_violation(browser, live_server, hub, make_guide):
    get_user_model().objects.create_superuser("ed", "ed@example.org", PASSWORD)
    guide = make_guide()
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(15_000)
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    violations, policies, errors = [], set(), []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda m: (
            "Content Security Policy" in m.text and violations.append(f"{page.url}: {m.text}")
        ),
    )

    def visit(path):
        response = page.goto(path)
        policies.add(response.headers.get("content-security-policy"))
        page.wait_for_load_state("networkidle")
        violations.extend(f"{path}: {v}" for v in page.evaluate("window.cspViolations"))

    visit("/admin/login/")
    page.get_by_label("Username").fill("ed")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/")
    for path in (
        "/admin/",
        f"/admin/pages/{hub.pk}/",
        f"/admin/pages/add/guides/guidepage/{hub.pk}/",
        "/admin/images/",
        "/admin/images/multiple/add/",
        "/admin/documents/",
        "/admin/snippets/",
        "/admin/workflows/list/",
        "/admin/users/",
        "/admin/account/",
        f"/admin/pages/{guide.pk}/edit/",
    ):
        visit(path)

    # The editor's own scripts ran: the hero image's chooser opens its dialog.
    page.get_by_role("button", name="Choose an image").first.click()
    expect(page.locator(".modal-dialog")).to_be_visible()
    page.wait_for_load_state("networkidle")
    violations.extend(page.evaluate("window.cspViolations"))
    context.close()

    assert len(policies) == 1 and None not in policies, policies
    assert "'unsafe-eval'" not in next(iter(policies))
    assert violations == [], "\n".join(violations)
    assert errors == []
