"""People, organisations, states, media and groups that appear in briefings."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from briefgen.model.common import LanguageTag, Slug, StrictModel, Text
from briefgen.model.dates import EdtfDate

ActorKind = Literal["person", "organization", "state", "media", "group"]


class OtherName(StrictModel):
    """The actor's name in another language or script."""

    name: Text = Field(description="The name as written in that language, e.g. محمود عباس.")
    lang: LanguageTag = Field(description="BCP 47 language tag, e.g. 'ar', 'he', 'ar-Latn'.")


class Role(StrictModel):
    """A title an actor held for a period; used to print the title held on a given date."""

    title: Text = Field(description="The title, e.g. 'Member of the Executive Committee'.")
    organization: Slug | None = Field(
        None, description="Id of the actor (organisation) the title belongs to, if any."
    )
    from_: EdtfDate | None = Field(
        None, alias="from", description="When the role began; leave out if not known."
    )
    to: EdtfDate | None = Field(
        None, description="When the role ended; leave out while it is still held."
    )


class Actor(StrictModel):
    """One entry of content/actors.yaml."""

    id: Slug = Field(description="Unique lower-case id used to refer to this actor.")
    name: Text = Field(description="Name as printed in briefings.")
    kind: ActorKind = Field(description="person, organization, state, media or group.")
    aliases: list[Text] = Field(default_factory=list, description="Other names in use.")
    other_names: list[OtherName] = Field(
        default_factory=list, description="Names in other languages or scripts."
    )
    roles: list[Role] = Field(default_factory=list, description="Titles held over time.")
    description: Text | None = Field(None, description="One or two neutral sentences.")


class ActorsFile(StrictModel):
    """content/actors.yaml: the shared registry of actors."""

    actors: list[Actor] = Field(description="Every actor the briefings may refer to.")
