"""Account use cases. No request or current_user here: callers pass what is needed."""
import hashlib
import hmac
import logging
import math
import re
import secrets
import zoneinfo
from datetime import timedelta
from functools import lru_cache

import pyotp
import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from email_validator import EmailNotValidError, validate_email
from flask import current_app, url_for
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from .. import dispatch
from ..errors import TooManyAttempts, Unauthorized, ValidationFailed
from ..extensions import db
from ..models_base import utcnow
from ..notifications.mail import queue_mail  # noqa: F401  (accounts' callers and tests use it here)
from .models import ApiToken, LoginThrottle, MailRequest, OutgoingMail, RecoveryCode, User, UserSession

log = logging.getLogger(__name__)

MIN_AGE = 16
USERNAME_RE = re.compile(r"^[A-Za-z0-9_.-]{3,32}$")
RESERVED_USERNAMES = {"admin", "administrator", "moderator", "support", "staff", "system", "root"}
# Failed sign-ins under one name before each attempt waits: 2 s, then doubling up to 30 s.
THROTTLE_AFTER = 5
MAX_DELAY = 30
THROTTLED = "Too many attempts for this account; wait {} or ask for a sign-in link by e-mail."
# Wrong second-factor codes before a wait of 5 minutes, doubling with each run up to an hour.
TOTP_TRIES = 5
TOTP_WAIT = timedelta(minutes=5)
TOTP_WAIT_MAX = timedelta(hours=1)
TOTP_WAITING = "Too many wrong codes. Wait {} minutes, then try again."
_COMMON_PASSWORDS = frozenset(FREQUENCY_LISTS["passwords"])


def _sha256(value):
    return hashlib.sha256(value.encode()).hexdigest()


# ---------------------------------------------------------------- passwords

def _hasher():
    return PasswordHasher(**current_app.config.get("ARGON2_PARAMS", {}))


def hash_password(password):
    return _hasher().hash(password)


def password_problem(password, username="", email=""):
    """The reason a password is refused, or None. DESIGN.md: 12-128 chars, not common."""
    if len(password) < 12:
        return "Use at least 12 characters. A few words strung together work well."
    if len(password) > 128:
        return "Use at most 128 characters."
    lowered = password.lower()
    if lowered in _COMMON_PASSWORDS or zxcvbn(password, user_inputs=[username, email])["score"] < 2:
        return "This password is too common or easy to guess. Try a few unrelated words."
    return None


# ---------------------------------------------------------------- sign-up

def normalise_email(email):
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise ValidationFailed("Check the email address.", {"email": str(exc)}) from None


def _username_taken(username):
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(User)
        .where(sa.func.lower(User.username) == username.lower())
    ) > 0


def _email_taken(email, exclude_id=None):
    stmt = sa.select(User.id).where((User.email == email) | (User.pending_email == email))
    if exclude_id:
        stmt = stmt.where(User.id != exclude_id)
    return db.session.scalar(stmt) is not None


def _account_fields(username, email, password, email_taken_is_error=True):
    """Field problems shared by sign-up and create-admin, and the normalised email. Sign-up passes
    email_taken_is_error=False: whether an address has an account is itself health information."""
    fields = {}
    if not USERNAME_RE.match(username):
        fields["username"] = "3 to 32 letters, digits, dots, dashes or underscores."
    elif username.lower() in RESERVED_USERNAMES or _username_taken(username):
        fields["username"] = "That username is taken."
    try:
        email = normalise_email(email or "")
        if email_taken_is_error and _email_taken(email):
            fields["email"] = "An account already uses this email. Try logging in or resetting your password."
    except ValidationFailed as exc:
        fields.update(exc.fields)
    problem = password_problem(password or "", username, email or "")
    if problem:
        fields["password"] = problem
    return fields, email


def register(username, email, password, birth_year, accept_guidelines, health_consent, now=None, time_zone=None):
    """Create an unverified member and send the verification email. time_zone is the browser's
    guess (sign-up form) or the API caller's: an unknown one falls back to UTC, unasked.

    An address that already has an account gets an e-mail saying so instead, and None is returned:
    the caller answers the same either way, and the work done is about the same (a password hash,
    one queued e-mail).

    Raises ValidationFailed with a message per field; nothing is written then.
    """
    now = now or utcnow()
    username = (username or "").strip()
    fields, email = _account_fields(username, email, password, email_taken_is_error=False)
    if not isinstance(birth_year, int) or not 1900 <= birth_year <= now.year:
        fields["birth_year"] = "Enter the year you were born, for example 1980."
    elif now.year - birth_year < MIN_AGE:
        fields["birth_year"] = f"You need to be at least {MIN_AGE} to join Patient Commons."
    if accept_guidelines is not True:
        fields["accept_guidelines"] = "Please read and accept the community guidelines."
    if health_consent is not True:
        fields["health_data_consent"] = "We need your consent to store the health information you choose to share."
    if fields:
        raise ValidationFailed("Please correct the highlighted fields.", fields)

    password_hash = hash_password(password)
    if _email_taken(email):
        _tell_of_sign_up_attempt(email)
        db.session.commit()
        log.info("sign-up with an address that has an account")
        return None
    user = User(
        username=username, email=email, password_hash=password_hash, birth_year=birth_year,
        guidelines_accepted_at=now, health_consent_at=now, created_at=now,
        time_zone=time_zone if is_time_zone(time_zone) else "UTC",
    )
    db.session.add(user)
    db.session.flush()
    _send_verification(user)
    db.session.commit()
    log.info("account created user=%s", user.id)
    return user


def _tell_of_sign_up_attempt(email):
    # To the address, not "Hello <username>": it may be another account's unconfirmed new address.
    queue_mail(
        email, "Someone tried to sign up with your e-mail address",
        "Hello,\n\nSomeone just tried to create a Patient Commons account with this e-mail address, which "
        "already has an account. Nothing was changed.\n\n"
        f"If it was you, log in here:\n{_external('accounts.login')}\n\nor, if you forgot your password, "
        f"choose a new one here:\n{_external('accounts.reset_request')}\n\n"
        "If it was not you, you can ignore this e-mail.\n",
    )


# ---------------------------------------------------------------- tokens in emails

def _serializer(salt):
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def _make_token(salt, user, secret_part):
    # Only the user id and a hash fragment travel in the URL, never the address itself.
    return _serializer(salt).dumps({"uid": user.id, "h": _sha256(secret_part)[:16]})


def _read_token(salt, token, max_age, secret_of):
    try:
        data = _serializer(salt).loads(token, max_age=max_age)
    except SignatureExpired:
        raise ValidationFailed("This link has expired. Ask for a new one.") from None
    except BadSignature:
        raise ValidationFailed("This link is not valid.") from None
    user = db.session.get(User, data.get("uid"))
    secret = secret_of(user) if user else None
    if not secret or _sha256(secret)[:16] != data.get("h"):
        raise ValidationFailed("This link has already been used or is no longer valid.")
    return user


def site_url(path):
    return current_app.config["SITE_URL"].rstrip("/") + path


def _external(endpoint, **values):
    base = current_app.config["SITE_URL"].rstrip("/")
    with current_app.test_request_context():
        return base + url_for(endpoint, **values)


def _send_verification(user):
    target = user.pending_email or user.email
    token = _make_token("verify-email", user, target)
    link = _external("accounts.verify_email", token=token)
    queue_mail(
        target,
        "Confirm your email for Patient Commons",
        f"Hello {user.username},\n\nPlease confirm this email address to start posting:\n{link}\n\n"
        "The link works for 3 days. If you did not sign up, ignore this email.\n",
    )


def resend_verification(user_id):
    user = db.session.get(User, user_id)
    if user and (not user.email_verified or user.pending_email):
        _send_verification(user)
        db.session.commit()


def verify_email(token):
    def secret_of(u):
        return u.pending_email or (None if u.email_verified else u.email)

    user = _read_token("verify-email", token, 3 * 86400, secret_of)
    if user.pending_email:
        if _email_taken(user.pending_email, exclude_id=user.id):
            raise ValidationFailed("Another account now uses that email.")
        user.email = user.pending_email
        user.pending_email = None
    user.email_verified_at = utcnow()
    db.session.commit()
    return user


def request_password_reset(email):
    """Have the worker send a reset link if the address has an account. Says nothing either way,
    and does the same work either way (see MailRequest)."""
    try:
        email = normalise_email(email or "")
    except ValidationFailed:
        return
    _request_mail("reset", email)
    db.session.commit()


def _reset_mail(user):
    token = _make_token("reset-password", user, user.password_hash)
    queue_mail(
        user.email, SUBJECTS["reset"],
        f"Hello {user.username},\n\nSomeone asked to reset your password. If it was you, choose a new one here:\n"
        f"{_external('accounts.reset_password', token=token)}\n\nThe link works for one hour and once only. "
        "If it was not you, you can ignore this email.\n",
    )


def reset_password(token, new_password):
    user = _read_token("reset-password", token, 3600, lambda u: u.password_hash)
    problem = password_problem(new_password or "", user.username, user.email)
    if problem:
        raise ValidationFailed(problem, {"password": problem})
    user.password_hash = hash_password(new_password)
    # Following the emailed link proves the address, and ends any wait on signing in.
    user.email_verified_at = user.email_verified_at or utcnow()
    _clear_throttles(user)
    _revoke_sessions(user.id)
    db.session.commit()
    return user


def change_password(user_id, current_password, new_password, keep_session_id):
    user = db.session.get(User, user_id)
    if not check_password(user, current_password or ""):
        raise ValidationFailed("Check your current password.", {"current_password": "That is not your current password."})
    problem = password_problem(new_password or "", user.username, user.email)
    if problem:
        raise ValidationFailed(problem, {"new_password": problem})
    user.password_hash = hash_password(new_password)
    _revoke_sessions(user.id, keep=keep_session_id)
    db.session.commit()


def request_email_change(user_id, password, new_email):
    user = db.session.get(User, user_id)
    if not check_password(user, password or ""):
        raise ValidationFailed("Check your password.", {"password": "That is not your current password."})
    email = normalise_email(new_email or "")
    if email == user.email:
        raise ValidationFailed("That is already your email.", {"email": "That is already your email."})
    if _email_taken(email, exclude_id=user.id):
        raise ValidationFailed("An account already uses this email.", {"email": "An account already uses this email."})
    user.pending_email = email
    _send_verification(user)
    queue_mail(
        user.email, "Your Patient Commons email is changing",
        f"Hello {user.username},\n\nOn {local_time(user, utcnow())}, someone asked to move your account to "
        "another email address. If it was not you, change your password now.\n",
    )
    db.session.commit()


# ---------------------------------------------------------------- logging in

def check_password(user, password):
    try:
        _hasher().verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if _hasher().check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return True


def _login_key(login):
    # Keyed, so the table does not hold a plain digest of every address tried (easily reversed).
    name = (login or "").strip().lower()
    return hmac.new(current_app.config["SECRET_KEY"].encode(), name.encode(), hashlib.sha256).hexdigest()


def _user_by_login(login):
    login = (login or "").strip().lower()
    return db.session.scalar(
        sa.select(User).where((sa.func.lower(User.username) == login) | (User.email == login))
    )


def login_delay(failures):
    """Seconds before the next attempt after this many failures in a row."""
    return 0 if failures < THROTTLE_AFTER else min(MAX_DELAY, 2 ** (failures - THROTTLE_AFTER + 1))


def _insert_ignore(model, **values):
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(model).values(**values).on_conflict_do_nothing()


def _claim_attempt(login, now):
    """Count this attempt as a failure before the password is checked (a success clears it), so
    parallel attempts cannot slip in before the wait is written. Returns the failure count; raises
    TooManyAttempts while the name waits. Committed at once: others must see it."""
    key = _login_key(login)
    db.session.execute(_insert_ignore(LoginThrottle, key=key, failures=0, retry_at=now))
    failures, retry_at = db.session.execute(
        sa.select(LoginThrottle.failures, LoginThrottle.retry_at).where(LoginThrottle.key == key)).one()
    claimed = retry_at <= now and db.session.execute(
        sa.update(LoginThrottle)
        .where(LoginThrottle.key == key, LoginThrottle.failures == failures, LoginThrottle.retry_at <= now)
        .values(failures=failures + 1, retry_at=now + timedelta(seconds=login_delay(failures + 1)))
    ).rowcount == 1
    db.session.commit()
    if not claimed:
        wait = max(1, math.ceil((retry_at - now).total_seconds()))
        raise TooManyAttempts(THROTTLED.format("1 second" if wait == 1 else f"{wait} seconds"))
    return failures + 1


def _clear_throttles(user):
    keys = {_login_key(user.username), _login_key(user.email)}
    db.session.execute(sa.delete(LoginThrottle).where(LoginThrottle.key.in_(keys)))


def authenticate(login, password, now=None):
    """Return (user, problem): problem is None or "invalid". Raises TooManyAttempts while this
    login name waits after failures.

    Names without an account go through the same steps (the throttle row, a password hash to
    check, the notice request), so neither the answer nor its time says whether one exists.
    """
    now = now or utcnow()
    failures = _claim_attempt(login, now)
    user = _user_by_login(login)
    good = check_password(user or User(password_hash=_dummy_hash()), password or "")
    if user is not None and good:
        db.session.execute(sa.delete(LoginThrottle).where(LoginThrottle.key == _login_key(login)))
        db.session.commit()
        return user, None
    if failures == THROTTLE_AFTER:
        _request_mail("failed_logins", login)
    db.session.commit()
    return user, "invalid"


_DUMMY = {}


def _dummy_hash():
    # Per hasher settings: a dummy made with other parameters would take another time to check.
    params = tuple(sorted(current_app.config.get("ARGON2_PARAMS", {}).items()))
    if params not in _DUMMY:
        _DUMMY[params] = hash_password(secrets.token_hex(16))
    return _DUMMY[params]


# ---------------------------------------------------------------- sign-in links and the second step

SIGN_IN_LINK_AGE = 15 * 60
PENDING_LOGIN_AGE = 10 * 60


def _link_secret(user):
    # Spent by the next sign-in (last_login_at moves) or a new password.
    return f"{user.password_hash}|{user.last_login_at.isoformat() if user.last_login_at else ''}"


def request_sign_in_link(login):
    """Have the worker e-mail a one-time sign-in link if the name has an account; the same work either way."""
    _request_mail("sign_in_link", (login or "").strip()[:254])
    db.session.commit()


def _sign_in_link_mail(user):
    token = _make_token("sign-in-link", user, _link_secret(user))
    queue_mail(
        user.email, SUBJECTS["sign_in_link"],
        f"Hello {user.username},\n\nSomeone asked for a link to sign in to your account without the password. "
        f"If it was you, open it and press \"Sign in\":\n{_external('accounts.sign_in_link', token=token)}\n\n"
        "It works for 15 minutes and once only. Two-factor authentication, if you use it, still asks for "
        "your code. If it was not you, ignore this e-mail: nobody can use the link without your inbox.\n",
    )


def read_sign_in_link(token):
    """The user a sign-in link is for; ValidationFailed when it has expired or been used."""
    return _read_token("sign-in-link", token, SIGN_IN_LINK_AGE, _link_secret)


def use_sign_in_link(token):
    """Spend a sign-in link: the account's waits end. The caller then asks for the second factor
    or starts the session (either moves last_login_at, which spends the link)."""
    user = read_sign_in_link(token)
    _clear_throttles(user)
    if user.totp_enabled:
        user.last_login_at = utcnow()
    db.session.commit()
    return user


def pending_login(user):
    """What the cookie holds between the password and the code: signed, ten minutes long, and void
    once the password changes (a hash of the password's hash is in it)."""
    return _make_token("pending-login", user, user.password_hash)


def pending_login_user(token):
    """The user whose login waits for the second factor, or None (expired, or the password changed)."""
    if not token:
        return None
    try:
        return _read_token("pending-login", token, PENDING_LOGIN_AGE, lambda u: u.password_hash)
    except ValidationFailed:
        return None


# ---------------------------------------------------------------- server-side sessions

def create_session(user_id, user_agent="", ip="", two_factor=False):
    """A new signed-in session: (token for the cookie, row id, whether it is the member's first ever).
    two_factor: the sign-in passed the second factor (staff powers need it)."""
    from .devices import device_label

    token = secrets.token_urlsafe(32)
    row = UserSession(user_id=user_id, token_hash=_sha256(token), user_agent=(user_agent or "")[:200], ip=ip or "",
                      device=device_label(user_agent), two_factor=two_factor)
    db.session.add(row)
    user = db.session.get(User, user_id)
    first = user.last_login_at is None
    user.last_login_at = utcnow()
    db.session.commit()
    return token, row.id, first


# Built once: this runs on every signed-in request.
_SESSION = sa.select(UserSession, User).join(User, User.id == UserSession.user_id).where(
    UserSession.token_hash == sa.bindparam("token_hash"))


def session_for(user_id, token, now=None):
    """(session row, user) for this cookie, or None (revoked, idle or too old). One query."""
    if not token:
        return None
    now = now or utcnow()
    found = db.session.execute(_SESSION, {"token_hash": _sha256(token)}).one_or_none()
    if found is None or found[0].user_id != user_id:
        return None
    row, user = found
    cfg = current_app.config
    if now - row.last_seen_at > cfg["SESSION_IDLE"] or now - row.created_at > cfg["SESSION_ABSOLUTE"]:
        db.session.delete(row)
        db.session.commit()
        return None
    if now - row.last_seen_at > cfg["SESSION_TOUCH_EVERY"]:
        row.last_seen_at = now
        db.session.commit()
    return row, user


def list_sessions(user_id):
    return db.session.scalars(
        sa.select(UserSession).where(UserSession.user_id == user_id).order_by(UserSession.last_seen_at.desc())
    ).all()


def revoke_session(user_id, session_id):
    """End one of the user's own sessions; another user's id is simply not found."""
    n = db.session.execute(
        sa.delete(UserSession).where(UserSession.id == session_id, UserSession.user_id == user_id)
    ).rowcount
    db.session.commit()
    return n == 1


def _revoke_sessions(user_id, keep=None):
    """End sessions (all but `keep`) and API tokens: used after a password change or reset, and
    when 2FA is turned on."""
    stmt = sa.delete(UserSession).where(UserSession.user_id == user_id)
    if keep:
        stmt = stmt.where(UserSession.id != keep)
    db.session.execute(stmt)
    db.session.execute(sa.delete(ApiToken).where(ApiToken.user_id == user_id))


def revoke_other_sessions(user_id, keep):
    _revoke_sessions(user_id, keep)
    db.session.commit()


# ---------------------------------------------------------------- API tokens

TOKEN_SCOPES = ("read", "write")
TOKEN_LIFETIME = timedelta(days=90)
TOKEN_TOUCH_EVERY = timedelta(minutes=5)


def create_token(login, password, totp_code=None, scopes=("read", "write"), name="", now=None):
    """Exchange credentials for a bearer token. Returns (raw_token, row); raw is shown once."""
    scopes = list(dict.fromkeys(scopes or ("read",)))
    bad = [s for s in scopes if s not in TOKEN_SCOPES]
    if bad:
        raise ValidationFailed("Unknown scope.", {"scopes": f"Scopes are read and write, not {', '.join(bad)}."})
    user, problem = authenticate(login, password, now=now)
    if problem:
        raise Unauthorized("That username or password is not right.")
    if user.totp_enabled:
        if not totp_code:
            raise Unauthorized("This account uses two-factor authentication: send totp_code too.",
                               {"totp_code": "Required for this account."}, code="totp_required")
        problem = second_factor_problem(user.id, totp_code)
        if problem:
            raise Unauthorized(problem if problem == CODE_REUSED else "That two-factor code did not match.",
                               {"totp_code": problem})
    now = now or utcnow()
    raw = "pc_" + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, token_hash=_sha256(raw), name=(name or "")[:100], scopes=" ".join(scopes),
                   created_at=now, expires_at=now + TOKEN_LIFETIME, two_factor=user.totp_enabled)
    db.session.add(row)
    db.session.commit()
    return raw, row


def token_for(raw, now=None):
    """The live token row for a bearer value, or None."""
    if not raw:
        return None
    now = now or utcnow()
    row = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == _sha256(raw)))
    if row is None or row.expires_at <= now:
        return None
    if row.last_used_at is None or now - row.last_used_at > TOKEN_TOUCH_EVERY:
        row.last_used_at = now
        db.session.commit()
    return row


def list_tokens(user_id):
    return db.session.scalars(
        sa.select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id.desc())
    ).all()


def revoke_token(user_id, token_id):
    n = db.session.execute(
        sa.delete(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user_id)
    ).rowcount
    db.session.commit()
    return n == 1


# ---------------------------------------------------------------- two-factor

def start_totp(user_id):
    """A fresh secret, stored but not yet active, and its otpauth:// URI."""
    user = db.session.get(User, user_id)
    if user.totp_enabled:
        raise ValidationFailed("Two-factor authentication is already on.")
    user.totp_secret = pyotp.random_base32()
    db.session.commit()
    return user.totp_secret, pyotp.TOTP(user.totp_secret).provisioning_uri(
        name=user.username, issuer_name="Patient Commons"
    )


CODE_REUSED = "That code was already used; wait for the next one."
CODE_WRONG = "That code did not match."


def _check_totp(user, code, now=None):
    """None when the code is good (and is now spent), else what is wrong with it."""
    code = re.sub(r"\s", "", code or "")
    if not user.totp_secret or not code.isdigit() or len(code) != 6:
        return CODE_WRONG
    totp = pyotp.TOTP(user.totp_secret)
    at = (now or utcnow()).timestamp()
    for drift in (0, -1, 1):
        step = int(at // 30) + drift
        if secrets.compare_digest(totp.at(step * 30), code):
            # A code is single-use: a replay of the last accepted step fails, and says so, because
            # "did not match" sends people checking their phone's clock for nothing.
            if user.totp_last_step is not None and step <= user.totp_last_step:
                return CODE_REUSED
            user.totp_last_step = step
            return None
    return CODE_WRONG


def confirm_totp(user_id, code, keep_session_id=None):
    """Turn 2FA on once a code from the app matches; returns fresh recovery codes.

    Every other session and every API token ends: they were made by the password alone. The
    session that turned it on (keep_session_id) has just passed a code, so it counts as 2FA'd.
    """
    user = db.session.get(User, user_id)
    problem = _check_totp(user, code)
    if problem == CODE_REUSED:
        raise ValidationFailed(problem, {"code": problem})
    if problem:
        raise ValidationFailed("That code did not match. Check the time on your phone and try again.",
                               {"code": problem})
    user.totp_enabled_at = utcnow()
    codes = _new_recovery_codes(user)
    _revoke_sessions(user.id, keep=keep_session_id)
    if keep_session_id:
        db.session.execute(sa.update(UserSession).where(UserSession.id == keep_session_id,
                                                        UserSession.user_id == user.id).values(two_factor=True))
    db.session.commit()
    return codes


def _new_recovery_codes(user):
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(10)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_sha256(c)) for c in codes)
    return codes


def regenerate_recovery_codes(user_id):
    user = db.session.get(User, user_id)
    codes = _new_recovery_codes(user)
    db.session.commit()
    return codes


def disable_totp(user_id, password, code):
    user = db.session.get(User, user_id)
    if not check_password(user, password or ""):
        raise ValidationFailed("Check your password.", {"password": "That is not your current password."})
    try:
        problem = second_factor_problem(user_id, code)
    except TooManyAttempts as exc:
        raise ValidationFailed(exc.message, {"code": exc.message}) from None
    if problem:
        raise ValidationFailed(problem, {"code": problem})
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.commit()


def verify_second_factor(user_id, code):
    """A TOTP code or an unused recovery code. Recovery codes work once."""
    return second_factor_problem(user_id, code) is None


def _claim_code_attempt(user, now):
    """Count this code as wrong before it is checked (a good one clears it), with a compare-and-set
    so parallel guesses cannot pass the cap. Raises TooManyAttempts while the account waits."""
    failures, retry_at = user.totp_failures, user.totp_retry_at
    waiting = retry_at is not None and retry_at > now
    values = {"totp_failures": failures + 1}
    if (failures + 1) % TOTP_TRIES == 0:
        values["totp_retry_at"] = now + min(TOTP_WAIT * 2 ** ((failures + 1) // TOTP_TRIES - 1), TOTP_WAIT_MAX)
    claimed = not waiting and db.session.execute(
        sa.update(User).where(User.id == user.id, User.totp_failures == failures).values(**values)
    ).rowcount == 1
    db.session.commit()
    if not claimed:
        minutes = max(1, math.ceil(((retry_at or now) - now).total_seconds() / 60))
        raise TooManyAttempts(TOTP_WAITING.format(minutes), {"totp_code": TOTP_WAITING.format(minutes)})
    if (failures + 1) == TOTP_TRIES:
        # The password was right (this step comes after it): the owner should hear of it.
        queue_mail(user.email, "Wrong two-factor codes on your Patient Commons account",
                   f"Hello {user.username},\n\nOn {local_time(user, now)}, someone who knew your password entered "
                   f"{TOTP_TRIES} wrong two-factor codes. If it was not you, change your password now:\n"
                   f"{_external('accounts.settings')}\n")


def second_factor_problem(user_id, code, now=None):
    """None when a TOTP code or an unused recovery code is good (and now spent), else the message.
    Raises TooManyAttempts after TOTP_TRIES wrong ones in a row, until the wait is over."""
    user = db.session.get(User, user_id)
    if user is None or not user.totp_enabled:
        return CODE_WRONG
    now = now or utcnow()
    _claim_code_attempt(user, now)
    db.session.refresh(user)
    problem = _check_totp(user, code, now)
    if problem is None:
        user.totp_failures, user.totp_retry_at = 0, None
        db.session.commit()
        return None
    row = db.session.scalar(
        sa.select(RecoveryCode).where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _sha256((code or "").strip().lower()),
            RecoveryCode.used_at.is_(None),
        )
    )
    if row is None:
        db.session.commit()
        return problem
    row.used_at = utcnow()
    user.totp_failures, user.totp_retry_at = 0, None
    db.session.commit()
    return None


def remaining_recovery_codes(user_id):
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None))
    )


# ---------------------------------------------------------------- onboarding and preferences

def update_preferences(user_id, **values):
    user = db.session.get(User, user_id)
    allowed = {"bio", "hide_memberships", "profile_public", "time_zone"}
    if "time_zone" in values and not is_time_zone(values["time_zone"]):
        raise ValidationFailed("Choose a time zone from the list.",
                               {"time_zone": "Choose a time zone from the list, for example Europe/London."})
    for key, value in values.items():
        if key not in allowed:
            raise ValueError(key)
        setattr(user, key, value)
    if "hide_memberships" in values:
        # They chose: the one-time notice about the switch to hidden (migration 0010) is done.
        user.memberships_notice = False
    db.session.commit()


def dismiss_memberships_notice(user_id):
    """The member read the notice that their communities became hidden. A conditional UPDATE: a
    second tab's dismissal writes nothing."""
    db.session.execute(sa.update(User).where(User.id == user_id, User.memberships_notice)
                       .values(memberships_notice=False))
    db.session.commit()


# ---------------------------------------------------------------- time zones

@lru_cache(maxsize=1)
def time_zones():
    """The IANA names this machine knows, sorted (read from disk once per process)."""
    return tuple(sorted(zoneinfo.available_timezones() | {"UTC"}))


def is_time_zone(name):
    return isinstance(name, str) and name in time_zones()


def local_time(user, moment):
    """A moment as the member reads it, for e-mails: "6 Dec 2026, 14:02 (Europe/London)".
    (Quiet hours and digests, when they come, use the same zone.)"""
    zone = user.time_zone if is_time_zone(user.time_zone) else "UTC"
    return moment.astimezone(zoneinfo.ZoneInfo(zone)).strftime("%-d %b %Y, %H:%M") + f" ({zone})"


def finish_onboarding(user_id):
    user = db.session.get(User, user_id)
    if user.onboarded_at is None:
        user.onboarded_at = utcnow()
        db.session.commit()


def create_admin(username, email, password):
    """An admin from the command line: verified email, no birth year asked."""
    username = (username or "").strip()
    fields, email = _account_fields(username, email, password)
    if username.lower() in RESERVED_USERNAMES and not _username_taken(username):
        fields.pop("username", None)  # staff may take the reserved names
    if fields:
        raise ValidationFailed("Please correct the highlighted fields.", fields)
    now = utcnow()
    user = User(
        username=username, email=email, password_hash=hash_password(password), role="admin",
        email_verified_at=now, guidelines_accepted_at=now, health_consent_at=now, onboarded_at=now,
    )
    db.session.add(user)
    db.session.commit()
    return user


# ---------------------------------------------------------------- mail

SUBJECTS = {"reset": "Reset your Patient Commons password", "sign_in_link": "Your Patient Commons sign-in link",
            "failed_logins": "Failed sign-ins to your Patient Commons account"}
# Anyone may ask for these for any account: one of each kind a minute at most reaches the inbox
# (the links already sent still work).
MAIL_REQUEST_GAP = timedelta(minutes=1)


def _request_mail(kind, login):
    """A MailRequest for the worker, whether or not `login` names an account (only its id travels)."""
    row = MailRequest(kind=kind, login=login)
    db.session.add(row)
    db.session.flush()
    dispatch.enqueue("notifications.account_mail", row.id)


def _failed_logins_mail(user):
    queue_mail(
        user.email, SUBJECTS["failed_logins"],
        f"Hello {user.username},\n\nOn {local_time(user, utcnow())}, someone tried to sign in to your account "
        f"{THROTTLE_AFTER} times with a wrong password. Each further try now waits a little longer; your account "
        "stays open to you.\n\nIf it was you and the password escapes you, ask for a sign-in link or a new "
        f"password:\n{_external('accounts.sign_in_link_request')}\n{_external('accounts.reset_request')}\n\n"
        "If it was not you, nobody got in. Two-factor authentication keeps a guessed password from being enough:\n"
        f"{_external('accounts.two_factor')}\n",
    )


_MAILS = {"reset": _reset_mail, "sign_in_link": _sign_in_link_mail, "failed_logins": _failed_logins_mail}


def answer_mail_request(request_id):
    """Worker side of a MailRequest: e-mail the account if there is one, and forget the request.
    A second run finds no row and does nothing."""
    row = db.session.get(MailRequest, request_id)
    if row is None:
        return False
    # A reset goes by address only, as the form asks for one; the others take a username too.
    user = (db.session.scalar(sa.select(User).where(User.email == row.login.lower())) if row.kind == "reset"
            else _user_by_login(row.login))
    if user is not None and not db.session.scalar(sa.select(OutgoingMail.id).where(
            OutgoingMail.to == user.email, OutgoingMail.subject == SUBJECTS[row.kind],
            OutgoingMail.created_at > utcnow() - MAIL_REQUEST_GAP).limit(1)):
        _MAILS[row.kind](user)
    db.session.delete(row)
    db.session.commit()
    return user is not None


def purge_login_throttles(now=None):
    """Names quiet for a day start again from zero; also keeps the table from growing without end."""
    done = db.session.execute(sa.delete(LoginThrottle).where(
        LoginThrottle.retry_at < (now or utcnow()) - timedelta(days=1))).rowcount
    db.session.commit()
    return done


