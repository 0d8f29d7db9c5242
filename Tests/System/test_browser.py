"""A real browser: headless Chromium (Debian `chromium` + `chromium-driver`, driven by Selenium)
goes through the citizen portal of the running system the way a citizen would: signs in through
the development identity provider, pairs a key with the simulator while the pairing page waits,
renames it, saves the notification settings, meets a stale save from a second tab, and unpairs
the last key past the last-means warning. Every screen is saved to
`.test-artifacts/screenshots/NN-name.png`; the assertions are on visible Czech text and page state.
"""

from __future__ import annotations

import base64
import shutil
import time
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import (NoSuchElementException, StaleElementReferenceException, TimeoutException,
                                        WebDriverException)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

import launcher

EVA = "demo-eva-dvorakova"
EVA_NAME = "Eva Dvořáková"
WAIT = 20  # every explicit wait's bound, seconds
SCREENSHOTS = Path(__file__).resolve().parents[2] / ".test-artifacts" / "screenshots"
DESKTOP = (1280, 900)
PHONE = (390, 844)


def _executable(*names: str) -> str:
    for name in names:
        found = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else None)
        if found:
            return found
    raise AssertionError(f"none of {names} is installed (scripts/lib/packages.sh installs chromium chromium-driver)")


@pytest.fixture
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = _executable("chromium", "chromium-browser")
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--lang=cs-CZ",
                     f"--window-size={DESKTOP[0]},{DESKTOP[1]}", "--disable-gpu", "--no-first-run",
                     "--disable-extensions", "--disable-background-networking"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"intl.accept_languages": "cs-CZ,cs"})
    driver = webdriver.Chrome(options=options, service=Service(_executable("chromedriver")))
    driver.set_page_load_timeout(WAIT)
    driver.set_script_timeout(WAIT)
    try:
        yield driver
    finally:
        driver.quit()


def _left_behind(element):
    """A wait condition: `element`'s page has been replaced. Like `EC.staleness_of`, except that a
    node Chromium detaches in the middle of the navigation, which chromedriver reports as "Node with
    given id does not belong to the document" instead of a stale element, counts as gone too."""
    def gone(_driver) -> bool:
        try:
            element.is_enabled()
            return False
        except StaleElementReferenceException:
            return True
        except WebDriverException as error:
            if "does not belong to the document" in str(error):
                return True
            raise
    return gone


class Portal:
    """The browser at the portal: navigation, explicit waits, numbered screenshots."""

    def __init__(self, driver, base: str):
        self.driver = driver
        self.base = base
        self.shots: list[Path] = []
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for old in SCREENSHOTS.glob("*.png"):
            old.unlink()

    def wait(self, condition, what: str, timeout: float = WAIT):
        try:
            return WebDriverWait(self.driver, timeout, ignored_exceptions=(
                NoSuchElementException, StaleElementReferenceException)).until(condition)
        except TimeoutException:
            self.screenshot("failed-" + what.replace(" ", "-")[:40])
            raise AssertionError(f"{what}: not within {timeout} s at {self.driver.current_url}\n"
                                 f"{self.text()[:1500]}") from None

    def open(self, path: str):
        self.driver.get(self.base + path)
        self.wait(lambda d: d.execute_script("return document.readyState") == "complete", f"page {path} loaded")

    def text(self) -> str:
        return self.driver.find_element(By.TAG_NAME, "body").text

    def heading(self) -> str:
        return self.driver.find_element(By.TAG_NAME, "h1").text

    def wait_text(self, fragment: str, what: str | None = None, timeout: float = WAIT):
        self.wait(lambda d: fragment in d.find_element(By.TAG_NAME, "body").text, what or f"text {fragment!r}", timeout)

    def click(self, by, selector):
        element = self.wait(EC.element_to_be_clickable((by, selector)), f"clickable {selector}")
        element.click()
        return element

    def submit_via(self, by, selector):
        """Clicks a submit button and waits until the browser has left the page it was on."""
        old = self.driver.find_element(By.TAG_NAME, "html")
        self.click(by, selector)
        self.wait(_left_behind(old), f"navigation after {selector}")
        self.wait(lambda d: d.execute_script("return document.readyState") == "complete", "the next page loaded")

    def screenshot(self, name: str) -> Path:
        """The whole page (beyond the viewport) as a PNG."""
        path = SCREENSHOTS / f"{len(self.shots) + 1:02d}-{name}.png"
        try:
            metrics = self.driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
            size = metrics.get("cssContentSize") or metrics["contentSize"]
            width = self.driver.execute_script("return window.innerWidth")
            shot = self.driver.execute_cdp_cmd("Page.captureScreenshot", {
                "format": "png", "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": width, "height": size["height"], "scale": 1}})
            path.write_bytes(base64.b64decode(shot["data"]))
        except Exception:  # noqa: BLE001 - the viewport alone is still a useful artifact
            self.driver.save_screenshot(str(path))
        self.shots.append(path)
        return path

    def checkbox(self, element_id: str):
        return self.driver.find_element(By.ID, element_id)


def sign_in(portal: Portal, subject_name: str, patience: float = 70):
    """The sign-in page, then the development identity provider's form; waits out a 429 (the
    gateway limits sign-ins per loopback address, shared with the other system tests)."""
    deadline = time.monotonic() + patience
    first = True
    while True:
        portal.driver.delete_all_cookies()
        portal.open("/prihlaseni")
        assert portal.heading() == "Správa Mobilních klíčů eGovernmentu"
        assert "Vývojové prostředí" in portal.text()
        if first:
            portal.screenshot("prihlaseni")
        portal.submit_via(By.LINK_TEXT, "Přihlásit se přes Národní bod")
        assert portal.heading() == "Vývojový poskytovatel identity"
        assert "Jen pro vývoj" in portal.text()
        if first:
            portal.screenshot("vyvojovy-poskytovatel-identity")
        portal.submit_via(By.XPATH, f"//button[normalize-space()='Přihlásit jako {subject_name}']")
        if "/mobilni-klice" in portal.driver.current_url:
            return
        first = False
        assert time.monotonic() < deadline, f"sign-in refused: {portal.driver.current_url}\n{portal.text()[:500]}"
        time.sleep(3)  # a rate-limit pause before the next attempt, not an assertion


@pytest.mark.timeout(300)
def test_citizen_portal_in_a_real_browser(system, browser, tmp_path):
    portal = Portal(browser, system.gateway_url)
    try:
        _journey(system, browser, portal, tmp_path)
    except Exception as error:
        # The screen and address at the failure, for the report (a WebDriverException says little).
        try:
            shot = portal.screenshot("failed")
            where = f"at {browser.current_url} (screenshot {shot.name})"
        except Exception as inner:  # noqa: BLE001 - the browser itself may be gone
            where = f"(no screenshot: {type(inner).__name__})"
        raise AssertionError(f"{type(error).__name__} {where}: {str(error).splitlines()[0] if str(error) else ''}") \
            from error


def _journey(system, browser, portal: Portal, tmp_path):

    # Sign-in through the development identity provider.
    sign_in(portal, EVA_NAME)
    assert portal.heading() == "Správa mobilních klíčů"
    assert EVA_NAME in portal.text()
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "cs"
    assert "K Národnímu bodu nemáte připojen žádný Mobilní klíč eGovernmentu." in portal.text(), \
        "the test citizen must start without keys (the last-means step depends on it)"
    portal.screenshot("mobilni-klice-prazdne")

    # Pairing: the code from the page, redeemed by the simulator; the page notices by itself.
    portal.click(By.LINK_TEXT, "Připojení Mobilního klíče")
    portal.wait(EC.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Připojení Mobilního klíče"), "pairing page")
    assert "Nechte si zde vygenerovat aktivační kód." in portal.text()
    portal.screenshot("pripojeni")
    portal.submit_via(By.XPATH, "//button[normalize-space()='Získat aktivační kód']")
    code_element = portal.wait(EC.visibility_of_element_located((By.CSS_SELECTOR, ".activation-code")),
                               "the activation code")
    code = code_element.text.replace("-", "").strip()
    assert code and code_element.get_attribute("aria-label") == f"Aktivační kód {code}"
    assert browser.find_element(By.CSS_SELECTOR, "figure.qr svg").is_displayed()
    assert "Kód platí do" in portal.text() and "Čekáme na připojení zařízení" in portal.text()
    portal.screenshot("aktivacni-kod")
    simulator = launcher.Simulator(system.binary("mk-simulator"), system.gateway_url, tmp_path / "key.json")
    device_id = simulator.pair(code, "Pixel 7a", "Google Pixel 7a")
    # No reload: the page's script polls the pairing and moves to its outcome.
    portal.wait_text("Mobilní klíč byl úspěšně připojen", "the pairing page noticing the completed pairing", 30)
    assert "/pripojeni/" in browser.current_url
    portal.screenshot("pripojeno")

    # The key list shows the key with Czech dates.
    portal.submit_via(By.LINK_TEXT, "Zobrazit mobilní klíče")
    portal.wait_text("Pixel 7a (Google Pixel 7a)", "the new key on the key list")
    card = browser.find_element(By.CSS_SELECTOR, ".key-card")
    assert "Připojeno" in card.text and "Poslední použití" in card.text
    portal.screenshot("mobilni-klice-jeden-klic")

    # The phone layout: the same page at 390 px, nothing wider than the screen.
    browser.set_window_size(*PHONE)
    portal.wait(lambda d: d.execute_script("return window.innerWidth") <= PHONE[0], "the phone viewport")
    overflow = browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"the key list is {overflow} px wider than a 390 px phone screen"
    assert card.is_displayed() and "Odpojit" in card.text
    portal.screenshot("telefon-mobilni-klice")
    browser.set_window_size(*DESKTOP)

    # Rename with the pencil.
    portal.submit_via(By.CSS_SELECTOR, f"a[href='/mobilni-klice/{device_id}/prejmenovat']")
    assert portal.heading() == "Přejmenování zařízení"
    field = browser.find_element(By.ID, "name")
    assert field.get_attribute("value") == "Pixel 7a (Google Pixel 7a)"
    field.clear()
    field.send_keys("Evin telefon")
    portal.screenshot("prejmenovani")
    portal.submit_via(By.XPATH, "//button[normalize-space()='Uložit']")
    portal.wait_text("Zařízení bylo přejmenováno.")
    assert [h.text for h in browser.find_elements(By.CSS_SELECTOR, ".key-card h3")] == ["Evin telefon"]
    portal.screenshot("prejmenovano")

    # Notification settings: toggle, Uložit, success; the change is kept.
    portal.submit_via(By.LINK_TEXT, "Nastavení notifikací")
    portal.wait(EC.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Nastavení notifikací"), "settings page")
    portal.wait_text("Evin telefon", "the key's row in the settings grid")
    informative = f"device.{device_id}.informative"
    login = f"device.{device_id}.login"
    bok_pad = f"device.{device_id}.bokPad"
    assert portal.checkbox(bok_pad).is_selected(), "BOK-pad is on after pairing"
    was_informative = portal.checkbox(informative).is_selected()
    portal.screenshot("nastaveni-notifikaci")
    portal.checkbox(informative).click()
    portal.submit_via(By.XPATH, "//button[normalize-space()='Uložit']")
    portal.wait_text("Nastavení bylo uloženo.")
    assert portal.checkbox(informative).is_selected() is (not was_informative)
    portal.screenshot("nastaveni-ulozeno")

    # A stale save: a second tab loads the page, the first saves, then the second saves.
    first_tab = browser.current_window_handle
    browser.switch_to.new_window("tab")
    second_tab = browser.current_window_handle
    portal.open("/nastaveni-notifikaci")
    portal.wait_text("Evin telefon", "the settings grid in the second tab")
    browser.switch_to.window(first_tab)
    portal.open("/nastaveni-notifikaci")
    was_login = portal.checkbox(login).is_selected()
    portal.checkbox(login).click()
    portal.submit_via(By.XPATH, "//button[normalize-space()='Uložit']")
    portal.wait_text("Nastavení bylo uloženo.")
    browser.switch_to.window(second_tab)
    portal.checkbox(bok_pad).click()
    portal.submit_via(By.XPATH, "//button[normalize-space()='Uložit']")
    portal.wait_text("nastavení mezitím změnil někdo jiný", "the stale-save message")
    assert "Změny nebyly uloženy" in portal.text()
    # The page shows the current state: the first tab's change, not the second's.
    assert portal.checkbox(login).is_selected() is (not was_login)
    assert portal.checkbox(bok_pad).is_selected()
    portal.screenshot("nastaveni-konflikt")
    browser.close()
    browser.switch_to.window(first_tab)

    # Unpair the last key: the warning of the last identification means, then the confirmation.
    portal.open("/mobilni-klice")
    portal.submit_via(By.CSS_SELECTOR, f"a[href='/mobilni-klice/{device_id}/odpojit']")
    assert portal.heading() == "Odpojení Mobilního klíče"
    assert "Odpojujete svůj poslední identifikační prostředek" in portal.text()
    assert "přijdete o možnost přihlášení k portálu Národního bodu" in portal.text()
    assert "Evin telefon" in portal.text()
    portal.screenshot("odpojeni-posledni-prostredek")
    portal.click(By.ID, "confirm")
    assert portal.checkbox("confirm").is_selected()
    portal.submit_via(By.XPATH, "//button[normalize-space()='Odpojit']")
    portal.wait_text("Mobilní klíč byl odpojen.")
    assert "K Národnímu bodu nemáte připojen žádný Mobilní klíč eGovernmentu." in portal.text()
    assert not browser.find_elements(By.CSS_SELECTOR, ".key-card")
    portal.screenshot("odpojeno")

    # The simulated key can no longer sign requests.
    with pytest.raises(launcher.SimulatorFailed) as failure:
        simulator.inbox()
    assert failure.value.status == 401
    assert len(portal.shots) >= 14 and all(p.stat().st_size > 1000 for p in portal.shots)
