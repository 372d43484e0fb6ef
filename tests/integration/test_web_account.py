"""The account page (change password, sign out everywhere), the sign-in throttle, and the
headers a server needs (content security policy, static files through whitenoise)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.test import Client
from django.urls import reverse
from test_web_fixtures import PASSWORD, Search, text_of

import topofmind.web

pytest_plugins = ["test_web_fixtures"]

NEW_PASSWORD = "a much longer passphrase 2030"


def signed_in(username: str, password: str = PASSWORD) -> Client:
    client = Client(HTTP_HOST="127.0.0.1")
    response = client.post(reverse("web:login"), {"username": username, "password": password})
    assert response.status_code == 302, text_of(response)
    return client


def is_signed_in(client: Client) -> bool:
    return client.get("/").status_code == 200


# -- change password ----------------------------------------------------------------------


def test_changing_the_password_signs_out_the_other_browsers_and_keeps_this_one(
    alice_user: AbstractBaseUser, clock: object
) -> None:
    laptop, phone = signed_in("alice"), signed_in("alice")
    response = laptop.post(
        reverse("web:account"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert "Password changed. 1 other session signed out." in text_of(response)
    assert is_signed_in(laptop)
    assert not is_signed_in(phone)
    assert signed_in("alice", NEW_PASSWORD)
    refused = Client(HTTP_HOST="127.0.0.1").post(reverse("web:login"), {"username": "alice", "password": PASSWORD})
    assert "do not match" in text_of(refused)


def test_a_wrong_current_password_changes_nothing_and_says_which_field(
    alice_user: AbstractBaseUser, clock: object
) -> None:
    laptop, phone = signed_in("alice"), signed_in("alice")
    response = laptop.post(
        reverse("web:account"),
        {"old_password": "not it", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 400
    assert "Old password" in text_of(response)
    assert "incorrectly" in text_of(response)
    assert is_signed_in(phone)
    assert get_user_model().objects.get(username="alice").check_password(PASSWORD)


def test_a_weak_or_mistyped_new_password_is_refused_in_words(alice_user: AbstractBaseUser, clock: object) -> None:
    client = signed_in("alice")
    short = client.post(
        reverse("web:account"), {"old_password": PASSWORD, "new_password1": "abc", "new_password2": "abc"}
    )
    assert short.status_code == 400
    assert "too short" in text_of(short)
    mistyped = client.post(
        reverse("web:account"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"},
    )
    assert "didn’t match" in text_of(mistyped) or "didn't match" in text_of(mistyped)
    assert get_user_model().objects.get(username="alice").check_password(PASSWORD)


# -- sign out everywhere ----------------------------------------------------------------


def test_sign_out_everywhere_ends_every_session_of_the_user_and_no_one_elses(
    alice_user: AbstractBaseUser, bob_user: AbstractBaseUser, clock: object
) -> None:
    laptop, phone, bob = signed_in("alice"), signed_in("alice"), signed_in("bob")
    response = laptop.post(reverse("web:sign_out_everywhere"), follow=True)
    assert "Signed out everywhere (2 sessions)" in text_of(response)
    assert not is_signed_in(laptop)
    assert not is_signed_in(phone)
    assert is_signed_in(bob)


def test_sign_out_everywhere_needs_a_post(as_alice: Client) -> None:
    assert as_alice.get(reverse("web:sign_out_everywhere")).status_code == 405
    assert is_signed_in(as_alice)


def test_the_account_page_is_linked_from_every_page(as_alice: Client) -> None:
    page = as_alice.get("/").content.decode()
    assert f'href="{reverse("web:account")}"' in page
    account = text_of(as_alice.get(reverse("web:account")))
    assert "Change your password" in account and "Sign out everywhere" in account


# -- sign-in throttle -------------------------------------------------------------------


@pytest.fixture
def hashes() -> Iterator[list[str]]:
    """Every argon2 password check made while the test runs."""
    made: list[str] = []
    original = Argon2PasswordHasher.verify

    def counting(self: Argon2PasswordHasher, password: str, encoded: str) -> bool:
        made.append(password)
        return original(self, password, encoded)

    Argon2PasswordHasher.verify = counting  # type: ignore[method-assign]
    yield made
    Argon2PasswordHasher.verify = original  # type: ignore[method-assign]


def test_after_five_wrong_passwords_sign_in_is_paused_without_hashing_more(
    alice_user: AbstractBaseUser, clock: object, hashes: list[str]
) -> None:
    client = Client(HTTP_HOST="127.0.0.1")
    for attempt in range(5):
        client.post(reverse("web:login"), {"username": "alice", "password": f"guess {attempt}"})
    assert len(hashes) == 5
    for attempt in range(100):
        response = client.post(reverse("web:login"), {"username": "alice", "password": f"more {attempt}"})
        assert response.status_code == 429
    assert len(hashes) == 5  # 100 refusals, not one argon2 hash among them
    assert "Too many wrong passwords for this user name: sign-in is paused for 15 minutes" in text_of(response)
    right = client.post(reverse("web:login"), {"username": "alice", "password": PASSWORD})
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_pause_ends_after_its_minutes_and_counts_per_user_name(
    alice_user: AbstractBaseUser, bob_user: AbstractBaseUser, clock: time_machine.Coordinates
) -> None:
    client = Client(HTTP_HOST="127.0.0.1")
    for attempt in range(5):
        client.post(reverse("web:login"), {"username": "alice", "password": f"guess {attempt}"})
    assert client.post(reverse("web:login"), {"username": "alice", "password": PASSWORD}).status_code == 429
    assert signed_in("bob")  # another user name from the same address is not paused
    clock.shift(16 * 60)
    assert signed_in("alice")


def test_a_right_password_before_the_limit_clears_the_count(alice_user: AbstractBaseUser, clock: object) -> None:
    client = Client(HTTP_HOST="127.0.0.1")
    for _round in range(3):
        for attempt in range(4):
            client.post(reverse("web:login"), {"username": "alice", "password": f"typo {attempt}"})
        assert signed_in("alice")


# -- headers and static files -----------------------------------------------------------


def test_every_page_carries_a_content_security_policy_without_inline_code(as_alice: Client, search: Search) -> None:
    pages = [
        "/",
        "/board/",
        "/people/",
        f"/people/{search.dana.pk}/",
        f"/openings/{search.opening.pk}/",
        "/organizations/",
        "/touches/",
        "/review/",
        "/settings/",
        "/log/",
        reverse("web:account"),
    ]
    for url in pages:
        response = as_alice.get(url)
        assert response.status_code == 200, url
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "style-src 'self'" in policy, url
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["X-Frame-Options"] == "DENY"
        html = response.content.decode()
        assert not re.search(r"\sstyle=", html), url
        assert not re.search(r"<style", html), url
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), url
        assert not re.search(r"\son[a-z]+=", html), url


def test_no_template_holds_what_the_policy_would_refuse() -> None:
    """A style attribute, an inline script or an event handler does nothing under the policy, so
    a page that relies on one breaks quietly (a token too wide for a phone): none in any template."""
    folder = Path(topofmind.web.__file__).parent / "templates"
    templates = sorted(folder.rglob("*.html"))
    assert templates
    for template in templates:
        html = template.read_text(encoding="utf-8")
        for inline in (r"\sstyle=", r"<style", r"<script(?![^>]*\bsrc=)", r"\son[a-z]+="):
            assert not re.search(inline, html), f"{template.relative_to(folder)}: {inline}"


def test_the_sign_in_and_error_pages_carry_the_policy_too(db: None) -> None:
    client = Client(HTTP_HOST="127.0.0.1")
    for url, status in ((reverse("web:login"), 200), ("/no-such-page/", 404)):
        response = client.get(url)
        assert response.status_code == status
        assert "default-src 'self'" in response["Content-Security-Policy"]


def test_static_files_come_from_whitenoise_with_cache_headers(db: None) -> None:
    client = Client(HTTP_HOST="127.0.0.1")
    htmx = client.get("/static/web/htmx-2.0.11.min.js")
    assert htmx.status_code == 200
    assert "immutable" in htmx["Cache-Control"]  # a versioned name never changes
    css = client.get("/static/web/app.css")
    assert css.status_code == 200
    assert "max-age=3600" in css["Cache-Control"]
    assert client.get("/static/web/nothing-here.js").status_code in (302, 404)
