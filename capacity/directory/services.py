"""Writes to the directory: people and their roles. Each is atomic and audited."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from capacity.audit.models import Action
from capacity.audit.services import audit_record
from capacity.directory.access import forget_scope
from capacity.directory.models import ROLE_LEVEL, Board, Membership, Network, Province, School, User

Organisation = Province | Board | School | Network


def _org_kwargs(role: str, organisation: Organisation) -> dict[str, Organisation]:
    level = ROLE_LEVEL[role]
    expected = {"province": Province, "board": Board, "school": School, "network": Network}[level]
    if not isinstance(organisation, expected):
        raise ValueError(f"The role {role} is held in a {level}, not in {organisation!r}.")
    return {level: organisation}


@transaction.atomic
def user_create(
    *,
    username: str,
    email: str = "",
    display_name: str = "",
    password: str | None = None,
    is_staff: bool = False,
    is_superuser: bool = False,
    source_id: str = "",
    check_password: bool = True,
    actor: Any = None,
    actor_label: str = "",
) -> User:
    """Create a person. Without a password the person cannot sign in until one is set."""
    user = User(
        username=username,
        email=email,
        display_name=display_name,
        is_staff=is_staff or is_superuser,
        is_superuser=is_superuser,
        source_id=source_id,
    )
    if password:
        if check_password:
            validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    audit_record(
        action=Action.USER_CREATED,
        actor=actor,
        actor_label=actor_label,
        target=username,
        detail={"staff": user.is_staff},
    )
    return user


@transaction.atomic
def membership_grant(
    *,
    user: User,
    role: str,
    organisation: Organisation,
    title: str = "",
    actor: Any = None,
    actor_label: str = "",
) -> tuple[Membership, bool]:
    """Give a person a role in an organisation. Granting it twice changes nothing."""
    membership, created = Membership.objects.get_or_create(
        user=user, role=role, **_org_kwargs(role, organisation), defaults={"title": title}
    )
    if created:
        membership.full_clean()
        audit_record(
            action=Action.MEMBERSHIP_GRANTED,
            actor=actor,
            actor_label=actor_label,
            target=str(user.get_username()),
            detail={"role": role, "organisation": str(organisation)},
        )
        forget_scope(user)
    return membership, created


@transaction.atomic
def membership_revoke(
    *, membership: Membership, actor: Any = None, actor_label: str = "", reason: str = ""
) -> None:
    """Remove a role; the audit entry keeps the reason (for example a roster's tobedeleted)."""
    detail = {"role": membership.role, "organisation": str(membership.organisation)}
    if reason:
        detail["reason"] = reason
    audit_record(
        action=Action.MEMBERSHIP_REVOKED,
        actor=actor,
        actor_label=actor_label,
        target=membership.user.get_username(),
        detail=detail,
    )
    membership.delete()
    forget_scope(membership.user)


@transaction.atomic
def user_deactivate(*, user: User, reason: str, actor: Any = None, actor_label: str = "") -> None:
    """Stop a person signing in and drop their scope; their roles and history stay for the record."""
    user.is_active = False
    user.save(update_fields=["is_active"])
    audit_record(
        action=Action.USER_DEACTIVATED,
        actor=actor,
        actor_label=actor_label,
        target=user.get_username(),
        detail={"reason": reason},
    )
    forget_scope(user)


@transaction.atomic
def network_create(
    *, name: str, purpose: str, schools: list[School], actor: Any = None, actor_label: str = ""
) -> Network:
    """Create a learning network of `schools` (the caller audits why: the rounds app records the
    suggestion it was formed from). Its name must be new; ValidationError otherwise."""
    network = Network(name=name.strip(), purpose=purpose.strip())
    network.full_clean()
    network.save()
    network.schools.set(schools)
    return network


def _token_hash(key: str) -> str:
    import hashlib

    return hashlib.sha256(key.encode()).hexdigest()


MAX_TOKEN_DAYS = 366


@transaction.atomic
def api_token_create(
    *,
    user: User,
    name: str,
    days: int | None = None,
    actor: Any = None,
    actor_label: str = "",
    request: Any = None,
) -> tuple[Any, str]:
    """Create an API token for `user`, valid for `days` (CAPACITY_API_TOKEN_DAYS by default, at most a year).

    Returns the row and the key, which is shown once and never stored.
    """
    import datetime
    import secrets

    from django.conf import settings
    from django.utils import timezone

    from capacity.directory.models import ApiToken

    days = settings.CAPACITY_API_TOKEN_DAYS if days is None else days
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise ValueError(f"A token lives between 1 and {MAX_TOKEN_DAYS} days, not {days}.")
    key = "cap_" + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name.strip() or "api",
        prefix=key[:12],
        key_hash=_token_hash(key),
        expires=timezone.now() + datetime.timedelta(days=days),
    )
    token.full_clean()
    token.save()
    audit_record(
        action=Action.TOKEN_CREATED,
        actor=actor,
        actor_label=actor_label,
        target=user.get_username(),
        detail={
            "token": str(token.prefix),
            "name": token.name,
            "expires": token.expires.isoformat(),
        },
        request=request,
    )
    return token, key


@transaction.atomic
def api_token_revoke(
    *, token: Any, actor: Any = None, actor_label: str = "", request: Any = None
) -> None:
    """Revoke a token: it stops working at once. The audit log keeps whose it was and who revoked it."""
    audit_record(
        action=Action.TOKEN_REVOKED,
        actor=actor,
        actor_label=actor_label,
        target=token.user.get_username(),
        detail={"token": token.prefix, "name": token.name},
        request=request,
    )
    token.delete()


def api_token_user(key: str) -> User | None:
    """The active person an unexpired token belongs to, or None. Records when the token was last used."""
    from django.utils import timezone

    from capacity.directory.models import ApiToken

    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_token_hash(key), expires__gt=now)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used=now)
    return token.user
