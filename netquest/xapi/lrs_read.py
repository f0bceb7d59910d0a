"""Read a cohort back from an LRS: page through ``/statements``, rebuild learners and runs.

``netquest report --lrs URL`` uses this when several ``netquest serve`` hosts send to one
Learning Record Store: the report then covers every host. Statements are fetched with GET
(Basic auth from the same ``netquest-lrs.toml`` / environment as the sender), following each
page's ``more`` link until it is empty. netquest's own statements (``attempted``, ``answered``,
``completed`` with its context extensions) are grouped by registration (= the run id) and
turned back into the :class:`~netquest.saves.RunRecord` s the report builder reads from saves:
a finished run's result comes whole from its ``completed`` statement (score, ending, principle
totals, readings, path), so the report from the LRS matches the report from the saves.
Anything else in the LRS is ignored.
"""

from __future__ import annotations

import json
import re
import unicodedata
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlencode, urljoin, urlsplit

from netquest.reports.collect import Collection, LearnerSaves
from netquest.reports.model import Skipped
from netquest.saves import RunRecord
from netquest.xapi.config import LrsSettings
from netquest.xapi.sender import _is_loopback, headers_for
from netquest.xapi.vocab import (
    EXT_ENDING,
    EXT_GROUP,
    EXT_MACHINE,
    EXT_OUTCOME,
    EXT_PATH,
    EXT_PLAY_MODE,
    EXT_PRINCIPLES,
    EXT_READINGS,
    EXT_SCENARIO,
    EXT_SCORE,
    EXT_STEP,
    EXT_VOTE,
    VERB_ANSWERED,
    VERB_ATTEMPTED,
    VERB_COMPLETED,
)

PAGE_SIZE = 500
MAX_PAGES = 100_000
"""A guard against an LRS whose ``more`` links never end."""

Statement = dict[str, Any]
Fetch = Callable[[str], Mapping[str, Any]]
"""GETs a URL and returns the decoded JSON object (raises :class:`LrsReadError`)."""

_DURATION = re.compile(
    r"^P(?:(?P<d>\d+(?:\.\d+)?)D)?(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?"
    r"(?:(?P<m>\d+(?:\.\d+)?)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)


class LrsReadError(Exception):
    """The LRS could not be read; the message says why in one line."""


def fetcher(lrs: LrsSettings) -> Fetch:
    """GET with urllib: Basic auth, the xAPI version header; no proxy for loopback hosts."""
    headers = {k: v for k, v in headers_for(lrs).items() if k != "Content-Type"}

    def fetch(url: str) -> Mapping[str, Any]:
        handlers: list[urllib.request.BaseHandler] = []
        if _is_loopback(urlsplit(url).hostname):
            handlers.append(urllib.request.ProxyHandler({}))
        opener = urllib.request.build_opener(*handlers)
        request = urllib.request.Request(url, headers=headers)
        try:
            with opener.open(request, timeout=lrs.timeout) as response:
                data = json.loads(response.read())
        except urllib.error.HTTPError as error:
            raise LrsReadError(f"the LRS answered {error.code} {error.reason} for {url}") from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise LrsReadError(f"cannot reach the LRS at {url}: {reason}") from None
        except ValueError:
            raise LrsReadError(f"the LRS did not answer JSON at {url}") from None
        if not isinstance(data, dict):
            raise LrsReadError(f"the LRS answered something other than a statement list at {url}")
        return data

    return fetch


def statements(lrs: LrsSettings, fetch: Fetch | None = None) -> Iterator[Statement]:
    """Every statement in the LRS, page by page (``more`` links are followed to the end)."""
    get = fetch or fetcher(lrs)
    url: str | None = f"{lrs.statements_url}?{urlencode({'limit': PAGE_SIZE})}"
    pages = 0
    while url:
        pages += 1
        if pages > MAX_PAGES:
            raise LrsReadError("the LRS kept sending 'more' pages; stopped")
        page = get(url)
        found = page.get("statements")
        if not isinstance(found, list):
            raise LrsReadError(f"the LRS answer at {url} has no 'statements' list")
        yield from (item for item in found if isinstance(item, dict))
        more = page.get("more")
        url = urljoin(url, more) if isinstance(more, str) and more else None


# -- statements back into runs ---------------------------------------------------------------


def _ext(part: object, key: str) -> Any:
    if not isinstance(part, dict):
        return None
    extensions = part.get("extensions")
    return extensions.get(key) if isinstance(extensions, dict) else None


def seconds_of(duration: object) -> float:
    """Seconds in an ISO-8601 duration such as ``PT1M2.5S`` (0 for anything else)."""
    match = _DURATION.match(duration) if isinstance(duration, str) else None
    if match is None:
        return 0.0
    parts = {key: float(value) for key, value in match.groupdict().items() if value}
    return (
        parts.get("d", 0) * 86400 + parts.get("h", 0) * 3600 + parts.get("m", 0) * 60
    ) + parts.get("s", 0)


def _run_id(registration: str) -> str:
    """The save's run id: netquest's registrations are the run's uuid4 hex, dashed."""
    try:
        return uuid.UUID(registration).hex
    except ValueError:
        return registration


@dataclass
class _Run:
    registration: str
    learner: tuple[str, str]
    scenario: str = ""
    mode: str = "practice"
    revision: str = ""
    started: str | None = None
    updated: str = ""
    finished: str | None = None
    seconds: float = 0.0
    answers: dict[int, tuple[str, str, str]] | None = None
    result: dict[str, Any] | None = None
    group: dict[str, Any] | None = None

    def record(self) -> RunRecord:
        answers = self.answers or {}
        history = [[scene, choice] for _, (_, scene, choice) in sorted(answers.items())]
        result = self.result
        if result is not None and isinstance(result.get("path"), list):
            history = result["path"]
        return RunRecord(
            id=_run_id(self.registration),
            scenario_id=self.scenario,
            content_hash=self.revision,
            mode=self.mode,
            started=self.started or self.updated,
            updated=self.updated,
            finished=self.finished,
            seconds=self.seconds,
            state={"history": history, "mode": self.mode},
            result=result,
            group=self.group,
        )


def _learner(actor: object) -> tuple[str, str] | None:
    """(profile name, identity) of an actor: its name, else its account name or mbox."""
    if not isinstance(actor, dict):
        return None
    account = actor.get("account")
    ident = account.get("name") if isinstance(account, dict) else actor.get("mbox")
    if not isinstance(ident, str):
        return None
    name = actor.get("name")
    shown = name if isinstance(name, str) and name else ident.removeprefix("mailto:")
    return unicodedata.normalize("NFC", shown), ident


def _completed_result(statement: Statement) -> dict[str, Any]:
    found = statement.get("result")
    body: dict[str, Any] = found if isinstance(found, dict) else {}
    raw = body.get("score")
    score: dict[str, Any] = raw if isinstance(raw, dict) else {}
    result: dict[str, Any] = {
        "score": _ext(body, EXT_SCORE),
        "total": score.get("raw"),
        "best": score.get("max"),
        "worst": score.get("min"),
        "ending": _ext(body, EXT_ENDING),
        "outcome": _ext(body, EXT_OUTCOME),
        "principles": _ext(body, EXT_PRINCIPLES) or {},
        "readings": _ext(body, EXT_READINGS) or {},
    }
    path = _ext(body, EXT_PATH)
    if isinstance(path, list):
        result["path"] = path
    return result


def _step_of(statement: Statement) -> tuple[int, str, str] | None:
    context = statement.get("context")
    step = _ext(context, EXT_STEP)
    body = statement.get("result")
    choice = body.get("response") if isinstance(body, dict) else None
    target = statement.get("object")
    activity = target.get("id") if isinstance(target, dict) else None
    if not isinstance(step, int) or not isinstance(choice, str) or not isinstance(activity, str):
        return None
    scene = unquote(activity.rsplit("/scenes/", 1)[-1])
    return step, scene, choice


def collection_from(found: Iterable[Statement], source: str) -> Collection:
    """Learners and runs rebuilt from netquest's statements (others are skipped)."""
    runs: dict[str, _Run] = {}
    names: dict[tuple[str, str], str] = {}
    machines: dict[tuple[str, str], str] = {}
    seen: set[str] = set()
    ignored = 0
    for statement in found:
        statement_id = statement.get("id")
        if isinstance(statement_id, str):
            if statement_id in seen:
                continue
            seen.add(statement_id)
        verb = statement.get("verb")
        verb_id = verb.get("id") if isinstance(verb, dict) else None
        context = statement.get("context")
        registration = context.get("registration") if isinstance(context, dict) else None
        learner = _learner(statement.get("actor"))
        scenario = _ext(context, EXT_SCENARIO)
        timestamp = statement.get("timestamp")
        if (
            verb_id not in (VERB_ATTEMPTED, VERB_ANSWERED, VERB_COMPLETED)
            or not isinstance(registration, str)
            or learner is None
            or not isinstance(scenario, str)
            or not isinstance(timestamp, str)
        ):
            ignored += 1
            continue
        name, ident = learner
        machine = _ext(context, EXT_MACHINE)
        key = (ident, machine if isinstance(machine, str) else "")
        names[key] = name
        machines[key] = key[1] or ident
        run = runs.setdefault(registration, _Run(registration, key))
        run.scenario = scenario
        mode = _ext(context, EXT_PLAY_MODE)
        if isinstance(mode, str):
            run.mode = mode
        group = _ext(context, EXT_GROUP)
        if isinstance(group, str):
            run.group = {"session": group, "votes": run.group.get("votes", []) if run.group else []}
        revision = context.get("revision") if isinstance(context, dict) else None
        if isinstance(revision, str):
            run.revision = revision
        if run.started is None or timestamp < run.started:
            run.started = timestamp
        run.updated = max(run.updated, timestamp)
        if verb_id == VERB_ATTEMPTED:
            run.started = timestamp
        elif verb_id == VERB_ANSWERED:
            step = _step_of(statement)
            vote = _ext(statement.get("result"), EXT_VOTE)
            if step is not None and run.group is not None and isinstance(vote, str):
                run.group["votes"].append([step[1], vote])
            if step is not None:
                run.answers = run.answers or {}
                known = run.answers.get(step[0])
                if known is None or known[0] <= timestamp:  # a later answer replaces an undone one
                    run.answers[step[0]] = (timestamp, step[1], step[2])
        else:
            run.finished = timestamp
            run.result = _completed_result(statement)
            body = statement.get("result")
            run.seconds = seconds_of(body.get("duration") if isinstance(body, dict) else None)
    grouped: dict[tuple[str, str], list[RunRecord]] = {}
    for run in runs.values():
        grouped.setdefault(run.learner, []).append(run.record())
    learners = tuple(
        LearnerSaves(
            name=names[key],
            machine=machines[key],
            files=(),
            runs=tuple(sorted(records, key=lambda r: (r.started, r.id))),
        )
        for key, records in grouped.items()
    )
    skipped = (Skipped(source, f"{ignored} statement(s) not from netquest ignored"),)
    return Collection(learners, len(learners), skipped if ignored else ())
