"""The citizen's journeys through HTTP only (portal JSON API, mobile-app API through the simulator,
counter, authority and identity-provider APIs), in order, on the running system."""

from __future__ import annotations

import json
import time
import uuid

import pytest

import launcher
from support import mail_text, mails, sms_requests, wait_until

JANA = "demo-jana-novakova"
BOK = "73915"


class Journey:
    citizen: launcher.Citizen
    pixel: launcher.Simulator
    iphone: launcher.Simulator


@pytest.fixture(scope="module")
def journey(system, tmp_path_factory):
    state = Journey()
    state.folder = tmp_path_factory.mktemp("journey")
    return state


def settings_devices(citizen) -> dict[str, dict]:
    return {d["deviceId"]: d for d in citizen.api("GET", "/api/v1/settings")["devices"]}


def inbox_kinds(simulator, wait=0):
    return [(m["kind"], m.get("concernsDeviceId"), m["title"]) for m in simulator.inbox(wait)]


def test_sign_in_and_pair_two_keys(system, journey):
    citizen = launcher.Citizen(system.gateway_url, JANA).sign_in()
    session = citizen.api("GET", "/api/v1/session")
    assert session["subject"] == JANA and session["name"] == "Jana Nováková" and session["recentSignIn"]
    assert citizen.keys() == []
    journey.citizen = citizen

    journey.pixel = launcher.pair_key(system, citizen, journey.folder / "pixel.json", "Pixel 8", "Google Pixel 8")
    keys = citizen.keys()
    assert [k["id"] for k in keys] == [journey.pixel.device_id]
    assert keys[0]["displayName"] == "Pixel 8 (Google Pixel 8)" and keys[0]["pairedAt"]

    journey.iphone = launcher.pair_key(system, citizen, journey.folder / "iphone.json", "iPhone 15", "Apple iPhone 15")
    assert {k["id"] for k in citizen.keys()} == {journey.pixel.device_id, journey.iphone.device_id}
    # The pairing reaches Preferences as an event: both keys get a settings row with BOK-pad on.
    devices = wait_until(lambda: len(settings_devices(citizen)) == 2 and settings_devices(citizen), 30,
                         what="both keys in the settings grid")
    assert all(d["bokPad"] and d["login"] and d["informative"] for d in devices.values())
    # The first key got an independent notice about the second pairing.
    notices = wait_until(lambda: [m for m in journey.pixel.inbox()
                                  if m["kind"] == "SECURITY" and m.get("concernsDeviceId") == journey.iphone.device_id],
                         30, what="pairing notice on the first key")
    assert len(notices) == 1


def test_another_citizen_sees_nothing(system, journey):
    eva = launcher.Citizen(system.gateway_url, "demo-eva-dvorakova").sign_in()
    response = eva.request("GET", f"/api/v1/keys/{journey.pixel.device_id}")
    assert response.status == 404
    response = eva.request("PATCH", f"/api/v1/keys/{journey.pixel.device_id}", json_body={"displayName": "x"})
    assert response.status == 404
    assert journey.citizen.api("GET", f"/api/v1/keys/{journey.pixel.device_id}")["displayName"] == "Pixel 8 (Google Pixel 8)"


def test_rename(system, journey):
    renamed = journey.citizen.api("PATCH", f"/api/v1/keys/{journey.pixel.device_id}", {"displayName": "Můj Pixel"})
    assert renamed["displayName"] == "Můj Pixel" and renamed["renamed"]
    assert {k["id"]: k["displayName"] for k in journey.citizen.keys()}[journey.pixel.device_id] == "Můj Pixel"
    # Without the CSRF header the portal refuses the change.
    response = launcher.http_request(
        system.gateway_url, "PATCH", f"/api/v1/keys/{journey.pixel.device_id}", b'{"displayName":"x"}',
        {"Content-Type": "application/json",
         "Cookie": "; ".join(f"{k}={v}" for k, v in journey.citizen.cookies.items())})
    assert response.status == 403


def test_settings_save(system, journey):
    citizen = journey.citizen
    grid = citizen.api("GET", "/api/v1/settings")
    for device in grid["devices"]:
        if device["deviceId"] == journey.iphone.device_id:
            device["login"] = False
    for contact in grid["contacts"]:
        contact["informative"] = True
    saved = citizen.api("PUT", "/api/v1/settings", {k: grid[k] for k in ("version", "contacts", "devices")})
    assert saved["version"] > grid["version"]
    again = settings_devices(citizen)
    assert again[journey.iphone.device_id]["login"] is False
    assert again[journey.pixel.device_id]["login"] is True
    # A stale version is refused, nothing changes.
    stale = citizen.request("PUT", "/api/v1/settings", json_body={k: grid[k] for k in ("version", "contacts", "devices")})
    assert stale.status == 409


def test_login_event_notifies_keys_with_login_on(system, journey):
    event = str(uuid.uuid4())
    body = {"subject": JANA, "means": "EOP", "eventId": event, "origin": "Praha"}
    response = launcher.caller_request(system, "identity-provider", "POST", "/idp/v1/logins", body)
    assert response.status == 200, response.body
    assert response.json()["notifiedDevices"] == 1  # the iPhone has "Přihlášení k NB" off
    # The same event again changes nothing (idempotent by event id).
    again = launcher.caller_request(system, "identity-provider", "POST", "/idp/v1/logins", body)
    assert again.status == 200
    wait_until(lambda: [m for m in journey.pixel.inbox() if m["kind"] == "LOGIN"], 20, what="login notice")
    time.sleep(2)  # the registry's SIGNED_IN event reaches Preferences too; it must not add a second notice
    logins = [m for m in journey.pixel.inbox() if m["kind"] == "LOGIN"]
    assert len(logins) == 1, "one login, several notices: " + json.dumps(logins, ensure_ascii=False)
    assert not [m for m in journey.iphone.inbox() if m["kind"] == "LOGIN"]
    # The identity provider's credentials are needed.
    refused = launcher.http_request(system.gateway_url, "POST", "/idp/v1/logins", b"{}",
                                    {"Content-Type": "application/json"})
    assert refused.status == 401


def test_informative_notice_by_smtp_sms_and_inbox(system, journey):
    citizen = journey.citizen
    contacts = citizen.api("PUT", "/api/v1/contacts", {"email": "jana.novakova@example.cz", "phone": "777 123 456"})
    assert contacts["email"] == "jana.novakova@example.cz"
    mails_before, sms_before = len(mails(system)), len(sms_requests(system))
    title = f"Rozhodnutí {uuid.uuid4().hex[:8]}"
    key = str(uuid.uuid4())
    response = launcher.authority_post(system, "/authority/v1/notifications",
                                       {"subject": JANA, "title": title, "body": "Vaše žádost byla vyřízena."}, key)
    assert response.status == 202, response.body
    accepted = response.json()
    assert b"example.cz" not in response.body and b"777" not in response.body  # no contact leaks
    assert {c["channel"] for c in accepted["channels"]} >= {"EMAIL", "SMS", "DEVICE"}

    mail = wait_until(lambda: [m for m in mails(system)[mails_before:] if title in mail_text(m)], 30,
                      what="the informative e-mail at the SMTP server")
    assert len(mail) == 1 and "jana.novakova@example.cz" in mail[0]["To"]
    sms = wait_until(lambda: [r for r in sms_requests(system)[sms_before:] if r["json"] and title in r["json"]["text"]]
                     or [r for r in sms_requests(system)[sms_before:] if r["json"]], 30, what="the SMS request")
    assert sms[0]["json"]["to"] == "+420777123456"
    assert sms[0]["headers"].get("Authorization", "").startswith("Bearer ")
    for simulator in (journey.pixel, journey.iphone):
        messages = wait_until(lambda: [m for m in simulator.inbox() if m["kind"] == "INFORMATIVE" and m["title"] == title],
                              20, what="the informative notice in the inbox")
        assert messages[0]["sender"] == "Česká správa sociálního zabezpečení"
    # The authority sees only channel states, and the same key with the same content is the same answer.
    status = launcher.caller_request(system, "authority", "GET", f"/authority/v1/notifications/{accepted['notificationId']}")
    assert status.status == 200
    wait_until(lambda: all(c["state"] == "SENT" for c in launcher.caller_request(
        system, "authority", "GET", f"/authority/v1/notifications/{accepted['notificationId']}").json()["channels"]),
        30, what="every channel SENT")
    repeat = launcher.authority_post(system, "/authority/v1/notifications",
                                     {"subject": JANA, "title": title, "body": "Vaše žádost byla vyřízena."}, key)
    assert repeat.status == 202 and repeat.json()["notificationId"] == accepted["notificationId"]
    # Acknowledging empties the inbox.
    ids = [m["messageId"] for m in journey.pixel.inbox()]
    assert journey.pixel.ack(ids) == len(ids)
    assert journey.pixel.inbox() == []


def counter_start(system, subject=JANA, purpose="Vydání občanského průkazu"):
    response = launcher.caller_request(system, "office", "POST", "/counter/v1/verifications",
                                       {"counterId": "prepazka-3", "subject": subject, "purpose": purpose})
    assert response.status == 201, response.body
    return response.json()


def counter_state(system, request_id):
    response = launcher.caller_request(system, "office", "GET", f"/counter/v1/verifications/{request_id}")
    assert response.status == 200, response.body
    return response.json()


def test_counter_bok_verification_answered_by_simulator(system, journey):
    citizen = journey.citizen
    assert citizen.api("GET", "/api/v1/keys")["bok"]["state"] == "NONE"
    refused = launcher.caller_request(system, "office", "POST", "/counter/v1/verifications",
                                      {"counterId": "prepazka-3", "subject": JANA, "purpose": "Ověření"})
    assert refused.status == 409 and b"NO_BOK" in refused.body
    journey.bok_set_by = launcher.set_bok(system, JANA, BOK)
    assert citizen.api("GET", "/api/v1/keys")["bok"] == {"state": "ACTIVE", "attemptsLeft": 3}

    started = counter_start(system)
    prompts = wait_until(lambda: journey.pixel.prompts(), 20, what="the BOK-pad prompt")
    assert prompts[0]["requestId"] == started["requestId"]
    assert prompts[0]["officeName"] == "Magistrát města Brna" and prompts[0]["purpose"] == "Vydání občanského průkazu"
    outcome = journey.pixel.answer(started["counterCode"], BOK, started["requestId"])
    assert outcome["state"] == "VERIFIED"
    assert counter_state(system, started["requestId"])["state"] == "VERIFIED"
    # Single use: the answered request is gone from the prompts.
    assert journey.iphone.prompts() == []


def test_wrong_counter_code_voids_without_counting(system, journey):
    started = counter_start(system, purpose="Kontrola")
    wrong_code = "000000" if started["counterCode"] != "000000" else "111111"
    outcome = journey.iphone.answer(wrong_code, BOK, started["requestId"])
    assert outcome["state"] == "WRONG_COUNTER_CODE"
    assert journey.citizen.api("GET", "/api/v1/keys")["bok"] == {"state": "ACTIVE", "attemptsLeft": 3}


def test_three_wrong_boks_block(system, journey):
    states = []
    for attempt in range(3):
        started = counter_start(system, purpose=f"Pokus {attempt + 1}")
        outcome = journey.pixel.answer(started["counterCode"], "0000", started["requestId"])
        states.append((outcome["state"], outcome["attemptsLeft"]))
    assert states == [("WRONG_BOK", 2), ("WRONG_BOK", 1), ("BLOCKED", 0)]
    assert journey.citizen.api("GET", "/api/v1/keys")["bok"]["state"] == "BLOCKED"
    refused = launcher.caller_request(system, "office", "POST", "/counter/v1/verifications",
                                      {"counterId": "prepazka-3", "subject": JANA, "purpose": "Znovu"})
    assert refused.status == 409 and b"BOK_BLOCKED" in refused.body
    # The block is announced on the keys (a BOK receipt).
    wait_until(lambda: [m for m in journey.pixel.inbox() if m["kind"] == "BOK"], 20, what="a BOK receipt")


def test_unpair(system, journey):
    citizen = journey.citizen
    iphone, pixel = journey.iphone.device_id, journey.pixel.device_id
    result = citizen.api("DELETE", f"/api/v1/keys/{iphone}")
    assert result == {"unpaired": True, "noMeansLeft": False}
    assert [k["id"] for k in citizen.keys()] == [pixel]
    wait_until(lambda: [m for m in journey.pixel.inbox()
                        if m["kind"] == "SECURITY" and m.get("concernsDeviceId") == iphone and "odpoj" in m["title"].lower()]
               or [m for m in journey.pixel.inbox() if m.get("concernsDeviceId") == iphone and m["kind"] == "SECURITY"
                   and "Připojen" not in m["title"]], 20, what="the unpairing notice")
    wait_until(lambda: set(settings_devices(citizen)) == {pixel}, 20, what="the settings row gone")
    # The unpaired key can no longer sign requests.
    with pytest.raises(launcher.SimulatorFailed) as failure:
        journey.iphone.inbox()
    assert failure.value.status == 401
    # Jana also signed in with her identity card (the login event), so the last key is not her last
    # means: it unpairs without the confirmation (Tests/System/test_faults.py covers LAST_MEANS).
    assert citizen.api("GET", f"/api/v1/keys/{pixel}/last-means")["lastMeans"] is False
    confirmed = citizen.api("DELETE", f"/api/v1/keys/{pixel}")
    assert confirmed == {"unpaired": True, "noMeansLeft": False}
    assert citizen.keys() == []
