"""The stages of the loop (the ∞), and which moves between them exist.

Who may make a move is decided in permissions.py (`can_move`); this module only says which
moves exist, so the table of moves is tested on its own.
"""

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise


class Stage(models.TextChoices):
    GEMELD = "gemeld", _("Raised")
    BESPROKEN = "besproken", _("Discussed")
    IN_VERKENNING = "in-verkenning", _("Being explored")
    AANPASSING_VOORGESTELD = "aanpassing-voorgesteld", _("Adjustment proposed")
    BESLOTEN = "besloten", pgettext_lazy("loop stage", "Decided")
    TERUGGEKOPPELD = "teruggekoppeld", _("Feedback given")
    AFGESLOTEN = "afgesloten", pgettext_lazy("loop stage", "Closed")
    HEROPEND = "heropend", _("Reopened")
    NIET_OPGEPAKT = "niet-opgepakt", _("Not taken up")


class Outcome(models.TextChoices):
    """What the initiative says when it closes the loop."""

    SOLVED = "solved", _("Solved")
    PARTLY = "partly", _("Partly solved")
    NOT_SOLVED = "not-solved", _("Not solved")


# The two loops of the lemniscate: practice (left) and policy (right); the CoP is the crossing.
PRACTICE = [Stage.GEMELD, Stage.BESPROKEN, Stage.TERUGGEKOPPELD, Stage.AFGESLOTEN]
POLICY = [Stage.IN_VERKENNING, Stage.AANPASSING_VOORGESTELD, Stage.BESLOTEN]
OPEN_STAGES = [s for s in Stage if s not in (Stage.AFGESLOTEN,)]
# Stages after which the people who raised the signal must hear the outcome.
FEEDBACK_STAGES = {Stage.TERUGGEKOPPELD, Stage.NIET_OPGEPAKT}

# from stage -> the stages it may move to
MOVES: dict[str, set[str]] = {
    Stage.GEMELD: {Stage.BESPROKEN, Stage.IN_VERKENNING, Stage.NIET_OPGEPAKT},
    Stage.HEROPEND: {Stage.BESPROKEN, Stage.IN_VERKENNING, Stage.NIET_OPGEPAKT},
    Stage.BESPROKEN: {Stage.IN_VERKENNING, Stage.NIET_OPGEPAKT},
    Stage.IN_VERKENNING: {Stage.AANPASSING_VOORGESTELD, Stage.TERUGGEKOPPELD, Stage.NIET_OPGEPAKT},
    Stage.AANPASSING_VOORGESTELD: {Stage.BESLOTEN, Stage.NIET_OPGEPAKT},
    Stage.BESLOTEN: {Stage.TERUGGEKOPPELD},
    Stage.TERUGGEKOPPELD: {Stage.AFGESLOTEN, Stage.HEROPEND},
    Stage.NIET_OPGEPAKT: {Stage.AFGESLOTEN, Stage.HEROPEND},
    Stage.AFGESLOTEN: {Stage.HEROPEND},
}


def move_exists(from_stage: str, to_stage: str) -> bool:
    return to_stage in MOVES.get(from_stage, set())


# One sentence on what happens after each move, for the people who read about it (in the
# move's form, and in the message everyone who follows the signal receives).
NEXT_STEP: dict[str, "StrOrPromise"] = {
    Stage.GEMELD: _("Next, someone takes it up or the group discusses it."),
    Stage.BESPROKEN: _("Next, someone takes it up and looks into what can change."),
    Stage.IN_VERKENNING: _(
        "The person who took it up looks into what can change. You hear of each step."
    ),
    Stage.AANPASSING_VOORGESTELD: _(
        "A change to a rule or scheme has been proposed. Next comes the decision."
    ),
    Stage.BESLOTEN: _("Next, the people who raised it hear what the decision means for them."),
    Stage.TERUGGEKOPPELD: _(
        "The people who raised it say whether this solves the barrier, or reopen it."
    ),
    Stage.NIET_OPGEPAKT: _(
        "The people who raised it can close it, or reopen it with more information."
    ),
    Stage.AFGESLOTEN: _(
        "Nothing more needs to happen. It can be reopened if the barrier comes back."
    ),
    Stage.HEROPEND: _("It is back at the start: someone takes it up again."),
}


# Each move as the action of the person who takes it: the title of its form and its button.
MOVE_ACTIONS: dict[str, "StrOrPromise"] = {
    Stage.BESPROKEN: _("Discussed in the group — record it"),
    Stage.IN_VERKENNING: _("I'll take this up"),
    Stage.AANPASSING_VOORGESTELD: _("A change has been proposed — record it"),
    Stage.BESLOTEN: _("Record the decision"),
    Stage.TERUGGEKOPPELD: _("Answer the people who raised it"),
    Stage.NIET_OPGEPAKT: _("Not taking this up — with a reason"),
    Stage.AFGESLOTEN: _("Yes, solved — close it"),
    Stage.HEROPEND: _("Not solved yet — reopen it"),
}
# A steward names who takes it up; a steward closes when the initiative did not answer.
STEWARD_ACTIONS: dict[str, "StrOrPromise"] = {
    Stage.IN_VERKENNING: _("Take this up, or choose who does"),
    Stage.AFGESLOTEN: _("Close it: the people who raised it did not answer"),
}


# The loop's steps in order, numbered on the dashboard; the two side paths are not numbered.
LOOP_ORDER = [
    Stage.GEMELD,
    Stage.BESPROKEN,
    Stage.IN_VERKENNING,
    Stage.AANPASSING_VOORGESTELD,
    Stage.BESLOTEN,
    Stage.TERUGGEKOPPELD,
    Stage.AFGESLOTEN,
]
SIDE_PATHS = [Stage.NIET_OPGEPAKT, Stage.HEROPEND]

# One plain sentence per stage: what it means that a signal is there.
STAGE_MEANING: dict[str, "StrOrPromise"] = {
    Stage.GEMELD: _("Someone ran into a problem in practice and reported it."),
    Stage.BESPROKEN: _("The group has talked about it."),
    Stage.IN_VERKENNING: _("Someone looks into what can change."),
    Stage.AANPASSING_VOORGESTELD: _("There is a proposal to change a rule or scheme."),
    Stage.BESLOTEN: _("A decision has been made about the change."),
    Stage.TERUGGEKOPPELD: _("The people who reported it got an answer."),
    Stage.AFGESLOTEN: _("The people who reported it said whether it is solved: the loop is round."),
    Stage.NIET_OPGEPAKT: _("It is not taken up; the people who reported it got the reason."),
    Stage.HEROPEND: _("It was not solved yet, so it starts again."),
}
