"""API schemas for track 2 (the loop): signals and their events, the loop's figures, themes,
policy objects and adjustments. Input and output apart."""

from datetime import datetime

from ninja import Field, Schema
from pydantic import StrictInt

from samenspel.core.api import CamelSchema, Id, InputSchema, Text
from samenspel.learning.models import AdjustmentStage, Level, PolicyKind
from samenspel.learning.stages import Outcome, Stage

# -- output ---------------------------------------------------------------------------------


class NamedOut(CamelSchema):
    id: int
    name: str


class ThemeOut(CamelSchema):
    id: int
    name: str
    slug: str
    description: str


class PolicyObjectOut(CamelSchema):
    id: int
    kind: PolicyKind
    name: str
    department: NamedOut | None
    reference: str


class SignalOut(CamelSchema):
    id: int
    community: str = Field(description="The slug of the community.")
    title: str
    what_happened: str
    stage: Stage = Field(description="The stage of its newest loop event.")
    stage_since: datetime | None = Field(description="When it reached its current stage.")
    last_event_id: int | None = Field(
        description="Send this back as seenEventId when you move the signal."
    )
    impact: Level
    urgency: Level
    themes: list[ThemeOut]
    policy_objects: list[NamedOut]
    initiatives: list[NamedOut]
    raised_by: NamedOut | None
    owner: NamedOut | None
    raised_at: datetime
    is_example: bool = Field(description="Demo or synthetic data, not facts.")


class LoopEventOut(CamelSchema):
    id: int
    from_stage: str = Field(description="Empty for the event that raised the signal.")
    to_stage: Stage
    actor: NamedOut | None
    at: datetime
    note: str
    outcome: str = Field(description="solved, partly, not-solved, or '' (closing events only).")
    closed_without_answer: bool
    adjustment_id: int | None
    decision_basis: str = Field(
        description="For a decision (to 'besloten'): college, ambtelijk or raad; else ''."
    )
    decision_reference: str = Field(description="The decision's number or link, if given.")


class SignalDetailOut(SignalOut):
    events: list[LoopEventOut] = Field(description="Oldest first.")


class StageFiguresOut(CamelSchema):
    stage: Stage
    label: str
    count: int
    open: bool
    oldest_days: int | None = Field(
        description="Days since the oldest open signal in this stage reached it."
    )
    oldest_raised_days: int | None = Field(
        description="Days since the oldest open signal in this stage was raised."
    )


class QuarterOut(CamelSchema):
    year: int
    quarter: int
    signals: int = Field(description="Signals whose first feedback fell in this quarter.")
    median_days: float = Field(description="Median days from raised to first feedback.")


class ThemeFiguresOut(CamelSchema):
    id: int
    name: str
    slug: str
    open: int
    closed: int
    median_days: float | None


class LoopOut(CamelSchema):
    stages: list[StageFiguresOut]
    quarters: list[QuarterOut]
    themes: list[ThemeFiguresOut]


class LoopSettingsOut(CamelSchema):
    remind_after_days: int = Field(description="Owners hear once when a signal waits this long.")
    close_without_answer_after_days: int = Field(
        description="Without the initiative's answer after feedback, a steward may close then."
    )


class LoopSettingsPatch(InputSchema):
    remind_after_days: StrictInt | None = Field(None, ge=1, le=365)
    close_without_answer_after_days: StrictInt | None = Field(None, ge=7, le=365)


class AdjustmentOut(CamelSchema):
    id: int
    community: str = Field(description="The slug of the community.")
    policy_object: NamedOut
    title: str
    current: str
    proposed: str
    why: str
    owner: NamedOut | None
    stage: AdjustmentStage
    next_stages: list[AdjustmentStage]
    signals: list[int] = Field(description="Ids of the signals that asked for it.")
    created_at: datetime
    updated_at: datetime


# -- input ----------------------------------------------------------------------------------


class AdjustmentFilters(Schema):
    q: str | None = Field(
        None, max_length=100, description="Words in the title or the proposal (Dutch search)."
    )


class SignalFilters(Schema):
    theme: str | None = Field(None, max_length=80, description="The short name of a theme.")
    stage: Stage | None = None
    q: str | None = Field(None, max_length=100, description="Words in the title or text.")


class SignalIn(InputSchema):
    title: Text = Field(min_length=1, max_length=200)
    what_happened: Text = Field(min_length=1, max_length=10000)
    impact: Level = Level.MEDIUM
    urgency: Level = Level.MEDIUM
    themes: list[Id] = Field([], description="Ids of themes of the community.")
    policy_objects: list[Id] = Field([], description="Ids of policy objects of the community.")
    initiatives: list[Id] = Field([], description="Ids of initiatives of the community.")
    on_behalf_of: Id | None = Field(
        None, description="Id of an initiative of your own organisation, if you raise it for one."
    )


class SignalPatch(InputSchema):
    title: Text | None = Field(None, min_length=1, max_length=200)
    what_happened: Text | None = Field(None, min_length=1, max_length=10000)
    impact: Level | None = None
    urgency: Level | None = None
    themes: list[Id] | None = None
    policy_objects: list[Id] | None = None
    initiatives: list[Id] | None = None


class TransitionIn(InputSchema):
    to_stage: Stage
    note: Text = Field("", max_length=4000)
    outcome: Outcome | None = Field(None, description="Required when closing the loop.")
    owner_id: Id | None = Field(
        None, description="The policy owner, when taking it into exploration."
    )
    seen_event_id: Id | None = Field(
        description="lastEventId as you saw it; a move made meanwhile gives 409."
    )


class ThemeIn(InputSchema):
    name: Text = Field(min_length=1, max_length=160)
    slug: str = Field(min_length=1, max_length=80, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
    description: Text = Field("", max_length=4000)


class PolicyObjectIn(InputSchema):
    kind: PolicyKind
    name: Text = Field(min_length=1, max_length=200)
    department_id: Id | None = Field(None, description="An organisation of the community.")
    reference: Text = Field("", max_length=300)


class AdjustmentIn(InputSchema):
    policy_object_id: Id
    title: Text = Field(min_length=1, max_length=200)
    proposed: Text = Field(min_length=1, max_length=4000)
    current: Text = Field("", max_length=4000)
    why: Text = Field("", max_length=4000)
    owner_id: Id | None = Field(None, description="A member of the community; you by default.")
    signals: list[Id] = Field([], description="Ids of signals of the community.")


class AdjustmentPatch(InputSchema):
    title: Text | None = Field(None, min_length=1, max_length=200)
    proposed: Text | None = Field(None, min_length=1, max_length=4000)
    current: Text | None = Field(None, max_length=4000)
    why: Text | None = Field(None, max_length=4000)
    owner_id: Id | None = None
    signals: list[Id] | None = None


class AdjustmentTransitionIn(InputSchema):
    to_stage: AdjustmentStage
    seen_stage: AdjustmentStage | None = Field(
        None, description="The stage as you saw it; a move made meanwhile gives 409."
    )
    reference: Text = Field(
        "",
        max_length=200,
        description="For a decision (besloten-*, or ingevoerd after the council): its number "
        "or link. Who decided is recorded on the signals' events, with the basis.",
    )
