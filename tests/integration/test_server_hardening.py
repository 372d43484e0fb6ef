"""The real server (`topofmind serve`, gunicorn with two workers on loopback): sign-out holds in
every worker; `--host` beyond loopback needs its settings; the HTTPS settings."""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest


def clean_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TOPOFMIND_", "DJANGO_"))}
    env["TOPOFMIND_DATA_DIR"] = str(data_dir)
    env.update(extra)
    return env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    port: int
    username: str
    password: str

    def request(
        self, method: str, path: str, *, cookies: dict[str, str], body: dict[str, str] | None = None
    ) -> http.client.HTTPResponse:
        """One request on a fresh connection (Connection: close), as a replaying attacker would."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {
            "Connection": "close",
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
            "Referer": f"http://127.0.0.1:{self.port}/",
        }
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        response.read()
        conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                cookies[name] = morsel.value
        return response

    def csrf_from(self, path: str, cookies: dict[str, str]) -> str:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        conn.request(
            "GET", path, headers={"Connection": "close", "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
        )
        response = conn.getresponse()
        page = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                cookies[name] = morsel.value
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert match, page[:500]
        return match.group(1)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data_dir = tmp_path_factory.mktemp("served")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-u", "-m", "topofmind", "serve", "--port", str(port), "--workers", "2"],
        env=clean_env(data_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    banner: list[str] = []
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            banner.append(line)
            if "Press Ctrl+C" in line or process.poll() is not None:
                break
        text = "".join(banner)
        user = re.search(r"Sign in as:\s+(\S+)", text)
        password = re.search(r"Password:\s+(\S+)", text)
        assert user and password, text
        while time.monotonic() < deadline:  # the workers are up when the sign-in page answers
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/signin/")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        yield Server(port=port, username=user.group(1), password=password.group(1))
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def sign_in(server: Server) -> dict[str, str]:
    cookies: dict[str, str] = {}
    token = server.csrf_from("/signin/", cookies)
    response = server.request(
        "POST",
        "/signin/",
        cookies=cookies,
        body={"csrfmiddlewaretoken": token, "username": server.username, "password": server.password},
    )
    assert response.status == 302, response.status
    assert "sessionid" in cookies
    first = server.request("GET", "/", cookies=cookies)
    if first.getheader("Location", "").startswith("/welcome/"):  # a first visit asks (issue 9)
        token = server.csrf_from("/welcome/", cookies)
        answered = server.request(
            "POST",
            "/welcome/",
            cookies=cookies,
            body={"csrfmiddlewaretoken": token, "name": "Me", "timezone": "UTC", "country": ""},
        )
        assert answered.status == 302, answered.status
    return cookies


def test_a_signed_out_cookie_is_refused_by_every_worker(server: Server) -> None:
    cookies = sign_in(server)
    # both workers see the session while it is live (and would cache it, if they cached)
    for _ in range(20):
        assert server.request("GET", "/", cookies=dict(cookies)).status == 200
    stolen = dict(cookies)
    token = server.csrf_from("/", cookies)
    assert server.request("POST", "/signout/", cookies=cookies, body={"csrfmiddlewaretoken": token}).status == 302
    answers = [server.request("GET", "/", cookies=dict(stolen)) for _ in range(30)]
    assert [r.status for r in answers] == [302] * 30
    assert all(r.getheader("Location", "").startswith("/signin/") for r in answers)
    logged = server.request(
        "POST",
        "/log/quick/",
        cookies=dict(stolen),
        body={"csrfmiddlewaretoken": token, "people": "Dana Lee", "kind": "reply"},
    )
    assert logged.status in (302, 403)
    assert logged.status == 403 or logged.getheader("Location", "").startswith("/signin/")


def test_sign_out_everywhere_ends_a_session_held_by_the_other_worker(server: Server) -> None:
    laptop, phone = sign_in(server), sign_in(server)
    for _ in range(10):
        assert server.request("GET", "/", cookies=dict(phone)).status == 200
    token = server.csrf_from("/account/", laptop)
    response = server.request(
        "POST", "/account/signout-everywhere/", cookies=laptop, body={"csrfmiddlewaretoken": token}
    )
    assert response.status == 302
    assert [server.request("GET", "/", cookies=dict(phone)).status for _ in range(20)] == [302] * 20


def test_pages_served_by_gunicorn_carry_the_policy_and_static_files(server: Server) -> None:
    cookies: dict[str, str] = {}
    page = server.request("GET", "/signin/", cookies=cookies)
    assert "default-src 'self'" in (page.getheader("Content-Security-Policy") or "")
    htmx = server.request("GET", "/static/web/htmx-2.0.11.min.js", cookies=cookies)
    assert htmx.status == 200
    assert "immutable" in (htmx.getheader("Cache-Control") or "")


# -- serve --host ---------------------------------------------------------------------------


def serve_on(host: str, data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "topofmind", "serve", "--host", host, "--port", str(free_port())],
        env=clean_env(data_dir, **env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_serving_beyond_loopback_without_a_key_and_hosts_is_refused_naming_both(tmp_path: Path) -> None:
    result = serve_on("0.0.0.0", tmp_path)
    assert result.returncode != 0
    lines = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert "TOPOFMIND_SECRET_KEY and TOPOFMIND_ALLOWED_HOSTS" in lines[0]
    assert "Traceback" not in result.stderr


def test_serving_beyond_loopback_names_the_one_setting_missing(tmp_path: Path) -> None:
    result = serve_on("0.0.0.0", tmp_path, TOPOFMIND_SECRET_KEY="k" * 50)
    assert result.returncode != 0
    assert "set TOPOFMIND_ALLOWED_HOSTS first" in result.stdout + result.stderr
    assert "TOPOFMIND_SECRET_KEY" not in result.stdout + result.stderr


# -- behind HTTPS -------------------------------------------------------------------------------


def settings_with(tmp_path: Path, **env: str) -> str:
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='topofmind.settings'; django.setup();"
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=clean_env(tmp_path, **env), capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_a_laptop_sends_cookies_over_plain_http_and_no_hsts(tmp_path: Path) -> None:
    assert settings_with(tmp_path) == "False False 0 None"


def test_behind_an_https_proxy_cookies_are_secure_with_hsts_and_the_proxy_header(tmp_path: Path) -> None:
    assert settings_with(tmp_path, TOPOFMIND_SECURE_COOKIES="1", TOPOFMIND_BEHIND_PROXY="1") == (
        "True True 31536000 ('HTTP_X_FORWARDED_PROTO', 'https')"
    )
    assert settings_with(tmp_path, TOPOFMIND_SECURE_COOKIES="1", TOPOFMIND_HSTS_SECONDS="3600").startswith(
        "True True 3600 None"
    )
