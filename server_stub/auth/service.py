"""Log-in, token refresh, password change and log-out.

Log-in and password change are coroutines: the checks that need the database run on the
request worker threads, each in a short transaction of its own, and the password hashes on
the hashing threads of `Throttle` (auth/throttle.py).
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from server_stub.auth import directory, repository
from server_stub.auth.accounts import create_account
from server_stub.auth.directory import DirectoryPerson
from server_stub.auth.models import Category, LoginFailure, TokenKind, User
from server_stub.auth.schemas import Identity, TokensOut
from server_stub.auth.throttle import Throttle, wait_message
from server_stub.core import clock
from server_stub.core.errors import (
    InvalidInput,
    NotAuthenticated,
    SessionExpired,
    TooManyAttempts,
    WrongCredentials,
)
from server_stub.core.security import (
    PASSWORD_RULES,
    hash_password,
    new_token,
    password_problems,
    token_digest,
    verify_password,
)
from server_stub.core.settings import Settings

log = logging.getLogger(__name__)
NOT_LOGGED_IN = "Vous n'êtes pas connecté(e). Connectez-vous pour continuer."
EXPIRED = "Votre session a expiré. Reconnectez-vous pour continuer."
REPLAYED = (
    "Votre session a été fermée par sécurité : elle a été reprise depuis un autre poste. "
    "Reconnectez-vous, puis changez votre mot de passe si ce n'était pas vous."
)


def new_family() -> str:
    return secrets.token_hex(16)


def _issue_tokens(
    session: Session, user: User, settings: Settings, family: str | None = None
) -> TokensOut:
    """A new access and refresh token, in `family` (a refresh) or a new one (a log-in)."""
    now = clock.now()
    family = family or new_family()
    access, refresh = new_token(), new_token()
    access_ttl = dt.timedelta(minutes=settings.access_token_minutes)
    repository.add_token(
        session, user, TokenKind.ACCESS, token_digest(access), now + access_ttl, family
    )
    repository.add_token(
        session,
        user,
        TokenKind.REFRESH,
        token_digest(refresh),
        now + dt.timedelta(days=settings.refresh_token_days),
        family,
    )
    return TokensOut(
        access_token=access,
        refresh_token=refresh,
        expires_in=int(access_ttl.total_seconds()),
        user=identity(user),
        password_rules=PASSWORD_RULES,
    )


def identity(user: User) -> Identity:
    return Identity.model_validate(user, from_attributes=True)


_DUMMY_HASH = hash_password("not-an-account")


def normalised_login(login: str) -> str:
    return login.strip().lower()[:120]


WRONG_CREDENTIALS = "Identifiant ou mot de passe incorrect."


def _delay(settings: Settings, failures: int) -> dt.timedelta:
    """The wait after `failures` failures in a row: none below the threshold, then doubling,
    capped (never a permanent lock)."""
    beyond = failures - settings.max_failed_logins
    if beyond < 0:
        return dt.timedelta(0)
    seconds = settings.login_delay_seconds * 2 ** min(beyond, 20)
    return dt.timedelta(seconds=min(seconds, settings.login_delay_max_minutes * 60))


def _seconds_until(moment: dt.datetime, now: dt.datetime) -> int:
    return max(1, int((moment - now).total_seconds() + 0.999))


@dataclass(frozen=True)
class _Candidate:
    user_id: int | None
    password_hash: str
    # Checked against the académie's directory (an académie account, or an identifier no local
    # account has) rather than against the local hash.
    directory: bool = False


def _before_login(
    factory: sessionmaker[Session],
    throttle: Throttle,
    settings: Settings,
    login: str,
    address: str,
) -> _Candidate:
    """The limits, the wait of earlier failures, then whose hash to check (a dummy one for an
    unknown identifier: the same work, the same answers)."""
    key = normalised_login(login)
    throttle.check("login", address, key)
    now = clock.now()
    with factory() as session:
        failure = repository.login_failure(session, key, address)
        if failure is not None and failure.wait_until is not None and failure.wait_until > now:
            wait = _seconds_until(failure.wait_until, now)
            raise TooManyAttempts(wait_message(wait), retry_after=wait)
        user = repository.user_by_login(session, login)
        if user is not None and not user.active:
            # A deactivated account answers as an unknown one, after the same work.
            return _Candidate(None, _DUMMY_HASH)
        via_directory = directory.enabled(settings) and (user is None or user.academic)
        if user is None:
            return _Candidate(None, _DUMMY_HASH, via_directory)
        return _Candidate(user.id, user.password_hash, via_directory)


def _record_failure(
    factory: sessionmaker[Session], settings: Settings, login: str, address: str
) -> dt.datetime | None:
    """Counts a failure; returns until when the next attempt must wait, if it must."""
    key = normalised_login(login)
    now = clock.now()
    forget_before = now - dt.timedelta(hours=settings.login_failure_memory_hours)
    with factory.begin() as session:
        failure = repository.login_failure(session, key, address)
        if failure is None:
            failure = LoginFailure(login=key, address=address, failures=0, last_failure_at=now)
            session.add(failure)
        elif failure.last_failure_at < forget_before:
            failure.failures = 0
        failure.failures += 1
        failure.last_failure_at = now
        delay = _delay(settings, failure.failures)
        failure.wait_until = now + delay if delay else None
        if failure.failures == 1:
            repository.forget_old_login_failures(session, forget_before)
        return failure.wait_until


def _after_login(
    factory: sessionmaker[Session],
    settings: Settings,
    login: str,
    address: str,
    candidate: _Candidate,
    verified: bool,
) -> TokensOut:
    if not verified or candidate.user_id is None:
        wait_until = _record_failure(factory, settings, login, address)
        if wait_until is not None:
            wait = _seconds_until(wait_until, clock.now())
            raise TooManyAttempts(f"{WRONG_CREDENTIALS} {wait_message(wait)}", retry_after=wait)
        raise WrongCredentials(WRONG_CREDENTIALS)
    with factory.begin() as session:
        repository.forget_login_failures(session, normalised_login(login), address)
        user = session.get(User, candidate.user_id)
        if user is None:  # deleted between the two steps
            raise WrongCredentials(WRONG_CREDENTIALS)
        return _issue_tokens(session, user, settings)


async def log_in(
    factory: sessionmaker[Session],
    throttle: Throttle,
    settings: Settings,
    login: str,
    password: str,
    address: str,
) -> TokensOut:
    """Tokens for the right password. Whether the identifier exists is never disclosed: the
    same answers, after the same work, and the same wait after repeated failures."""
    candidate = await run_in_threadpool(_before_login, factory, throttle, settings, login, address)
    if candidate.directory:
        person = await run_in_threadpool(directory.authenticate, settings, login, password)
        verified = person is not None
        if person is not None:
            candidate = await run_in_threadpool(_from_directory, factory, person)
    else:
        verified = await throttle.hash_off_the_workers(
            lambda: verify_password(candidate.password_hash, password)
        )
    return await run_in_threadpool(
        _after_login, factory, settings, login, address, candidate, verified
    )


# Never the hash of any password: a directory account cannot log in locally.
DIRECTORY_PASSWORD = "!annuaire"


def _from_directory(factory: sessionmaker[Session], person: DirectoryPerson) -> _Candidate:
    """The account of a person the directory recognised: created at their first log-in,
    brought up to date with the directory at each one."""
    with factory.begin() as session:
        user = repository.user_by_login(session, person.login)
        if user is None:
            user = create_account(
                session,
                login=person.login,
                first_name=person.first_name,
                last_name=person.last_name,
                password_hash=DIRECTORY_PASSWORD,
                academic=True,
                temporary=False,
                category=Category.LP_TEACHER,
                email=person.email,
            )
            log.info("account %s created from the directory", user.id)
        elif not user.active:
            return _Candidate(None, DIRECTORY_PASSWORD, True)
        else:
            user.first_name, user.last_name = person.first_name, person.last_name
            user.email = person.email or user.email
            user.academic = True
            user.must_change_password = False
            user.password_hash = DIRECTORY_PASSWORD
        return _Candidate(user.id, DIRECTORY_PASSWORD, True)


def authenticate(session: Session, access_token: str) -> User:
    return authenticate_session(session, access_token)[0]


def authenticate_session(session: Session, access_token: str) -> tuple[User, str]:
    """The caller and the family of their access token."""
    found = repository.access_token_owner(session, token_digest(access_token))
    if found is None:
        raise NotAuthenticated(NOT_LOGGED_IN)
    user, expires_at, family = found
    if expires_at <= clock.now():
        raise SessionExpired(EXPIRED)
    return user, family


def refresh(session: Session, settings: Settings, refresh_token: str) -> TokensOut:
    """New tokens for a refresh token, used once. Presented again, it was stolen or copied:
    every token of its session is revoked, the thief's and the owner's."""
    token = repository.token_by_digest(session, token_digest(refresh_token))
    now = clock.now()
    if token is None or token.kind != TokenKind.REFRESH:
        raise SessionExpired(EXPIRED)
    if token.revoked_at is not None or not repository.use_refresh_token(session, token.id, now):
        repository.revoke_family(session, token.family, now)
        # Stored even though the request fails.
        session.commit()
        log.warning("refresh token replayed: session of user %s revoked", token.user_id)
        raise SessionExpired(REPLAYED)
    if token.expires_at <= now:
        raise SessionExpired(EXPIRED)
    user = session.get(User, token.user_id)
    assert user is not None
    return _issue_tokens(session, user, settings, family=token.family)


@dataclass(frozen=True)
class _Changing:
    user_id: int
    login: str
    password_hash: str


def _before_change(
    factory: sessionmaker[Session], throttle: Throttle, access_token: str, address: str
) -> _Changing:
    with factory() as session:
        user = authenticate(session, access_token)
        changing = _Changing(user.id, user.login, user.password_hash)
    throttle.check("password", address, normalised_login(changing.login))
    return changing


def _new_hash(changing: _Changing, current: str, new: str) -> str:
    """The new password's hash, after checking the current one and the new one's rules."""
    if not verify_password(changing.password_hash, current):
        raise InvalidInput(
            "Le mot de passe actuel est incorrect.",
            fields={"current_password": "Mot de passe actuel incorrect."},
        )
    problems = password_problems(new, changing.login)
    if verify_password(changing.password_hash, new):
        problems.append("être différent du mot de passe actuel")
    if problems:
        message = "Le nouveau mot de passe doit comporter : " + ", ".join(problems) + "."
        raise InvalidInput(message, fields={"new_password": message})
    return hash_password(new)


def _after_change(
    factory: sessionmaker[Session], settings: Settings, changing: _Changing, new_hash: str
) -> TokensOut:
    with factory.begin() as session:
        user = session.get(User, changing.user_id)
        if user is None or user.password_hash != changing.password_hash:
            # Changed or removed meanwhile, from another session.
            raise SessionExpired(EXPIRED)
        user.password_hash = new_hash
        user.must_change_password = False
        repository.revoke_tokens(session, user.id, clock.now())
        return _issue_tokens(session, user, settings)


async def change_password(
    factory: sessionmaker[Session],
    throttle: Throttle,
    settings: Settings,
    access_token: str,
    address: str,
    current: str,
    new: str,
) -> TokensOut:
    """Replaces the password; every earlier session ends, a new one starts."""
    changing = await run_in_threadpool(_before_change, factory, throttle, access_token, address)
    new_hash = await throttle.hash_off_the_workers(lambda: _new_hash(changing, current, new))
    return await run_in_threadpool(_after_change, factory, settings, changing, new_hash)


def log_out(session: Session, user: User, family: str, refresh_token: str | None) -> None:
    """Revokes every token of the caller's session (that of the access token), and that of
    the refresh token sent, if any and theirs: no body is needed to end a session."""
    now = clock.now()
    repository.revoke_family(session, family, now)
    if refresh_token is not None:
        token = repository.token_by_digest(session, token_digest(refresh_token))
        if token is not None and token.user_id == user.id and token.family != family:
            repository.revoke_family(session, token.family, now)
