"""Take screenshots of the main pages of a running Connective (for the README and for review).

Usage: .venv/bin/python scripts/screenshots.py [BASE_URL] [OUT_DIR]
Logs in as the demo learner (CONNECTIVE_DEMO_PASSWORD or the default) and saves one PNG per page.
"""

import os
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(sys.argv[2] if len(sys.argv) > 2 else "docs/screenshots")
PASSWORD = os.environ.get("CONNECTIVE_DEMO_PASSWORD", "learn-together-2026")
PAGES = {
    "home": "/home/",
    "network": "/network/",
    "profile": "/@learner/",
    "topics": "/topics/",
    "notifications": "/notifications/",
    "settings": "/settings/",
    "compose-resource": "/posts/new/?kind=resource",
}


def main() -> None:
    """Log in, visit each page at desktop and phone widths, save PNGs."""
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                     args=["--no-sandbox", "--disable-gpu",
                                           "--disable-background-networking"])
        anon = browser.new_page(viewport={"width": 1280, "height": 900})
        anon.goto(BASE + "/")
        anon.screenshot(path=str(OUT / "landing.png"), full_page=True)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(BASE + "/accounts/login/")
        page.fill("input[name=login]", "learner")
        page.fill("input[name=password]", PASSWORD)
        page.click("form button[type=submit]")
        page.wait_for_load_state()
        for name, path in PAGES.items():
            page.goto(BASE + path)
            page.screenshot(path=str(OUT / f"{name}.png"), full_page=False)
        page.set_viewport_size({"width": 375, "height": 800})
        page.goto(BASE + "/home/")
        page.screenshot(path=str(OUT / "home-phone.png"))
        browser.close()


if __name__ == "__main__":
    main()
