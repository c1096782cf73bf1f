"""API schemas for communities and members: input and output apart."""

from datetime import datetime

from ninja import Field
from pydantic import StrictBool, StrictInt

from samenspel.communities.models import Role, Side
from samenspel.core.api import CamelSchema, InputSchema, Text


class CommunityOut(CamelSchema):
    slug: str
    name: str
    municipality: str
    description: str
    is_public: bool
    is_example: bool = Field(description="Demo data, not facts about a real community.")
    member_count: int
    created_at: datetime


class CommunityIn(InputSchema):
    name: Text = Field(min_length=1, max_length=120)
    slug: str = Field(min_length=2, max_length=60, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
    municipality: Text = Field(min_length=1, max_length=120)
    description: Text = Field("", max_length=4000)
    is_public: StrictBool = False
    side: Side = Field(Side.OVERIG, description="The founder's side; it gives no extra rights.")


class OrganisationOut(CamelSchema):
    id: int
    name: str
    kind: str


class MemberOut(CamelSchema):
    id: int
    name: str
    email: str | None = Field(None, description="Only shown to members of the community.")
    side: Side
    role: Role
    organisation: OrganisationOut | None
    organisation_confirmed: bool = Field(
        description=(
            "Whether a steward or a confirmed member of the organisation confirmed that this "
            "member belongs to it. Only then does the member act for it."
        )
    )
    joined_at: datetime


class MyMembershipPatch(InputSchema):
    side: Side | None = None
    organisation_id: StrictInt | None = Field(
        None,
        ge=1,
        le=2**63 - 1,
        description=(
            "Your organisation in this community, or null for none. A new organisation waits "
            "for confirmation by a steward or a confirmed member of it."
        ),
    )
