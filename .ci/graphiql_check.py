"""GraphiQL works offline: in headless Chromium, /graphiql/ loads its scripts
from our own static files, runs its introspection query, shows the schema in
the docs explorer and answers a query, and no request leaves 127.0.0.1
(any that tries is refused and fails the check).

Usage: .venv/bin/python .ci/graphiql_check.py http://127.0.0.1:8141/graphiql/
"""

import os
import sys
from urllib.parse import urlsplit

from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def main(url):
    outside, failed, errors = [], [], []

    def route(route):
        host = urlsplit(route.request.url).hostname
        if host == "127.0.0.1":
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--headless", "--disable-background-networking"],
        )
        page = browser.new_page()
        page.route("**/*", route)
        page.on("requestfailed", lambda r: failed.append(f"{r.url} {r.failure}"))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.goto(url, wait_until="networkidle")
        page.wait_for_selector(".graphiql-container", timeout=15_000)
        # The documentation explorer: opened from the sidebar, it lists the root type.
        page.click("button[aria-label='Show Documentation Explorer']")
        page.wait_for_selector(".graphiql-doc-explorer", timeout=15_000)
        # The visible link to the root type (a hidden search list also names it).
        page.locator(".graphiql-doc-explorer :text-is('Query'):visible").first.click()
        page.wait_for_selector(".graphiql-doc-explorer-title:has-text('Query')", timeout=15_000)
        root_fields = page.locator(".graphiql-doc-explorer-field-name").all_inner_texts()
        # And a query from the editor runs.
        page.evaluate(
            "() => document.querySelector('.graphiql-query-editor .CodeMirror')"
            ".CodeMirror.setValue('{ hubs { __typename title } }')"
        )
        page.click("button.graphiql-execute-button")
        page.wait_for_function(
            "() => document.querySelector('.result-window')?.innerText.includes('GuideIndexPage')",
            timeout=15_000,
        )
        browser.close()
    print(f"GraphiQL: docs explorer shows Query with fields {', '.join(root_fields)}")
    print("GraphiQL: the query editor ran { hubs { __typename title } }")
    problems = [f"request outside 127.0.0.1: {u}" for u in outside]
    problems += [f"failed request: {f}" for f in failed if not any(u in f for u in outside)]
    problems += [f"browser error: {e}" for e in errors]
    missing = {"guide", "guides", "hubs", "search"} - set(root_fields)
    if missing:
        problems.append(f"docs explorer lacks {sorted(missing)}")
    if problems:
        raise SystemExit("GraphiQL check failed:\n  " + "\n  ".join(problems))
    print("GraphiQL: loaded with no request outside 127.0.0.1.")


if __name__ == "__main__":
    main(sys.argv[1])
