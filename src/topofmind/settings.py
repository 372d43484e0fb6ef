"""Django settings, read from the environment.

Every setting a user can change is a ``TOPOFMIND_*`` variable documented in
docs/settings.md. The helpers below fail loudly (ImproperlyConfigured naming the
variable) on a value they cannot read, rather than silently falling back.
"""

from __future__ import annotations

import os
import re
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a yes/no value (use 1/0, true/false, yes/no, on/off)")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} must be at least {minimum}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_seconds(name: str, default: tuple[float, ...]) -> tuple[float, ...]:
    """A comma-separated list of waits in seconds, such as "60,300,1800"."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        values = tuple(float(item) for item in raw.split(","))
    except ValueError:
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not a comma-separated list of seconds, e.g. 60,300,1800"
        ) from None
    if any(not 0 < value <= 86400 for value in values):
        raise ImproperlyConfigured(f"{name}={raw!r}: each wait must be above 0 and at most 86400 seconds (a day)")
    return values


def env_choice(name: str, default: str, choices: set[str]) -> str:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    if raw.strip() not in choices:
        raise ImproperlyConfigured(f"{name}={raw!r} is not one of: {', '.join(sorted(choices))}")
    return raw.strip()


def data_dir() -> Path:
    """Where the default database and the generated secret key live (created on demand)."""
    raw = env_str("TOPOFMIND_DATA_DIR")
    if raw:
        path = Path(raw).expanduser()
    else:
        import platformdirs

        path = Path(platformdirs.user_data_dir("topofmind", appauthor=False))
    if not path.exists() or not raw:
        # Private: the database, the secret key and backups are nobody else's to read. The
        # default folder is ours, so an older, wider one is tightened too; a folder the user
        # named is only made private when we create it.
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        _make_private(path, 0o700)
    return path


def _make_private(path: Path, mode: int) -> None:
    """chmod ``path`` to ``mode`` if it is ours and more open than that (never fails)."""
    try:
        info = path.stat()
        if info.st_uid == os.getuid() and info.st_mode & 0o777 & ~mode:
            path.chmod(mode)
    except OSError:
        pass


def private_sqlite_file(path: Path) -> None:
    """The SQLite database is created 0600, before SQLite would create it 0644; SQLite gives its
    -wal and -shm files the database file's permissions, so they are 0600 too."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        _make_private(path, 0o600)
        for suffix in ("-wal", "-shm"):
            _make_private(path.with_name(path.name + suffix), 0o600)
    except OSError:
        return  # a folder we cannot write to: SQLite will say so in words when it opens
    else:
        os.close(fd)


SQLITE_OPTIONS: dict[str, Any] = {
    # WAL lets the web app read while the CLI or a worker writes; the busy timeout makes a
    # writer wait for another instead of failing; IMMEDIATE takes the write lock when a
    # transaction starts, so two writers never deadlock upgrading read locks.
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000",
    "transaction_mode": "IMMEDIATE",
}


# A process keeps its SQLite connection between requests (as it does for PostgreSQL): a fresh
# connection reads the schema again and starts with an empty page cache, which cost every
# request ~10 ms before it did anything (an API call spent more time connecting than answering).
# A connection that broke is replaced on the next request (the health check).
SQLITE_CONNECTIONS: dict[str, Any] = {"CONN_MAX_AGE": 300, "CONN_HEALTH_CHECKS": True}


def database_from(value: str) -> dict[str, Any]:
    """A path (or nothing) means a SQLite file; anything with ``://`` is a database URL."""
    if "://" not in value:
        path = Path(value).expanduser() if value else data_dir() / "topofmind.sqlite3"
        if not path.parent.exists():
            raise ImproperlyConfigured(f"TOPOFMIND_DATABASE_URL: the folder {path.parent} does not exist")
        private_sqlite_file(path)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(path),
            "OPTIONS": dict(SQLITE_OPTIONS),
            **SQLITE_CONNECTIONS,
        }
    import dj_database_url

    try:
        config: dict[str, Any] = dict(dj_database_url.parse(value, conn_max_age=60, conn_health_checks=True))
    except ValueError as exc:
        raise ImproperlyConfigured(f"TOPOFMIND_DATABASE_URL={value!r} is not a database URL ({exc})") from None
    if config.get("ENGINE") == "django.db.backends.sqlite3":
        config.update(SQLITE_CONNECTIONS)
        if config.get("NAME") and config["NAME"] != ":memory:" and Path(config["NAME"]).parent.exists():
            private_sqlite_file(Path(config["NAME"]))
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
    return config


def secret_key() -> str:
    """TOPOFMIND_SECRET_KEY, else a random key made once and kept in the data directory."""
    key = env_str("TOPOFMIND_SECRET_KEY")
    if key:
        if len(key) < 32:
            raise ImproperlyConfigured("TOPOFMIND_SECRET_KEY must be at least 32 characters long")
        return key
    path = data_dir() / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


BASE_DIR = Path(__file__).resolve().parent

DEBUG = env_bool("TOPOFMIND_DEBUG", False)
SECRET_KEY = secret_key()
ALLOWED_HOSTS = env_list("TOPOFMIND_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

DATABASES = {"default": database_from(env_str("TOPOFMIND_DATABASE_URL"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",  # sign-in throttling: its own tables of failed attempts
    "topofmind.crm",
    "topofmind.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # static files answered before sessions or sign-in are looked at
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # every page needs a signed-in user unless its view says otherwise (sign-in, static files)
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # after auth: shows times in the signed-in user's workspace zone
    "topofmind.web.middleware.WorkspaceTimezoneMiddleware",
    # a value out of range that reached no form: a 400 page naming the field, not a 500
    "topofmind.web.middleware.UserErrorMiddleware",
    # last: turns a refused sign-in (too many failures) into the sign-in page with its message
    "axes.middleware.AxesMiddleware",
]

# The throttle is asked first and refuses a locked-out sign-in before any password is hashed.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "topofmind.web.context_processors.layout",
            ],
        },
    },
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

# Checked when a user picks a password on the account page.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The store keeps UTC; the user's zone lives in WorkspaceSettings.timezone.
TIME_ZONE = "UTC"
USE_TZ = True
LANGUAGE_CODE = "en-us"
USE_I18N = False

STATIC_URL = "static/"
# whitenoise serves the package's own files straight from the app folders (no collectstatic
# step); names carrying a version (htmx-2.0.11.min.js) are cached for good, the rest briefly.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_MAX_AGE = 3600

# The Import page keeps a previewed file here until it is imported (web/uploads.py).
TOPOFMIND_UPLOADS_DIR = data_dir() / "uploads"


def _versioned(path: str, url: str) -> bool:
    return re.search(r"-\d+\.\d+\.\d+(\.min)?\.(js|css)$", url) is not None


WHITENOISE_IMMUTABLE_FILE_TEST = _versioned

# --- web app (topofmind.web) -------------------------------------------------
ROOT_URLCONF = "topofmind.urls"
WSGI_APPLICATION = "topofmind.wsgi.application"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:today"
LOGOUT_REDIRECT_URL = "web:login"
SESSION_COOKIE_HTTPONLY = True
# sessions live in the database only: a per-process cache would let another web process accept
# a cookie after sign-out (REVIEW.md "Sign-out"); one indexed primary-key read per request
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14  # two weeks: a laptop app should not ask every morning
# htmx sends the token in a header taken from the page (hx-headers), so JS never reads the cookie
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "topofmind.web.views.errors.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
CSRF_TRUSTED_ORIGINS = env_list("TOPOFMIND_CSRF_TRUSTED_ORIGINS", [])

# --- behind HTTPS (docs/team.md) -----------------------------------------------
# TOPOFMIND_SECURE_COOKIES=1 says "people reach this over HTTPS": cookies only travel over
# HTTPS, and browsers are told to use nothing else for TOPOFMIND_HSTS_SECONDS.
SESSION_COOKIE_SECURE = env_bool("TOPOFMIND_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("TOPOFMIND_HSTS_SECONDS", 31_536_000 if SESSION_COOKIE_SECURE else 0, minimum=0)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# A proxy that ends TLS tells the app with X-Forwarded-Proto (and who the client is with
# X-Forwarded-For); trust those headers only when the app is reachable through the proxy alone.
BEHIND_PROXY = env_bool("TOPOFMIND_BEHIND_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None

# --- content security policy (django-csp) ------------------------------------------
# Every script and style comes from the app's own files: no inline code, no eval, no outside
# host, and no page may frame this one.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    },
}

# --- sign-in throttling (django-axes) ----------------------------------------------
# After TOPOFMIND_SIGNIN_FAILURES wrong passwords for one username from one address, sign-in
# for that pair is refused for TOPOFMIND_SIGNIN_LOCKOUT_MINUTES, before any hash is computed.
AXES_FAILURE_LIMIT = env_int("TOPOFMIND_SIGNIN_FAILURES", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("TOPOFMIND_SIGNIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "topofmind.web.views.auth.locked_out"
AXES_CLIENT_IP_CALLABLE = "topofmind.web.views.auth.client_ip"


# --- JSON API (topofmind.api) and calendar feeds -----------------------------
def api_rate(name: str, default: str) -> str:
    """A request budget per token, "N/s", "N/m", "N/h" or "N/d"."""
    import re

    raw = env_str(name, default).strip() or default
    if not re.fullmatch(r"[1-9][0-9]*/[smhd]", raw):
        raise ImproperlyConfigured(f"{name}={raw!r} is not a rate like 600/m (requests per s, m, h or d)")
    return raw


TOPOFMIND_API_RATE = api_rate("TOPOFMIND_API_RATE", "600/m")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": env_choice("TOPOFMIND_LOG_LEVEL", "WARNING", {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}),
    },
}

# --- background queue and mail (topofmind.tasks, topofmind.crm.services.mail) ----------------
# The queue: a SQLite file beside the app's data on a laptop, redis://host:6379/0 on a server.
QUEUE_URL = env_str("TOPOFMIND_QUEUE_URL") or f"sqlite:///{data_dir() / 'queue.db'}"
# Put before every Redis key of the queue, so several installs (or test runs) can share one server.
QUEUE_PREFIX = env_str("TOPOFMIND_QUEUE_PREFIX")
# Runs a consumer inside `topofmind serve`; a server with `topofmind worker` processes turns it off.
QUEUE_IN_PROCESS = env_bool("TOPOFMIND_QUEUE_IN_PROCESS", True)
# A headless machine has no system keyring: mail passwords are encrypted at rest with this key,
# else with one derived from SECRET_KEY (so changing the secret key means entering them again).
MAIL_KEY = env_str("TOPOFMIND_MAIL_KEY")
# --- the value library and company news (crm/services/value.py, crm/services/feeds.py) ----------
# Fetching a URL a user typed (a feed, an article) never reaches a private or loopback address
# (a team server must not become a way into its own network) unless this says true.
FETCH_PRIVATE_ADDRESSES = env_bool("TOPOFMIND_FETCH_PRIVATE_ADDRESSES", False)
# How often the queue reads every workspace's feeds (hours, 1-24); "Fetch now" reads them at once.
FEEDS_EVERY_HOURS = env_int("TOPOFMIND_FEEDS_EVERY_HOURS", 6, minimum=1)
# One feed's answer is read up to this size; the rest is refused ("too big").
FEED_MAX_BYTES = env_int("TOPOFMIND_FEED_MAX_MB", 5, minimum=1) * 1024 * 1024
# Materials (resume versions, work samples) are copied under <data dir>/materials/<workspace id>/.
MATERIALS_DIR = Path(env_str("TOPOFMIND_MATERIALS_DIR") or str(data_dir() / "materials"))
MATERIAL_MAX_BYTES = env_int("TOPOFMIND_MATERIAL_MAX_MB", 10, minimum=1) * 1024 * 1024
# A send the SMTP server answers with "try later" (4xx, a timeout) is tried again after these
# waits, one per further try; after the last one it is "failed" (never "sent" nor "unknown").
SEND_RETRY_SECONDS = env_seconds("TOPOFMIND_SEND_RETRY_SECONDS", (60.0, 300.0, 1800.0))
# Where links in e-mail (the morning digest) point; "" = the local address of `topofmind serve`.
BASE_URL = env_str("TOPOFMIND_BASE_URL").rstrip("/")
# How often the queue reads every mail account's INBOX and Sent (issue 14), in minutes; 0 = never
# (then only `topofmind mail sync` and the web's "Sync now" read it).
MAIL_SYNC_MINUTES = env_int("TOPOFMIND_MAIL_SYNC_MINUTES", 10, minimum=0)
