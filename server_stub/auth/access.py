"""Who may reach what: the one scoping mechanism of the API.

Every route declares in its signature, and nowhere else, who may call it and what it reaches:

- a *policy* (`Staff`, `Validators`, `Anyone`, …) says which kinds of caller may call the route
  at all; anyone else is refused (403). Its value is the caller's `Scope`: the offices a
  gestionnaire serves, the centres a chef de centre answers for, everything for an
  administrator, and for everyone their own things;
- `POLICY.reach(RESOURCE)` stands for the resource a path names (`/needs/{need_id}`): handed to
  the endpoint when the caller's scope holds it, answered as absent (404) otherwise, exactly as a
  missing one, so that nobody learns what exists outside their scope;
- `POLICY.refer(Body, field=RESOURCE, …)` stands for a request body whose fields name other
  resources (a mission's session, its centre): each must be within reach, or the field is
  refused (422) as if it named nothing;
- lists are narrowed in their query by the scope (`scope.offices`, `scope.centres`), and bulk
  requests answer each item outside it as introuvable.

Every check runs on the endpoint's own worker-thread trip, after the caller's lookup and within
its transaction (core/routing.py). The caller's memberships cost one query, for a gestionnaire or
a chef de centre only; a resource and where it belongs, one query.
"""

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Path
from pydantic import BaseModel
from sqlalchemy.orm import Session

from server_stub.auth import repository, service
from server_stub.auth.deps import Credentials, presented_token
from server_stub.auth.models import Role, User
from server_stub.core.deps import DbSession
from server_stub.core.errors import Forbidden, InvalidInput, NotFound, PasswordChangeRequired
from server_stub.core.routing import defer, then
from server_stub.core.wire import MAX_ID, Digits

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)
# Marks of the generated dependencies, read by the OpenAPI document (contract.py): what a route
# reaches by id (it can answer 404), which body fields name something (422).
REACHES = "__imagin_reaches__"
REFERS = "__imagin_refers__"


@dataclass(frozen=True)
class Scope:
    """What the caller reaches.

    `offices`: the offices whose sessions a gestionnaire works on; `centres`: the centres a chef
    de centre answers for; `schools`: the schools whose people a chef de centre knows (their own
    and their centres' names). None stands for every one of them (an administrator).
    """

    user: User
    offices: frozenset[str] | None = frozenset()
    centres: frozenset[int] | None = frozenset()
    schools: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Place:
    """Where a resource belongs: the offices and centres it is under, and whose it is.

    `shared`: reference data of the whole académie (its exam centres), within every office.
    """

    offices: frozenset[str] = frozenset()
    centres: frozenset[int] = frozenset()
    owner_id: int | None = None
    schools: frozenset[str] = frozenset()
    shared: bool = False


Relation = Callable[[Scope, Place], bool]


def owner(scope: Scope, place: Place) -> bool:
    """The resource is the caller's own (their statement, their declarations)."""
    return place.owner_id is not None and place.owner_id == scope.user.id


def office(scope: Scope, place: Place) -> bool:
    """The resource belongs to an office the caller serves (every one, for an administrator);
    the académie's shared reference data belongs to every office."""
    if scope.offices is None:
        return True
    if place.shared:
        return bool(scope.offices)
    return not scope.offices.isdisjoint(place.offices)


def centre(scope: Scope, place: Place) -> bool:
    """The resource takes place at a centre the caller answers for."""
    return scope.centres is None or not scope.centres.isdisjoint(place.centres)


@dataclass(frozen=True)
class Resource(Generic[T]):
    """Something a path or a body names by id, with how to find it and where it belongs.

    `locate(session, id)`: the row and its place in one query, or None. `absent`: the French
    sentence of a missing one; one outside the caller's scope gets the same.
    """

    name: str
    absent: str
    locate: Callable[[Session, int], tuple[T, Place] | None]

    @property
    def param(self) -> str:
        return f"{self.name}_id"


def _signature(function: Callable[..., Any], **parameters: Any) -> Callable[..., Any]:
    """Gives a generated dependency the parameters FastAPI reads (their names, their types)."""
    function.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation)
            for name, annotation in parameters.items()
        ]
    )
    return function


class Policy:
    """Which kinds of caller may call a route, and by which relations they reach resources.

    An instance is a FastAPI dependency whose value is the caller's `Scope`; FastAPI hands the
    same (deferred) value to every dependency of a request that builds on it.
    """

    EVERYONE = frozenset(Role)

    def __init__(
        self,
        name: str,
        roles: Iterable[Role],
        reaches: tuple[Relation, ...],
        refusal: str,
        *,
        temporary_password: bool = False,
    ) -> None:
        self.name = name
        self.roles = frozenset(roles)
        self.reaches = reaches
        self.refusal = refusal
        self.temporary_password = temporary_password

    def __repr__(self) -> str:
        return f"Policy({self.name})"

    async def __call__(self, session: DbSession, credentials: Credentials) -> Scope:
        token = presented_token(credentials)
        return defer(session, lambda s: self.admit(s, service.authenticate(s, token)))

    def admit(self, session: Session, user: User) -> Scope:
        if user.must_change_password and not self.temporary_password:
            raise PasswordChangeRequired(
                "Vous devez d'abord remplacer votre mot de passe temporaire par un mot de passe "
                "personnel."
            )
        if user.role not in self.roles:
            raise Forbidden(self.refusal)
        return scope_of(session, user)

    def holds(self, scope: Scope, place: Place) -> bool:
        return any(relation(scope, place) for relation in self.reaches)

    def find(self, session: Session, scope: Scope, resource: Resource[T], item_id: int) -> T | None:
        """The resource if the caller reaches it; None if it is missing or out of reach."""
        found = resource.locate(session, item_id)
        if found is None or not self.holds(scope, found[1]):
            return None
        return found[0]

    def reach(
        self, resource: Resource[T], param: str | None = None, where: Callable[..., Any] = Path
    ) -> Any:
        """A dependency: the resource a parameter names (of the path by default, `where=Query`
        for one of the query), within reach, or 404."""
        policy = self

        async def reached(**kwargs: Any) -> T:
            scope: Scope = kwargs["scope"]
            session, item_id = kwargs["session"], kwargs["item_id"]

            def located(scope: Scope) -> T:
                found = policy.find(session, scope, resource, item_id)
                if found is None:
                    raise NotFound(resource.absent)
                return found

            return then(scope, located)

        name = param or resource.param
        _signature(
            reached,
            scope=Annotated[Scope, Depends(self)],
            session=DbSession,
            item_id=Annotated[int, where(alias=name, ge=1, le=MAX_ID), Digits],
        )
        setattr(reached, REACHES, resource)
        return Depends(reached)

    def refer(self, model: type[M], **references: Resource[Any]) -> Any:
        """A dependency: the request body, once each field in `references` that names something
        (not null) names something within reach; otherwise 422 on that field."""
        policy = self

        async def referred(**kwargs: Any) -> M:
            scope: Scope = kwargs["scope"]
            session, body = kwargs["session"], kwargs["body"]

            def checked(scope: Scope) -> M:
                fields: dict[str, str] = {}
                for name, resource in references.items():
                    item_id = getattr(body, name)
                    if (
                        item_id is not None
                        and policy.find(session, scope, resource, item_id) is None
                    ):
                        fields[name] = resource.absent
                if fields:
                    raise InvalidInput(next(iter(fields.values())), fields=fields)
                checked_body: M = body
                return checked_body

            return then(scope, checked)

        _signature(referred, scope=Annotated[Scope, Depends(self)], session=DbSession, body=model)
        setattr(referred, REFERS, references)
        return Depends(referred)


def scope_of(session: Session, user: User) -> Scope:
    """The caller's scope; a query only for the roles whose reach is a membership."""
    if user.role == Role.ADMIN:
        return Scope(user, offices=None, centres=None)
    if user.role == Role.GESTIONNAIRE:
        return Scope(user, offices=frozenset(repository.offices_of(session, user.id)))
    if user.role == Role.CHEF_CENTRE:
        centres = repository.centres_of(session, user.id)
        schools = {name for _, name in centres} | ({user.school} if user.school else set())
        return Scope(user, centres=frozenset(i for i, _ in centres), schools=frozenset(schools))
    return Scope(user)


_STAFF_ONLY = "Cette action est réservée aux gestionnaires de la DEC."
STAFF_ROLES = (Role.GESTIONNAIRE, Role.ADMIN)


ACCOUNT = Policy("account", Policy.EVERYONE, (owner,), "", temporary_password=True)
"""Anyone logged in, even with a temporary password still to replace: their own account."""

ANYONE = Policy("anyone", Policy.EVERYONE, (owner,), "")
"""Anyone logged in: their own things (missions, statements, declarations, profile)."""

OWNER_OR_STAFF = Policy("owner-or-staff", Policy.EVERYONE, (owner, office), "")
"""Anyone logged in: their own things; a gestionnaire also those of their offices."""

STAFF = Policy("staff", STAFF_ROLES, (office,), _STAFF_ONLY)
"""Gestionnaires (what belongs to their offices) and administrators (everything)."""


RECORDERS = Policy(
    "recorders",
    (Role.GESTIONNAIRE, Role.ADMIN, Role.CHEF_CENTRE),
    (office, centre),
    "Cette action est réservée aux gestionnaires de la DEC et aux chefs de centre.",
)
"""The service done and the missions: the DEC for its offices, a chef de centre for their
centres."""


Account = Annotated[Scope, Depends(ACCOUNT)]
Anyone = Annotated[Scope, Depends(ANYONE)]
Staff = Annotated[Scope, Depends(STAFF)]
Recorder = Annotated[Scope, Depends(RECORDERS)]
