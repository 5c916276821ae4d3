#!/usr/bin/env python3
"""Real-browser tests of `sop serve`: headless Chromium driven by Selenium.

    python3 Tests/Browser/test_browser.py path/to/sop [unittest options]

(or `bash Tests/Browser/run.sh path/to/sop`, which picks a Python that has Selenium).

Each run makes a fresh tracker in a temporary folder, fills it with the CLI, starts
`sop serve --listen 127.0.0.1:0` on a port the system picks, and stops it again at the end,
on failure and on SIGTERM too. Screenshots of every main step go to `.build/browser/` under
the repository root (a failing step adds `FAIL-<test>.png`).

The tests run in order and each uses its own browser:
  1. a team member: sign in, portfolio, upload evidence, download it, mark, sign off, a CLI
     change under the open page (sign-off goes stale), sign out;
  2. the customer portal: invitation link to sign-off, no internal data, the link works once,
     the team's pages answer 404;
  3. a form posted from pages on other origins is refused and changes nothing;
  4. hostile customer text is shown as text: no script runs, no markup gets through;
  5. the audit trail still verifies and the server is still up.
"""

import hashlib
import http.server
import json
import os
import re
import shutil
import signal
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

REPO = Path(__file__).resolve().parents[2]
SHOTS = REPO / ".build" / "browser"
CHROMIUM = os.environ.get("SOP_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("SOP_CHROMEDRIVER", "/usr/bin/chromedriver")
WAIT = 20  # seconds an explicit wait may take before the step fails

PASSWORD = "correct horse battery staple"
HOSTILE_NAME = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
HOSTILE_NOTE = "[javascript:alert(3)](javascript:alert(3)) open \u202egnp.exe now"
INTERNAL_NOTE = "INTERNAL-ONLY margin discussion with the reseller"

SOP = None  # the sop binary (argv[1])
T = None  # the Tracker fixture, set up once for all tests
LIVE = {}  # browsers not quit yet (driver -> profile folder), for a stop by signal


class Stopped(KeyboardInterrupt):
    """SIGTERM: unittest lets KeyboardInterrupt through (any other exception would only fail
    the current test and go on), so the run stops and main() cleans up."""


def _die_with_parent():
    """Run in the server's child process: SIGTERM it when this script dies, however it dies."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except Exception:
        pass


class Tracker:
    """A temporary tracker, the CLI over it and one `sop serve` on a free loopback port."""

    def __init__(self, sop):
        self.sop = sop
        self.dir = Path(tempfile.mkdtemp(prefix="sop-browser-"))
        self.env = dict(os.environ)
        for name in list(self.env):
            if name.startswith("SOP_"):
                del self.env[name]
        self.env.update(
            SOP_DB=str(self.dir / "tracker.sqlite"),
            SOP_USER="alex",
            SOP_TEMPLATES=str(REPO / "Templates"),
            XDG_DATA_HOME=str(self.dir / "xdg"),
        )
        self.server = None
        self.final_log = ""
        self.stderr_path = self.dir / "serve.stderr"
        self.base = None

    def cli(self, *args, env=None, check=True):
        full = dict(self.env, **(env or {}))
        done = subprocess.run(
            [self.sop, *args], cwd=REPO, env=full, capture_output=True, text=True, timeout=60
        )
        if check and done.returncode != 0:
            raise AssertionError(
                f"sop {' '.join(args)} exited {done.returncode}\n{done.stdout}{done.stderr}"
            )
        return done

    def status(self, slug="acme"):
        return json.loads(self.cli("status", slug, "--json").stdout)

    def item(self, item_id, slug="acme"):
        return next(i for i in self.status(slug)["items"] if i["id"] == item_id)

    def start(self):
        self._stderr = open(self.stderr_path, "wb")
        self.server = subprocess.Popen(
            [self.sop, "serve", "--listen", "127.0.0.1:0"],
            cwd=REPO,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self._stderr,
            preexec_fn=_die_with_parent,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            text = self.stderr_path.read_text(errors="replace")
            found = re.search(r"listening on (http://127\.0\.0\.1:\d+)/", text)
            if found:
                self.base = found.group(1)
                return
            if self.server.poll() is not None:
                raise RuntimeError(f"sop serve exited {self.server.returncode}:\n{text}")
            time.sleep(0.05)
        raise RuntimeError("sop serve did not say it was listening within 30 s")

    def stop(self):
        if self.server and self.server.poll() is None:
            self.server.terminate()
            try:
                self.server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.server.kill()
                self.server.wait()
        if getattr(self, "_stderr", None):
            self._stderr.close()
            self._stderr = None

    def server_log(self):
        try:
            return self.stderr_path.read_text(errors="replace")
        except OSError:
            return ""

    def cleanup(self):
        self.stop()
        self.final_log = self.server_log()
        if os.environ.get("SOP_BROWSER_KEEP"):
            print(f"kept the tracker in {self.dir}", file=sys.stderr)
        else:
            shutil.rmtree(self.dir, ignore_errors=True)


# MARK: plain HTTP beside the browser


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect)


def fetch(url, cookie=None, method="GET", data=None, headers=None):
    """(status, headers, body bytes) of one request, redirects not followed."""
    request = urllib.request.Request(url, method=method, data=data, headers=dict(headers or {}))
    if cookie:
        request.add_header("Cookie", f"sop_session={cookie}")
    try:
        with _OPENER.open(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class OtherSite:
    """A static web site on another origin (python's http.server, in a thread)."""

    def __init__(self, host, folder):
        handler = lambda *a, **k: _QuietHandler(*a, directory=str(folder), **k)  # noqa: E731
        self.httpd = socketserver.ThreadingTCPServer((host, 0), handler)
        self.httpd.daemon_threads = True
        self.base = f"http://{host}:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


# MARK: the fixture for the whole run


def setUpModule():
    global T
    SHOTS.mkdir(parents=True, exist_ok=True)
    for old in SHOTS.glob("*.png"):
        old.unlink()
    T = Tracker(SOP)
    unittest.addModuleCleanup(T.cleanup)
    T.cli("new", "acme", "--name", "Acme", "--email", "a@acme.example", "--owner", "pat")
    T.cli(
        "user", "add", "priya", "--role", "Security Lead", "--role", "Project Manager",
        "--password-env", "PW", env={"PW": PASSWORD},
    )
    T.start()


def tearDownModule():
    if T is not None:
        T.stop()


def quit_browser(driver):
    LIVE.pop(driver, None)
    driver.quit()


class BrowserTest(unittest.TestCase):
    """A fresh headless Chromium per test, quit at the end whatever happened."""

    def setUp(self):
        options = Options()
        options.binary_location = CHROMIUM
        for argument in (
            "--headless=new",
            "--no-sandbox",
            "--disable-dev-shm-usage",
            "--disable-gpu",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-extensions",
            "--disable-background-networking",
            "--disable-sync",
            "--no-proxy-server",
            "--window-size=1280,1400",
        ):
            options.add_argument(argument)
        self.profile = tempfile.mkdtemp(prefix="sop-chromium-")
        options.add_argument(f"--user-data-dir={self.profile}")
        # An alert must stay open for the check, not be dismissed by the driver.
        options.set_capability("unhandledPromptBehavior", "ignore")
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.addCleanup(shutil.rmtree, self.profile, True)
        self.driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
        LIVE[self.driver] = self.profile
        self.addCleanup(quit_browser, self.driver)
        self.driver.set_page_load_timeout(60)
        self.wait = WebDriverWait(self.driver, WAIT)

    # MARK: helpers

    def url(self, path):
        return T.base + path

    def path(self):
        parsed = urllib.parse.urlsplit(self.driver.current_url)
        return parsed.path + (("?" + parsed.query) if parsed.query else "")

    def signin_next(self):
        """The page the sign-in form returns to (asserting the browser is on /signin)."""
        parsed = urllib.parse.urlsplit(self.driver.current_url)
        self.assertEqual(parsed.path, "/signin")
        return urllib.parse.parse_qs(parsed.query).get("next", [None])[0]

    def shot(self, name, element=None):
        if element is not None:
            try:
                self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
            except Exception:
                pass
        self.driver.save_screenshot(str(SHOTS / f"{name}.png"))

    def fail_shot(self):
        try:
            self.driver.save_screenshot(str(SHOTS / f"FAIL-{self._testMethodName}.png"))
        except Exception:
            pass

    def css(self, selector, root=None):
        return (root or self.driver).find_element(By.CSS_SELECTOR, selector)

    def all_css(self, selector, root=None):
        return (root or self.driver).find_elements(By.CSS_SELECTOR, selector)

    def visit(self, path):
        self.driver.get(self.url(path))
        self.wait.until(EC.presence_of_element_located((By.TAG_NAME, "main")))

    def submit(self, button, refusal_expected=False):
        """Clicks a submit button and waits for the page the server answers with; an error
        page (the server refused the post) fails the step with the server's reason."""
        old = self.driver.find_element(By.TAG_NAME, "html")
        button.click()
        self.wait.until(EC.staleness_of(old))
        self.wait.until(EC.presence_of_element_located((By.TAG_NAME, "main")))
        refusal = self.error_page()
        if refusal and not refusal_expected:
            self.fail(f"the server answered the form post to {self.path()} with an error page: {refusal}")

    def error_page(self):
        """'Heading: reason' when the browser shows the server's error page, else None."""
        if self.all_css("nav.top") or not self.all_css("main > h1 + p.notice.error"):
            return None
        return f"{self.h1()}: {self.css('p.notice.error').text}"

    def notice(self):
        element = self.wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "p.notice")))
        return element.text, "error" in (element.get_attribute("class") or "").split()

    def expect_notice(self, pattern):
        text, is_error = self.notice()
        self.assertFalse(is_error, f"the action was refused: {text}")
        self.assertRegex(text, pattern)
        return text

    def h1(self):
        return self.css("h1").text

    def badge(self, row_selector):
        return self.css(row_selector + " span.badge").text

    def signoff_state(self, target, role):
        return self.badge(f'table.signoffs tr[data-target="{target}"][data-role="{role}"]')

    def item_status(self, item):
        return self.badge(f'tr[data-item="{item}"]')

    def session_cookie(self):
        cookie = self.driver.get_cookie("sop_session")
        self.assertIsNotNone(cookie, "no sop_session cookie in the browser")
        return cookie["value"]

    def assert_no_alert(self):
        try:
            alert = self.driver.switch_to.alert
            text = alert.text
            alert.dismiss()
            self.fail(f"an alert opened: {text!r}")
        except NoAlertPresentException:
            pass

    def csp_violations(self):
        return [
            entry["message"]
            for entry in self.driver.get_log("browser")
            if "Content Security Policy" in entry.get("message", "")
        ]

    def form(self, action):
        return self.css(f'form.action[action="{action}"]')

    def sign_in(self, name="priya", password=PASSWORD, next_path="/"):
        self.visit("/signin?next=" + urllib.parse.quote(next_path, safe=""))
        self.css('input[name="name"]').send_keys(name)
        self.css('input[name="password"]').send_keys(password)
        self.submit(self.css('form[action="/signin"] button'))
        self.assertEqual(self.path(), next_path)


def screenshot_on_failure(test):
    def wrapper(self):
        try:
            test(self)
        except BaseException:
            self.fail_shot()
            raise

    wrapper.__name__ = test.__name__
    wrapper.__doc__ = test.__doc__
    return wrapper


class Flows(BrowserTest):
    @screenshot_on_failure
    def test_1_team_member(self):
        """Sign in, portfolio, evidence upload and download, mark, sign-off, CLI change, sign out."""
        d = self.driver

        # A protected page sends the browser to the sign-in form, which comes back to it.
        d.get(self.url("/"))
        self.wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, 'form[action="/signin"]')))
        self.assertEqual(self.signin_next(), "/")
        self.assertEqual(self.css('input[name="next"]').get_attribute("value"), "/")
        self.shot("1-01-signin")
        self.css('input[name="name"]').send_keys("priya")
        self.css('input[name="password"]').send_keys(PASSWORD)
        self.submit(self.css('form[action="/signin"] button'))
        self.assertEqual(self.path(), "/")

        # The portfolio lists the customer; filter and sort keep it where it belongs.
        row = self.css('table.portfolio tr[data-slug="acme"]')
        self.assertIn("Acme", row.text)
        self.assertIn("pat", row.text)
        self.assertIn("priya", self.css("nav.top span.who").text)
        self.shot("1-02-portfolio")
        Select(self.css('form.filters select[name="owner"]')).select_by_value("-")
        self.submit(self.css("form.filters button"))
        self.assertIn("owner=-", self.path())
        self.assertEqual(self.all_css('table.portfolio tr[data-slug="acme"]'), [])
        Select(self.css('form.filters select[name="owner"]')).select_by_value("pat")
        self.submit(self.css("form.filters button"))
        self.assertEqual(len(self.all_css('table.portfolio tr[data-slug="acme"]')), 1)
        self.submit(self.css('table.portfolio th a[href*="sort=customer"]'))
        self.assertIn("sort=customer", self.path())
        self.assertIn("owner=pat", self.path())
        self.submit(self.css('table.portfolio tr[data-slug="acme"] a[href="/customers/acme"]'))
        self.assertEqual(self.path(), "/customers/acme")
        self.assertEqual(self.h1(), "Acme")
        self.assertEqual(self.item_status("gov.security-policies"), "todo")
        self.shot("1-03-customer")

        # Upload a file as evidence through the form.
        upload = T.dir / "security-policy.pdf"
        payload = b"%PDF-1.4\n% sop browser test\n" + bytes(range(256)) * 8 + b"\n%%EOF\n"
        upload.write_bytes(payload)
        form = self.form("/customers/acme/evidence")
        Select(self.css('select[name="item"]', form)).select_by_value("gov.security-policies")
        self.css('input[type="file"][name="file"]', form).send_keys(str(upload))
        self.submit(self.css("button", form))
        self.expect_notice(r"^E\d+ added to gov\.security-policies$")
        link = self.css('tr[data-item="gov.security-policies"] ul.evidence a[download]')
        self.assertEqual(link.text, "security-policy.pdf")
        self.shot("1-04-evidence-uploaded", link)

        # The link downloads the same bytes, with the session's cookie.
        href = link.get_attribute("href")
        self.assertRegex(href, r"/customers/acme/evidence/E\d+$")
        status, headers, body = fetch(href, cookie=self.session_cookie())
        self.assertEqual(status, 200)
        self.assertEqual(body, payload)
        self.assertEqual(headers["X-Evidence-SHA256"], hashlib.sha256(payload).hexdigest())
        self.assertTrue(headers["Content-Disposition"].startswith("attachment"))
        status, headers, _ = fetch(href)
        self.assertIn(status, (302, 303), "without the cookie: a redirect to sign-in")
        self.assertTrue(headers["Location"].startswith("/signin"))

        # Mark it done, then sign it off as Security Lead.
        form = self.form("/customers/acme/mark")
        Select(self.css('select[name="item"]', form)).select_by_value("gov.security-policies")
        Select(self.css('select[name="state"]', form)).select_by_value("done")
        self.submit(self.css("button", form))
        self.expect_notice(r"^gov\.security-policies marked done$")
        self.assertEqual(self.item_status("gov.security-policies"), "done")

        self.assertEqual(self.signoff_state("gov.security-policies", "Security Lead"), "missing")
        form = self.form("/customers/acme/signoff")
        Select(self.css('select[name="target"]', form)).select_by_value("gov.security-policies")
        Select(self.css('select[name="role"]', form)).select_by_value("Security Lead")
        self.css('input[name="note"]', form).send_keys("Policies read and approved")
        self.submit(self.css("button", form))
        self.expect_notice(r"^gov\.security-policies signed off as Security Lead$")
        self.assertEqual(self.signoff_state("gov.security-policies", "Security Lead"), "valid")
        row = self.css('table.signoffs tr[data-target="gov.security-policies"][data-role="Security Lead"]')
        self.assertIn("priya", row.text)
        self.assertIn("Policies read and approved", row.text)
        self.shot("1-05-signed-off", row)

        # The CLI changes the tracker under the open page; a reload shows it.
        T.cli("evidence", "add", "acme", "gov.security-policies", "--note", "Revised MFA rule (from the CLI)")
        T.cli("mark", "acme", "prep.root-email", "in-progress")
        d.refresh()
        self.wait.until(EC.presence_of_element_located((By.TAG_NAME, "main")))
        self.assertEqual(self.all_css("p.notice"), [], "a notice shown twice")
        self.assertEqual(self.item_status("prep.root-email"), "in-progress")
        self.assertIn(
            "Revised MFA rule (from the CLI)", self.css('tr[data-item="gov.security-policies"]').text
        )
        self.assertEqual(self.signoff_state("gov.security-policies", "Security Lead"), "stale")
        stats = self.css("div.stats").text
        self.assertRegex(stats, r"1\s*stale sign-offs")
        activity = self.css("table.activity").text
        self.assertIn("prep.root-email", activity)
        self.shot(
            "1-06-after-cli-change",
            self.css('table.signoffs tr[data-target="gov.security-policies"][data-role="Security Lead"]'),
        )

        # Sign out: the session is gone in the server too, not only the cookie.
        cookie = self.session_cookie()
        self.submit(self.css("nav.top form.signout button"))
        self.assertEqual(self.path(), "/signin")
        self.assertIsNone(d.get_cookie("sop_session"))
        d.get(self.url("/customers/acme"))
        self.wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, 'form[action="/signin"]')))
        self.assertEqual(self.signin_next(), "/customers/acme")
        self.assertNotIn("Acme", d.find_element(By.TAG_NAME, "main").text)
        self.shot("1-07-signed-out")
        status, headers, _ = fetch(self.url("/customers/acme"), cookie=cookie)
        self.assertIn(status, (302, 303))
        self.assertTrue(headers["Location"].startswith("/signin"))

    @screenshot_on_failure
    def test_2_customer_portal(self):
        """Invitation link to sign-off; the stakeholder sees only the customer audience."""
        d = self.driver
        # The team prepares: an internal note, and section 15.1 ready for its sign-offs.
        T.cli("evidence", "add", "acme", "prep.billing-info", "--note", INTERNAL_NOTE, "--internal")
        approval = T.dir / "approval.txt"
        approval.write_text("Approved by the customer's steering group.\n")
        T.cli("evidence", "add", "acme", "final.review-checklist", "--note", "Checklist reviewed")
        T.cli("mark", "acme", "final.review-checklist", "done")
        T.cli("evidence", "add", "acme", "final.stakeholder-approval", "--note", "Approval recorded")
        T.cli("evidence", "add", "acme", "final.stakeholder-approval", "--file", str(approval))
        T.cli("mark", "acme", "final.stakeholder-approval", "done")
        out = T.cli(
            "invite", "acme", "--role", "Customer Stakeholder", "--email", "jo@acme.example",
            "--base-url", T.base,
        ).stdout
        found = re.search(r"(http://127\.0\.0\.1:\d+/invite/[A-Za-z0-9_-]{43})", out)
        self.assertIsNotNone(found, f"no invitation link in: {out!r}")
        link = found.group(1)
        owned = {i["id"] for i in T.status()["items"] if i["owner_role"] == "Customer Stakeholder"}
        self.assertIn("prep.billing-info", owned)

        # The link shows a Continue button; pressing it opens the portal.
        d.get(link)
        button = self.wait.until(
            EC.presence_of_element_located((By.CSS_SELECTOR, 'form[action^="/invite/"] button'))
        )
        self.assertEqual(button.text, "Continue")
        self.shot("2-01-invitation")
        self.submit(button)
        self.assertEqual(self.path(), "/portal")
        self.assertEqual(self.h1(), "Acme")
        self.assertEqual(self.css("nav.top span.who").text, "jo@acme.example · Customer Stakeholder")
        source = d.page_source
        self.assertNotIn(INTERNAL_NOTE, source)
        self.assertNotIn("INTERNAL-ONLY", source)
        self.assertNotIn("Audit log", source)
        self.assertNotIn("audience=internal", source)
        self.assertEqual(self.all_css('form[action^="/customers/"]'), [])
        self.shot("2-02-portal")

        # Evidence: only the items the role owns are offered; a file goes in.
        form = self.css('form.action[action="/portal/evidence"]')
        select = Select(self.css('select[name="item"]', form))
        self.assertEqual({o.get_attribute("value") for o in select.options}, owned)
        select.select_by_value("prep.billing-info")
        upload = T.dir / "billing-contact.txt"
        payload = "Rechnungsadresse: Müller GmbH, Abteilung Einkauf\nEntered by: Jo\n".encode()
        upload.write_bytes(payload)
        self.css('input[type="file"][name="file"]', form).send_keys(str(upload))
        self.submit(self.css("button", form))
        self.expect_notice(r"^E\d+ handed over for prep\.billing-info$")
        anchor = self.css('tr[data-item="prep.billing-info"] ul.evidence a[download]')
        self.assertEqual(anchor.text, "billing-contact.txt")
        self.assertRegex(anchor.get_attribute("href"), r"/portal/evidence/E\d+$")
        self.assertNotIn(INTERNAL_NOTE, d.page_source)
        self.shot("2-03-portal-evidence", anchor)
        portal_cookie = self.session_cookie()
        status, _, body = fetch(anchor.get_attribute("href"), cookie=portal_cookie)
        self.assertEqual((status, body), (200, payload))

        # Sign off the final confirmation as Customer Stakeholder.
        self.assertEqual(self.signoff_state("15.1", "Customer Stakeholder"), "missing")
        form = self.css('form[action="/portal/signoff"][data-target="15.1"]')
        self.css('input[name="note"]', form).send_keys("Confirmed for Acme")
        button = self.css("button", form)
        self.assertEqual(button.text, "Sign off as Customer Stakeholder")
        self.submit(button)
        self.expect_notice(r"^15\.1 signed off as Customer Stakeholder$")
        self.assertEqual(self.signoff_state("15.1", "Customer Stakeholder"), "valid")
        self.assertEqual(
            self.css('form[action="/portal/signoff"][data-target="15.1"] span.badge').text, "valid"
        )
        self.shot(
            "2-04-portal-signed-off",
            self.css('table.signoffs tr[data-target="15.1"][data-role="Customer Stakeholder"]'),
        )
        given = [
            s for s in T.status()["signoffs"]
            if s["target"] == "15.1" and s["role"] == "Customer Stakeholder"
        ]
        self.assertEqual([s["state"] for s in given], ["valid"])

        # The team's pages do not exist for a portal session: 404, no data.
        for path in ("/customers/acme", "/", "/activity", "/customers/acme/evidence/E1"):
            status, _, body = fetch(self.url(path), cookie=portal_cookie)
            self.assertEqual(status, 404, path)
            self.assertNotIn(b"Acme", body, path)
            self.assertNotIn(b"data-slug", body, path)
        d.get(self.url("/customers/acme"))
        self.wait.until(EC.presence_of_element_located((By.TAG_NAME, "h1")))
        self.assertEqual(self.h1(), "Not Found")
        self.assertNotIn("Acme", d.find_element(By.TAG_NAME, "main").text)
        self.shot("2-05-portal-team-page-404")
        d.get(self.url("/"))
        self.wait.until(EC.presence_of_element_located((By.TAG_NAME, "h1")))
        self.assertEqual(self.h1(), "Not Found")
        self.assertEqual(self.all_css("table.portfolio"), [])

        # The link worked once: a second use is refused.
        d.get(link)
        button = self.wait.until(
            EC.presence_of_element_located((By.CSS_SELECTOR, 'form[action^="/invite/"] button'))
        )
        self.submit(button, refusal_expected=True)
        self.assertEqual(self.h1(), "Forbidden")
        self.assertTrue(self.css("p.notice.error").text)
        self.shot("2-06-invitation-used-again")
        status, _, _ = fetch(link, method="POST", data=b"")
        self.assertEqual(status, 403)

    @screenshot_on_failure
    def test_3_cross_site_post(self):
        """A form on another origin posting to the tracker is refused and changes nothing."""
        d = self.driver
        self.sign_in()
        cookie = self.session_cookie()
        before = T.status()
        item_before = next(i for i in before["items"] if i["id"] == "prep.company-details")
        self.assertEqual(item_before["status"], "todo")

        folder = T.dir / "other-site"
        folder.mkdir(exist_ok=True)
        form = f"""<form id="f" method="post" action="{T.base}/customers/acme/mark">
<input type="hidden" name="item" value="prep.company-details">
<input type="hidden" name="state" value="blocked">
<input type="hidden" name="reason" value="pwned from another site">
<button id="go">Claim your prize</button></form>"""
        (folder / "auto.html").write_text(
            f"<!doctype html><title>Prize</title><h1>Win a prize</h1>{form}"
            "<script>document.getElementById('f').submit()</script>"
        )
        (folder / "click.html").write_text(f"<!doctype html><title>Prize</title><h1>Win a prize</h1>{form}")
        # Same host, another port (same site, another origin: the Lax cookie goes along), and
        # another loopback address (another site).
        sites = [OtherSite("127.0.0.1", folder), OtherSite("127.0.0.2", folder)]
        try:
            for number, (site, page, word) in enumerate(
                [(sites[0], "auto.html", "same-site"), (sites[1], "click.html", "cross-site")], start=1
            ):
                d.get(f"{site.base}/{page}")
                if page == "click.html":
                    self.shot("3-01-other-site-page")
                    self.css("#go").click()
                self.wait.until(lambda drv: drv.current_url.startswith(T.base + "/customers/acme/mark"))
                self.wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "p.notice.error")))
                self.assertEqual(self.h1(), "Forbidden")
                message = self.css("p.notice.error").text
                self.assertIn("refused", message)
                self.assertIn(f"Sec-Fetch-Site: {word}", message)
                self.shot(f"3-0{number + 1}-refused-{word}")
        finally:
            for site in sites:
                site.close()

        # Without the browser's headers the form token still guards: a post that claims to be
        # same-origin but lacks the token is refused, and so is one with a foreign Origin.
        form_data = urllib.parse.urlencode(
            {"item": "prep.company-details", "state": "blocked", "reason": "pwned"}
        ).encode()
        content = {"Content-Type": "application/x-www-form-urlencoded"}
        status, _, body = fetch(
            self.url("/customers/acme/mark"), cookie=cookie, method="POST", data=form_data,
            headers=dict(content, **{"Origin": T.base, "Sec-Fetch-Site": "same-origin"}),
        )
        self.assertEqual(status, 403)
        self.assertIn(b"another site", body)
        status, _, body = fetch(
            self.url("/customers/acme/mark"), cookie=cookie, method="POST", data=form_data,
            headers=dict(content, Origin="http://127.0.0.2:9"),
        )
        self.assertEqual(status, 403)
        self.assertIn(b"another origin", body)

        # Nothing changed, and the session was live all along.
        after = T.status()
        item_after = next(i for i in after["items"] if i["id"] == "prep.company-details")
        self.assertEqual(item_after["status"], "todo")
        self.assertEqual(after["audit_head"], before["audit_head"])
        self.assertNotIn("pwned", T.cli("log", "acme").stdout)
        self.visit("/customers/acme")
        self.assertEqual(self.h1(), "Acme")
        self.assertEqual(self.item_status("prep.company-details"), "todo")

    @screenshot_on_failure
    def test_4_hostile_text(self):
        """Markup in a customer name and a note is shown as text; no script runs."""
        d = self.driver
        T.cli("new", "evil", "--name", HOSTILE_NAME, "--email", "e@evil.example")
        T.cli("evidence", "add", "evil", "prep.root-email", "--note", HOSTILE_NOTE)
        self.sign_in()
        d.get_log("browser")  # drop what came before

        def check_page():
            self.assert_no_alert()
            source = d.page_source
            self.assertNotIn("<script>alert", source)
            self.assertNotIn("<img src=x", source.lower())
            self.assertNotIn("\u202e", source)
            self.assertEqual(self.all_css("script"), [])
            self.assertEqual(self.all_css("img"), [])
            self.assertEqual(self.all_css('a[href^="javascript" i], [onerror]'), [])
            self.assertEqual(self.csp_violations(), [])

        self.visit("/")
        row = self.css('table.portfolio tr[data-slug="evil"]')
        self.assertEqual(self.css('a[href="/customers/evil"]', row).text, HOSTILE_NAME)
        check_page()
        self.shot("4-01-hostile-portfolio", row)

        self.visit("/customers/evil")
        check_page()
        self.assertEqual(self.h1(), HOSTILE_NAME)
        evidence = self.css('tr[data-item="prep.root-email"] ul.evidence').text
        self.assertIn("[javascript:alert(3)](javascript:alert(3)) open", evidence)
        self.assertNotIn("\u202e", evidence)
        self.shot("4-02-hostile-customer")
        self.shot("4-03-hostile-note", self.css('tr[data-item="prep.root-email"]'))

    def test_5_audit_trail(self):
        """After everything: the audit chain verifies and the server is still serving."""
        self.assertIsNone(T.server.poll(), f"sop serve exited:\n{T.server_log()}")
        status, _, _ = fetch(self.url("/static/sop.css"))
        self.assertEqual(status, 200)
        done = T.cli("audit", "verify", check=False)
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        self.assertIn("intact", done.stdout)


def main():
    global SOP
    args = sys.argv[1:]
    SOP = args.pop(0) if args and not args[0].startswith("-") else os.environ.get("SOP_BIN", "")
    if not SOP or not os.access(SOP, os.X_OK):
        sys.exit(f"usage: {sys.argv[0]} PATH/TO/sop [unittest options] (no executable at {SOP!r})")
    SOP = str(Path(SOP).resolve())
    for tool in (CHROMIUM, CHROMEDRIVER):
        if not os.access(tool, os.X_OK):
            sys.exit(f"{tool} is missing: `make prereqs` installs chromium and chromium-driver")
    # SIGTERM (timeout, CI) stops the run; the browsers and the server are stopped with it.
    def stop(*_):
        raise Stopped()

    signal.signal(signal.SIGTERM, stop)
    started = time.monotonic()
    try:
        program = unittest.main(module=__name__, argv=[sys.argv[0], *args], exit=False, verbosity=2)
    except KeyboardInterrupt:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        for driver, profile in list(LIVE.items()):
            try:
                quit_browser(driver)
            except Exception:
                pass
            shutil.rmtree(profile, ignore_errors=True)
        if T is not None:
            T.cleanup()
        print("browser: stopped before the end", file=sys.stderr)
        sys.exit(130)
    result = program.result
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    passed = result.testsRun - failed - len(result.skipped)
    if failed and T is not None:
        print("--- sop serve stderr ---\n" + (T.final_log or T.server_log()), file=sys.stderr)
    print(f"screenshots: {SHOTS}")
    print(f"time: {time.monotonic() - started:.1f} s")
    print(f"browser: {passed} passed, {failed} failed")
    sys.exit(1 if failed or result.testsRun == 0 else 0)


if __name__ == "__main__":
    main()
