"""Which title an actor held on a given date."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from briefgen.model.actors import Actor, Role
from briefgen.model.dates import EdtfDate

Held = Literal["held", "not-held", "unknown"]


def role_held(role: Role, on: EdtfDate) -> Held:
    """Whether ``role`` was certainly held, certainly not held, or cannot be shown, on a date."""
    began, ended = role.from_, role.to
    if began is not None and began.certainly_after(on):
        return "not-held"
    if ended is not None and ended.certainly_before(on):
        return "not-held"
    started_before = began is not None and began.latest() <= on.earliest()
    still_held = ended is None or ended.earliest() >= on.latest()
    return "held" if started_before and still_held else "unknown"


def _words(text: str) -> list[str]:
    return text.casefold().replace(",", " ").split()


def title_names_organization(title: str, organization: str) -> bool:
    """True when ``title`` already says ``organization``, so printing both would repeat it.

    Either the organisation's name is part of the title ('Chair of the Port Board', 'Port
    Board'), or the two differ only in their first word and share the rest ('Minister of Water
    and Irrigation', 'Ministry of Water and Irrigation').
    """
    title_words, organization_words = _words(title), _words(organization)
    if not organization_words:
        return False
    size = len(organization_words)
    if any(
        title_words[i : i + size] == organization_words for i in range(len(title_words) - size + 1)
    ):
        return True
    rest = organization_words[1:]
    return len(rest) >= 2 and title_words[1:] == rest


def role_label(role: Role, actors: Mapping[str, Actor]) -> str:
    """'Title, Organisation' as printed beside a name (the title alone when it says both)."""
    organization = actors.get(role.organization) if role.organization else None
    if organization is None or title_names_organization(role.title, organization.name):
        return role.title
    return f"{role.title}, {organization.name}"


def matching_roles(actor: Actor, title: str) -> list[Role]:
    """The actor's roles whose title (or 'title, organisation id') is ``title``, any case."""
    wanted = title.casefold().strip()
    return [role for role in actor.roles if role.title.casefold().strip() == wanted]


def titles_on(
    actor: Actor, on: EdtfDate, actors: Mapping[str, Actor], role_title: str | None = None
) -> list[str]:
    """Labels of the roles ``actor`` certainly held on ``on`` (only ``role_title`` if given)."""
    roles = matching_roles(actor, role_title) if role_title else actor.roles
    return [role_label(role, actors) for role in roles if role_held(role, on) == "held"]
