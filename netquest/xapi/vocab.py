"""The xAPI vocabulary netquest speaks: verbs, activity types and extension IRIs.

Verbs and activity types come from the ADL vocabulary, so any LRS dashboard knows them.
Extension keys are netquest's own and never change with configuration: a query written against
one installation works against every other.
"""

from __future__ import annotations

XAPI_VERSION = "1.0.3"
"""Sent as the ``X-Experience-API-Version`` header."""

VERB_ATTEMPTED = "http://adlnet.gov/expapi/verbs/attempted"
VERB_ANSWERED = "http://adlnet.gov/expapi/verbs/answered"
VERB_COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
VERB_PASSED = "http://adlnet.gov/expapi/verbs/passed"
VERB_FAILED = "http://adlnet.gov/expapi/verbs/failed"

VERB_DISPLAY = {
    VERB_ATTEMPTED: "attempted",
    VERB_ANSWERED: "answered",
    VERB_COMPLETED: "completed",
    VERB_PASSED: "passed",
    VERB_FAILED: "failed",
}

ACTIVITY_SIMULATION = "http://adlnet.gov/expapi/activities/simulation"
ACTIVITY_INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction"
ACTIVITY_COURSE = "http://adlnet.gov/expapi/activities/course"

NETQUEST_IRI = "https://netquest.invalid/xapi"
"""Base of netquest's own IRIs (``.invalid`` is reserved: it never resolves to anyone)."""

DEFAULT_HOMEPAGE = "https://netquest.invalid"
"""The actor account's ``homePage`` unless configured."""

DEFAULT_ACTIVITY_BASE = f"{NETQUEST_IRI}/scenarios"
"""Scenario activity ids are ``<base>/<scenario id>`` unless configured."""

_EXT = f"{NETQUEST_IRI}/extensions"

EXT_SCENARIO = f"{_EXT}/scenario"
"""Context: the scenario id (every statement)."""
EXT_PLAY_MODE = f"{_EXT}/play-mode"
"""Context: ``practice`` or ``assessment``."""
EXT_MACHINE = f"{_EXT}/machine"
"""Context: the anonymous id of the machine the profile was created on."""
EXT_STEP = f"{_EXT}/step"
"""Context of ``answered``: the decision's position in the run, from 1."""
EXT_GROUP = f"{_EXT}/group-session"
"""Context: the group session's id, for a run the class played together (``serve --group``)."""
EXT_VOTE = f"{_EXT}/vote"
"""Result of ``answered`` in a group run: the choice this student voted for (the response is
the choice the class played)."""
EXT_RECONSTRUCTED = f"{_EXT}/reconstructed"
"""Context: true when the statement was rebuilt from a save, not recorded live."""

EXT_DELTAS = f"{_EXT}/principle-deltas"
"""Result of ``answered``: principle id -> points the choice gave."""
EXT_CHOICE_MODE = f"{_EXT}/choice-mode"
"""Result of ``answered``: what the action was (networking, socializing, ...)."""
EXT_CALLS_FOR = f"{_EXT}/calls-for"
"""Result of ``answered``: the mode the moment called for, when it called for one."""

EXT_SCORE = f"{_EXT}/score"
"""Result of ``completed``: the 0-100 score shown to the player."""
EXT_OUTCOME = f"{_EXT}/outcome"
"""Result of ``completed``: the ending's outcome (great, good, mixed, poor)."""
EXT_ENDING = f"{_EXT}/ending"
"""Result of ``completed``: the ending's id."""
EXT_PRINCIPLES = f"{_EXT}/principles"
"""Result of ``completed``: principle id -> total over the run."""
EXT_READINGS = f"{_EXT}/readings"
"""Result of ``completed``: axis id -> [moments read right, moments]."""
EXT_PATH = f"{_EXT}/path"
"""Result of ``completed``: [[scene id, choice id], ...] in order."""
EXT_COURSE_STEP = f"{_EXT}/course-step"
"""Context of ``passed``/``failed``: the course step id the attempt counted for."""
EXT_PASS_MARK = f"{_EXT}/pass-mark"
"""Result of ``passed``/``failed``: the step's pass mark (0-100)."""
EXT_ATTEMPT = f"{_EXT}/attempt"
"""Context of ``passed``/``failed``: which counted attempt this was, from 1."""
