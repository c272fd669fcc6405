"""Django settings for Connective, read from CONNECTIVE_* environment variables.

Without any variable set, Connective runs in embedded mode: SQLite, media, mail and a
generated secret key all live under ./var/ and background work uses the database queue.
"""

import sys
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from connective.config import env, env_bool, env_list, generated_secret

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env("VAR_DIR", str(BASE_DIR / "var"))).resolve()
TESTING = "pytest" in sys.modules or env_bool("TESTING")

DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY, SECRET_GENERATED = generated_secret(VAR_DIR)
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
_site = urlsplit(SITE_URL)
SITE_HOST = _site.hostname or "127.0.0.1"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or [SITE_HOST, "127.0.0.1", "localhost"]
if TESTING:
    ALLOWED_HOSTS += ["testserver"]
CSRF_TRUSTED_ORIGINS = [f"{_site.scheme}://{_site.netloc}"]
# The embedded default is permissive about DEBUG so `make run` works out of the box, but a
# deployment that turned DEBUG off must bring its own secret (see docs/admin.md).
if not DEBUG and SECRET_GENERATED and env_bool("PRODUCTION"):
    raise ImproperlyConfigured("CONNECTIVE_PRODUCTION is set: set CONNECTIVE_SECRET_KEY too.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    # Our web app comes before allauth so that its templates (allauth/…, 404.html, 429.html) win.
    "connective.web",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "csp",
    "connective.core",
    "connective.topics",
    "connective.accounts",
    "connective.notifications",
    "connective.network",
    "connective.credentials",
    "connective.content",
    "connective.spaces",
    "connective.courses",
    "connective.feeds",
    "connective.stream",
    "connective.search",
    "connective.discovery",
    "connective.federation",
    "connective.portability",
    "connective.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # An inbox's signed JSON POST goes straight to its view (no session, cookie or page headers).
    "connective.core.middleware.LeanEndpointMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "connective.core.middleware.DatabaseUnavailableMiddleware",
    "connective.core.middleware.RetryAfterMiddleware",
    # A browser's GET to a POST-only address: a page that says so (machines keep a plain 405).
    "connective.core.middleware.MethodNotAllowedPageMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "connective.urls"
WSGI_APPLICATION = "connective.wsgi.application"

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
                "connective.web.context_processors.connective",
            ],
        },
    },
]
# Text inputs, selects and text areas written in Python, as Django's templates write them.
FORM_RENDERER = "connective.core.renderer.PythonWidgetsRenderer"

# --- database -------------------------------------------------------------------------------
_db_url = env("DATABASE_URL")
if _db_url:
    DATABASES = {"default": dj_database_url.parse(_db_url, conn_max_age=60)}
    if "postgresql" in DATABASES["default"]["ENGINE"]:
        # PostgreSQL's JIT added 60–840 ms to short stream queries (docs/performance.md).
        options = DATABASES["default"].setdefault("OPTIONS", {})
        options.setdefault("options", "-c jit=off")
        # Parameters sent apart from the SQL text: a search's candidate ids travel as one array
        # (a visibility check 6.0 → 4.4 ms for a thousand ids, docs/performance.md). Off for a
        # connection pooler that cannot keep prepared statements (PgBouncer < 1.21, transaction
        # pooling): psycopg prepares a statement it has run five times.
        options.setdefault("server_side_binding", env_bool("DB_SERVER_SIDE_BINDING", default=True))
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "connective.sqlite3"),
            "OPTIONS": {
                "timeout": 20,
                # Compiled statements kept per connection (Python's default is 128): a search,
                # a finder or a map page asks 15-50 queries, and visiting a few pages in turn
                # compiled every query again each time (15-20 % of those pages on SQLite).
                "cached_statements": 1024,
                "transaction_mode": "IMMEDIATE",
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA busy_timeout=20000; PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache and background work --------------------------------------------------------------
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    INSTALLED_APPS += ["django_rq"]
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "connective_cache",
        }
    }
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
if TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# --- accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Still Argon2, with light parameters: hashing thousands of test passwords at full cost
    # would dominate the suite's run time.
    PASSWORD_HASHERS = ["connective.accounts.hashers.LightArgon2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "stream:home"
ACCOUNT_LOGIN_METHODS = {"email", "username"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USERNAME_MIN_LENGTH = 2
ACCOUNT_USERNAME_VALIDATORS = "connective.accounts.validators.HANDLE_VALIDATORS"
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_ADAPTER = "connective.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {
    "signup": "connective.accounts.forms.SignupForm",
    "login": "connective.accounts.forms.LoginForm",
}
ACCOUNT_LOGOUT_REDIRECT_URL = "web:landing"
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Connective] "
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# Axes locks an account+address pair after repeated failed logins; the lockout answers 429.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "connective.accounts.lockout.lockout_response"
AXES_USERNAME_CALLABLE = "connective.accounts.lockout.username_from_request"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_VERBOSE = False

# --- mail -----------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env("FROM_EMAIL", f"Connective <no-reply@{SITE_HOST}>")
if env("SMTP_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env("SMTP_HOST")
    EMAIL_PORT = int(env("SMTP_PORT", "587"))
    EMAIL_HOST_USER = env("SMTP_USER")
    EMAIL_HOST_PASSWORD = env("SMTP_PASSWORD")
    EMAIL_USE_TLS = env_bool("SMTP_TLS", default=True)
else:
    # Embedded mode: each message is written as a file under ./var/mail/.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")

# --- files ----------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
# The embedded server serves uploads itself unless a separate media origin is configured.
SERVE_MEDIA = not env("MEDIA_URL")
# Uploaded resource files: never under MEDIA_ROOT, served only through the download view.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
if env("MEDIA_URL"):
    MEDIA_URL = env("MEDIA_URL")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
AVATAR_MAX_BYTES = 2 * 1024 * 1024
RESOURCE_FILE_MAX_BYTES = 20 * 1024 * 1024

# --- security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE = _site.scheme == "https"
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE and env_bool("SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = 31536000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
# Preloading HSTS is a commitment for the whole domain: an administrator opts in.
SECURE_HSTS_PRELOAD = SECURE and env_bool("HSTS_PRELOAD")
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "https:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# --- i18n -----------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- connective -----------------------------------------------------------------------------
CONNECTIVE_SITE_URL = SITE_URL
CONNECTIVE_INSTANCE_NAME = env("INSTANCE_NAME", "Connective")
CONNECTIVE_DEMO_PASSWORD = env("DEMO_PASSWORD", "learn-together-2026")
CONNECTIVE_DORMANT_DAYS = 90
# Posts one account may make of items from the web (acting first on an item, sharing one as
# a resource) before a 429: allauth's rate syntax, as below.
CONNECTIVE_FEED_ITEM_POST_RATE = env("FEED_ITEM_POST_RATE", "60/m/user")

# --- federation -----------------------------------------------------------------------------
# Authorized fetch: outboxes, collections and posts answer only signed GETs (actors stay open).
CONNECTIVE_AUTHORIZED_FETCH = env_bool("AUTHORIZED_FETCH")
# NodeInfo's openRegistrations.
CONNECTIVE_OPEN_REGISTRATIONS = env_bool("OPEN_REGISTRATIONS", default=True)
# Remote profiles older than this are fetched again when viewed (and by an hourly sweep).
CONNECTIVE_FEDERATION_REFRESH_HOURS = int(env("FEDERATION_REFRESH_HOURS", "24"))
# Our fetches of remote objects are signed with the instance actor's key (authorized-fetch servers).
CONNECTIVE_SIGNED_FETCH = env_bool("SIGNED_FETCH", default=True)
# Requests one client may make (allauth's rate syntax: count/period/per, comma-separated; T-33).
CONNECTIVE_WEBFINGER_RATE = env("WEBFINGER_RATE", "120/m/ip")
CONNECTIVE_LOOKUP_RATE = env("LOOKUP_RATE", "30/m/ip,20/m/user")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "connective": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
        "django.security": {"handlers": ["console"], "level": "WARNING"},
    },
}
