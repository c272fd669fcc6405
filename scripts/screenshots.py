"""Take screenshots of the main pages of a running Connective (for the README and for review).

Usage: .venv/bin/python scripts/screenshots.py [BASE_URL] [OUT_DIR] [--only NAME,...] [--as HANDLE]
Logs in as the demo learner (CONNECTIVE_DEMO_PASSWORD or the default; --as picks another
demo account, whose pictures get its handle as a prefix, e.g. to see empty states) and saves one
PNG per page and variant: desktop (1280 px), phone (375 px) and the dark scheme. It also prints
a short accessibility audit of every page (one h1, landmarks, labelled fields, no sideways
scrolling).
"""

import argparse
import os
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

PARSER = argparse.ArgumentParser(description="Screenshots of a running Connective.")
PARSER.add_argument("base", nargs="?", default="http://127.0.0.1:8000")
PARSER.add_argument("out", nargs="?", default="docs/screenshots")
PARSER.add_argument("--only", default="", help="comma-separated page names")
PARSER.add_argument("--as", dest="handle", default="learner", help="whom to log in as")
OPTIONS = PARSER.parse_args()
BASE = OPTIONS.base
OUT = Path(OPTIONS.out)
ONLY = set(filter(None, OPTIONS.only.split(",")))
HANDLE = OPTIONS.handle
PREFIX = "" if HANDLE == "learner" else f"{HANDLE}-"
PASSWORD = os.environ.get("CONNECTIVE_DEMO_PASSWORD", "learn-together-2026")
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 800}

# Pages a visitor sees: name -> path.
ANONYMOUS = {"landing": "/", "login": "/accounts/login/", "signup": "/accounts/signup/"}
# Pages the learner sees; paths in <angle brackets> are found on the running site.
SIGNED_IN = {
    "home": "/home/",
    "network": "/network/",
    "profile": f"/@{HANDLE}/",
    "topics": "/topics/",
    "notifications": "/notifications/",
    "settings": "/settings/",
    "compose-resource": "/posts/new/?kind=resource",
    "topic": "<topic>",
    "person": "<person>",
    "resource": "<resource>",
    "note": "<note>",
    "article": "<article>",
    "connect": "<connect>",
    "requests": "/network/requests/",
    "blocked": "/network/blocked/",
    "edit-purpose": "<edit>",
    "remove": "<remove>",
}
PHONE_PAGES = {"landing", "home", "profile", "person", "network", "resource", "connect", "topic"}
DARK_PAGES = {"landing", "home", "person", "resource", "connect", "network", "signup", "topic"}

AUDIT_JS = """() => {
  const problems = [];
  const h1 = document.querySelectorAll('h1').length;
  if (h1 !== 1) problems.push(`${h1} h1 elements`);
  for (const tag of ['header', 'nav', 'main', 'footer']) {
    if (!document.querySelector(tag)) problems.push(`no <${tag}>`);
  }
  const skip = document.querySelector('a.skip-link');
  const target = skip && document.querySelector(skip.getAttribute('href'));
  if (!target) problems.push('skip link broken');
  for (const el of document.querySelectorAll('input, select, textarea')) {
    if (['hidden', 'submit', 'button'].includes(el.type)) continue;
    const named = el.labels?.length || el.getAttribute('aria-label')
      || el.getAttribute('aria-labelledby');
    if (!named) problems.push(`unlabelled field ${el.name || el.id}`);
    if (el.getAttribute('aria-invalid') === 'true' && !el.getAttribute('aria-describedby')) {
      problems.push(`error not tied to ${el.name}`);
    }
  }
  for (const img of document.querySelectorAll('img:not([alt])')) {
    problems.push(`img without alt ${img.src}`);
  }
  const ids = {};
  for (const el of document.querySelectorAll('[id]')) ids[el.id] = (ids[el.id] || 0) + 1;
  for (const [id, n] of Object.entries(ids)) if (n > 1) problems.push(`duplicate id ${id}`);
  const wide = document.documentElement.scrollWidth - document.documentElement.clientWidth;
  if (wide > 1) problems.push(`scrolls sideways by ${wide}px`);
  return problems;
}"""


def log_in(page: Page) -> None:
    """Sign in as the demo account HANDLE."""
    page.goto(BASE + "/accounts/login/")
    page.fill("input[name=login]", HANDLE)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action$='/login/'] button[type=submit]")
    page.wait_for_load_state()


def first_href(page: Page, path: str, selector: str) -> str:
    """The href of the first element matching `selector` on `path`, or "" when there is none."""
    page.goto(BASE + path)
    link = page.locator(selector).first
    return (link.get_attribute("href") or "") if link.count() else ""


def discover(page: Page) -> dict[str, str]:
    """Find a topic, a person, posts of each kind and a connect form on the running site."""
    found = {
        "topic": first_href(page, "/topics/", "main .topic-tile a, main a.chip"),
        "resource": first_href(page, "/home/?kind=resource", "article.card--resource h3 a"),
        "note": first_href(
            page, "/home/?kind=note", "article.card--note .card__footer a:text-matches('^[0-9]')"
        ),
        "article": first_href(page, "/home/?kind=article", "article.card--article h3 a"),
    }
    found["edit"] = first_href(page, "/network/", "main a[href$='/edit/']")
    found["remove"] = found["edit"].replace("/edit/", "/remove/")
    page.goto(BASE + found["topic"])
    people = page.locator("aside .person__name")
    hrefs = [people.nth(i).get_attribute("href") or "" for i in range(people.count())]
    found["person"] = next((h for h in hrefs if h != f"/@{HANDLE}/"), "")
    found["connect"] = ""
    for href in hrefs:
        connect = first_href(page, href, "main a.button[href^='/connect/']")
        if connect:
            found["connect"] = connect
            break
    return found


def shoot(page: Page, name: str, path: str | None, full: bool = False) -> None:
    """Open `path` (None: stay on the page as it is), save `name`.png and print the audit."""
    if ONLY and name.split("-")[0] not in ONLY and name not in ONLY:
        return
    if path is not None:
        page.goto(BASE + path)
    page.wait_for_load_state()
    path = page.url.removeprefix(BASE)
    page.screenshot(path=str(OUT / f"{PREFIX}{name}.png"), full_page=full)
    problems = page.evaluate(AUDIT_JS)
    print(f"{name:28} {path:40} {'; '.join(problems) or 'ok'}")


def visitor_pages(browser: Browser) -> None:
    """Screenshots of what someone who is not signed in sees."""
    for scheme in ("light", "dark"):
        for size, viewport in (("", DESKTOP), ("-phone", PHONE)):
            context = browser.new_context(viewport=viewport, color_scheme=scheme)
            page = context.new_page()
            suffix = size + ("-dark" if scheme == "dark" else "")
            for name, path in ANONYMOUS.items():
                if scheme == "dark" and name not in DARK_PAGES:
                    continue
                if size and name not in PHONE_PAGES | {"login", "signup"}:
                    continue
                shoot(page, name + suffix, path, full=(name == "landing" and not size))
            if not size and scheme == "light":
                page.goto(BASE + "/accounts/signup/")
                page.fill("input[name=email]", "noor@school.example")
                page.fill("input[name=username]", "no spaces allowed")
                page.fill("input[name=password1]", "short")
                page.fill("input[name=password2]", "different")
                page.click("form[action$='/signup/'] button[type=submit]")
                shoot(page, "signup-errors", None, full=True)
            context.close()


def learner_pages(browser: Browser) -> None:
    """Screenshots of what the demo learner sees, light and dark, desktop and phone."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    log_in(page)
    found = discover(page)
    paths = {
        name: found.get(path.strip("<>"), "") if path.startswith("<") else path
        for name, path in SIGNED_IN.items()
    }
    for name, path in paths.items():
        if path:
            shoot(page, name, path, full=name in {"note", "resource", "network", "person"})
        else:
            print(f"{name:28} (not found on this site)")
    storage = context.storage_state()
    context.close()
    for scheme, viewport, suffix, names in (
        ("light", PHONE, "-phone", PHONE_PAGES),
        ("dark", DESKTOP, "-dark", DARK_PAGES),
        ("dark", PHONE, "-phone-dark", {"home", "resource"}),
    ):
        context = browser.new_context(viewport=viewport, color_scheme=scheme, storage_state=storage)
        page = context.new_page()
        for name in names:
            if paths.get(name):
                shoot(page, name + suffix, paths[name])
        if scheme == "light" and paths["connect"]:
            page.set_viewport_size(DESKTOP)
            page.goto(BASE + paths["connect"])
            page.fill("input[name=met_url]", "not a link")
            page.click("#purpose-form .form-actions button[type=submit]")
            shoot(page, "connect-errors", None, full=True)
        context.close()


def main() -> None:
    """Visit each page at desktop and phone widths, light and dark; save PNGs, print the audit."""
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path="/usr/bin/chromium",
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        if not PREFIX:
            visitor_pages(browser)
        learner_pages(browser)
        browser.close()


if __name__ == "__main__":
    main()
