"""Real mail servers on loopback, started by the tests themselves: a pytest plugin module.

What it offers (use it from any test folder's conftest.py with
``from tests.mailservers.servers import *`` style re-exports, or list it in the root
conftest's ``pytest_plugins``):

* ``mail_certificates`` (session): a throw-away certificate authority made with trustme and a
  server certificate for ``localhost`` / ``127.0.0.1``; ``client_ssl_context`` trusts that CA
  and nothing else, so a test can also show what happens with a context that does not.
* ``smtp_servers`` (function): a factory ``start(security=..., ...)`` that runs aiosmtpd in a
  thread (plain, STARTTLS or implicit TLS, with AUTH) and records every message it accepts;
  everything it started stops at teardown.
* ``dovecot`` (session): Debian's dovecot-imapd run as root from a config in a temporary
  folder (passwd-file users, maildir, a ``Sent`` folder marked ``\\Sent``, plain/STARTTLS on
  one port and implicit TLS on another); ``imap_user`` (function) gives each test a fresh
  user with an empty mailbox. Dovecot is installed with ``apt-get install -y dovecot-imapd``.
"""

from __future__ import annotations

import asyncio
import contextlib
import imaplib
import itertools
import os
import shutil
import socket
import ssl
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP as SMTPProtocol
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword, Session

Security = Literal["none", "starttls", "tls"]
LOOPBACK = "127.0.0.1"
DOVECOT = Path("/usr/sbin/dovecot")
DOVEADM = Path("/usr/bin/doveadm")
USERS = 1000  # IMAP users made ahead, one per test that asks for imap_user
USER_PASSWORD = "app-password-1"


# --- certificates --------------------------------------------------------------------------


@dataclass(frozen=True)
class Certificates:
    ca: trustme.CA
    server: trustme.LeafCert

    def client_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context()
        self.ca.configure_trust(context)
        return context

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.server.configure_cert(context)
        return context


@pytest.fixture(scope="session")
def mail_certificates() -> Certificates:
    ca = trustme.CA()
    return Certificates(ca=ca, server=ca.issue_cert("localhost", LOOPBACK))


@pytest.fixture
def client_ssl_context(mail_certificates: Certificates) -> ssl.SSLContext:
    """A context that trusts the tests' own CA (and, like a careful client, nothing else)."""
    return mail_certificates.client_context()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        port: int = probe.getsockname()[1]
        return port


def wait_for_port(port: int, *, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection((LOOPBACK, port), timeout=0.5):
            return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {LOOPBACK}:{port} after {seconds} s")


# --- SMTP: aiosmtpd ------------------------------------------------------------------------


@dataclass(frozen=True)
class Received:
    mail_from: str
    recipients: tuple[str, ...]
    data: bytes


@dataclass
class RecordingHandler:
    """Accepts mail like a relay would and keeps it for the test to read."""

    refuse: frozenset[str] = frozenset()
    drop_after_data: bool = False
    refuse_content: bool = False
    received: list[Received] = field(default_factory=list)

    async def handle_RCPT(
        self, server: SMTPProtocol, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        if address.lower() in self.refuse:
            return "550 5.1.1 No mailbox by that name here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTPProtocol, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        if self.refuse_content:
            return "554 5.7.1 Message rejected as spam"
        self.received.append(Received(str(envelope.mail_from), tuple(envelope.rcpt_tos), content))
        if self.drop_after_data:
            # The message is in; the line goes dead before the client hears "250".
            assert isinstance(server.transport, asyncio.Transport)
            server.transport.abort()
        return "250 2.0.0 Queued"


@dataclass
class SmtpServer:
    host: str
    port: int
    security: Security
    username: str
    password: str
    handler: RecordingHandler

    @property
    def received(self) -> list[Received]:
        return self.handler.received


SmtpFactory = Callable[..., SmtpServer]


@pytest.fixture
def smtp_servers(mail_certificates: Certificates) -> Iterator[SmtpFactory]:
    controllers: list[Controller] = []

    def start(
        security: Security = "none",
        *,
        username: str = "alice@example.test",
        password: str = "app-password-1",
        refuse: tuple[str, ...] = (),
        drop_after_data: bool = False,
        refuse_content: bool = False,
        certificates: Certificates | None = None,
    ) -> SmtpServer:
        certs = certificates or mail_certificates
        handler = RecordingHandler(
            refuse=frozenset(a.lower() for a in refuse), drop_after_data=drop_after_data, refuse_content=refuse_content
        )

        def authenticate(
            server: SMTPProtocol, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
        ) -> AuthResult:
            ok = (
                isinstance(auth_data, LoginPassword)
                and auth_data.login == username.encode()
                and auth_data.password == password.encode()
            )
            return AuthResult(success=ok, handled=False)

        port = free_port()
        kwargs: dict[str, Any] = {
            "authenticator": authenticate,
            # aiosmtpd only knows about TLS it started itself (STARTTLS); on the implicit-TLS port
            # the whole connection is encrypted already, so it must not hide AUTH there.
            "auth_require_tls": security == "starttls",
        }
        if security == "starttls":
            kwargs["tls_context"] = certs.server_context()
            kwargs["require_starttls"] = True
        controller = Controller(
            handler,
            hostname=LOOPBACK,
            port=port,
            ssl_context=certs.server_context() if security == "tls" else None,
            server_hostname="localhost",
            **kwargs,
        )
        controller.start()
        controllers.append(controller)
        return SmtpServer(LOOPBACK, port, security, username, password, handler)

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture
def closed_port() -> int:
    """A loopback port where nothing listens: connecting to it is refused."""
    return free_port()


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A loopback port that takes connections and never says a word (a hung server)."""
    with socket.socket() as listener:
        listener.bind((LOOPBACK, 0))
        listener.listen(8)
        port: int = listener.getsockname()[1]
        yield port


# --- a line that can be cut ---------------------------------------------------------------


class CuttingProxy:
    """A TCP relay on loopback in front of a real server, that can hang up in the middle of a reply.

    ``cut_after(n)`` lets ``n`` more bytes through from the server, then closes both sides: the
    client sees its connection die mid-response (TLS passes through untouched, so the client
    still verifies the real server's certificate).
    """

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self._listener = socket.create_server((LOOPBACK, 0))
        self.port: int = self._listener.getsockname()[1]
        self._budget: int | None = None
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def cut_after(self, downstream_bytes: int) -> None:
        with self._lock:
            self._budget = downstream_bytes

    def close(self) -> None:
        self._listener.close()
        for sock in self._sockets:
            with contextlib.suppress(OSError):
                sock.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            server = socket.create_connection((LOOPBACK, self.target_port))
            self._sockets += [client, server]
            threading.Thread(target=self._pump, args=(client, server, False), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, True), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket, downstream: bool) -> None:
        try:
            while chunk := source.recv(65536):
                if downstream:
                    with self._lock:
                        budget = self._budget
                        if budget is not None:
                            self._budget = max(budget - len(chunk), 0)
                    if budget is not None and budget < len(chunk):
                        sink.sendall(chunk[:budget])
                        break
                sink.sendall(chunk)
        except OSError:
            pass
        for sock in (source, sink):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                sock.close()


@pytest.fixture
def cutting_proxy() -> Iterator[Callable[[int], CuttingProxy]]:
    """A factory: ``cutting_proxy(port)`` relays to a server's port and can cut the line."""
    proxies: list[CuttingProxy] = []

    def start(target_port: int) -> CuttingProxy:
        proxies.append(CuttingProxy(target_port))
        return proxies[-1]

    yield start
    for proxy in proxies:
        proxy.close()


# --- IMAP: dovecot -------------------------------------------------------------------------


@dataclass(frozen=True)
class ImapUser:
    username: str
    password: str


@dataclass
class DovecotServer:
    host: str
    plain_port: int  # no TLS, or STARTTLS
    tls_port: int  # implicit TLS
    root: Path
    config: Path
    _users: Iterator[int] = field(default_factory=itertools.count)

    def add_user(self) -> ImapUser:
        """A user of their own, with an empty mailbox (dovecot makes it at the first login).

        The users are all written before dovecot starts: it re-reads a passwd-file at most once
        a second, so a user added while it runs could be refused for a moment.
        """
        number = next(self._users)
        if number >= USERS:
            raise RuntimeError(f"the dovecot fixture has only {USERS} users; raise USERS")
        return ImapUser(f"user{number}@example.test", USER_PASSWORD)

    def kick(self, user: ImapUser) -> None:
        """Ends every IMAP session of the user, as a server restart or an admin would."""
        subprocess.run(
            [str(DOVEADM), "-c", str(self.config), "kick", user.username],
            check=True,
            capture_output=True,
        )

    def connect(self, user: ImapUser) -> imaplib.IMAP4:
        """A stdlib imaplib session, independent of the code under test, to set up or check."""
        client = imaplib.IMAP4(self.host, self.plain_port, timeout=10)
        client.login(user.username, user.password)
        return client

    def append(self, user: ImapUser, raw: bytes, *, folder: str = "INBOX", when: float | None = None) -> None:
        client = self.connect(user)
        try:
            moment = imaplib.Time2Internaldate(when if when is not None else time.time())
            typ, data = client.append(folder, None, moment, raw)
            assert typ == "OK", data
        finally:
            client.logout()

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text() if path.exists() else ""


_DOVECOT_CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = {host}
ssl = yes
ssl_cert = <{root}/server.pem
ssl_key = <{root}/server.key
ssl_dh = </usr/share/dovecot/dh.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
default_login_user = dovenull
default_internal_user = dovecot
mail_uid = {uid}
mail_gid = {gid}
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {root}/users
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
namespace inbox {{
  inbox = yes
  separator = /
  mailbox Sent {{
    special_use = \\Sent
    auto = create
  }}
  mailbox Drafts {{
    special_use = \\Drafts
    auto = create
  }}
}}
service imap-login {{
  inet_listener imap {{
    address = {host}
    port = {plain_port}
  }}
  inet_listener imaps {{
    address = {host}
    port = {tls_port}
    ssl = yes
  }}
}}
"""


@pytest.fixture(scope="session")
def dovecot(mail_certificates: Certificates) -> Iterator[DovecotServer]:
    # On a laptop without dovecot these tests skip; in CI a missing dovecot is a failure, not a skip.
    give_up = pytest.fail if os.environ.get("CI", "").strip().lower() in ("1", "true", "yes") else pytest.skip
    if not DOVECOT.exists():
        give_up("dovecot is not installed: apt-get install -y dovecot-imapd")
    if os.geteuid() != 0:
        give_up("the dovecot fixture runs dovecot as root with its own config")
    # Not under pytest's tmp folder: that one is private to root, and mail is written as nobody.
    root = Path(tempfile.mkdtemp(prefix="topofmind-dovecot-"))
    root.chmod(0o755)
    for name, mode in (("run", 0o755), ("state", 0o755), ("mail", 0o777), ("home", 0o777)):
        (root / name).mkdir()
        (root / name).chmod(mode)
    mail_certificates.server.private_key_pem.write_to_path(str(root / "server.key"))
    mail_certificates.server.cert_chain_pems[0].write_to_path(str(root / "server.pem"))
    (root / "users").write_text("".join(f"user{n}@example.test:{{PLAIN}}{USER_PASSWORD}\n" for n in range(USERS)))
    plain_port, tls_port = free_port(), free_port()
    config = root / "dovecot.conf"
    config.write_text(
        _DOVECOT_CONFIG.format(root=root, host=LOOPBACK, uid=65534, gid=65534, plain_port=plain_port, tls_port=tls_port)
    )
    process = subprocess.Popen(
        [str(DOVECOT), "-F", "-c", str(config)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    server = DovecotServer(LOOPBACK, plain_port, tls_port, root, config)
    try:
        try:
            wait_for_port(plain_port)
            wait_for_port(tls_port)
        except RuntimeError:
            process.kill()
            output = process.communicate()[0].decode(errors="replace")
            raise RuntimeError(f"dovecot did not start:\n{output}\n{server.log()}") from None
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def imap_user(dovecot: DovecotServer) -> ImapUser:
    return dovecot.add_user()
