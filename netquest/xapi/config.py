"""xAPI and LRS settings: ``netquest-lrs.toml`` in the saves folder, then the environment.

Example file (every key optional)::

    [lrs]
    endpoint = "https://lrs.example.com/xAPI/"
    key = "netquest"
    secret = "..."
    batch_size = 50
    timeout = 10

    [xapi]
    homepage = "https://learn.example.com"
    activity_base = "https://learn.example.com/netquest"
    identify_by = "account"   # or "email"
    send_name = true
    pass_score = 60
    language = "en"

``NETQUEST_LRS_ENDPOINT``, ``NETQUEST_LRS_KEY`` and ``NETQUEST_LRS_SECRET`` override the file;
``NETQUEST_XAPI=off`` turns recording off altogether. A problem in the file is reported as one
line and never stops play: recording goes on with the defaults, sending waits for a fix.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import unquote, urlsplit

from netquest.xapi.vocab import DEFAULT_ACTIVITY_BASE, DEFAULT_HOMEPAGE

CONFIG_FILENAME = "netquest-lrs.toml"
"""The configuration file, looked for in the saves folder."""

ENV_ENDPOINT = "NETQUEST_LRS_ENDPOINT"
ENV_KEY = "NETQUEST_LRS_KEY"
ENV_SECRET = "NETQUEST_LRS_SECRET"
ENV_RECORDING = "NETQUEST_XAPI"

IdentifyBy = Literal["account", "email"]


@dataclass(frozen=True, slots=True)
class XapiSettings:
    """How statements describe learners and activities.

    Attributes:
        homepage: ``actor.account.homePage``: your organisation's learning site.
        activity_base: Scenario activity ids are ``<activity_base>/<scenario id>``.
        identify_by: ``account`` (an opaque id, the default) or ``email``: a profile whose
            name is an email address is then identified by ``mbox``.
        send_name: Include the profile name as ``actor.name``.
        pass_score: A completed run with a score at or above this (0-100) is a success.
        language: Language tag of the names and descriptions.
    """

    homepage: str = DEFAULT_HOMEPAGE
    activity_base: str = DEFAULT_ACTIVITY_BASE
    identify_by: IdentifyBy = "account"
    send_name: bool = True
    pass_score: int = 60
    language: str = "en"


@dataclass(frozen=True, slots=True)
class LrsSettings:
    """Where and how to send statements.

    Attributes:
        endpoint: The LRS's xAPI endpoint (statements go to ``<endpoint>/statements``).
        key: Basic-auth user name (empty: no ``Authorization`` header).
        secret: Basic-auth password.
        batch_size: Statements per POST.
        timeout: Seconds to wait for the LRS on each request.
    """

    endpoint: str
    key: str = ""
    secret: str = field(default="", repr=False)
    batch_size: int = 50
    timeout: float = 10.0

    @property
    def statements_url(self) -> str:
        """The statements resource."""
        base = self.endpoint.rstrip("/")
        return base if base.endswith("/statements") else f"{base}/statements"


@dataclass(frozen=True, slots=True)
class XapiConfig:
    """Everything the recorder and the sender need.

    Attributes:
        settings: Statement settings.
        lrs: The LRS to send to, or None to only record locally.
        recording: False when ``NETQUEST_XAPI=off``.
        path: The configuration file read, if any.
        problems: One line per problem found in the file or the environment.
    """

    settings: XapiSettings = XapiSettings()
    lrs: LrsSettings | None = None
    recording: bool = True
    path: Path | None = None
    problems: tuple[str, ...] = ()


def load_config(directory: Path | None, env: Mapping[str, str] | None = None) -> XapiConfig:
    """Read ``netquest-lrs.toml`` from ``directory`` (if given) and the environment.

    Never raises: problems are returned in :attr:`XapiConfig.problems`.
    """
    environ = os.environ if env is None else env
    problems: list[str] = []
    data: dict[str, Any] = {}
    path = None if directory is None else directory / CONFIG_FILENAME
    if path is not None:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            path = None
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            problems.append(f"{path}: cannot be read ({_one_line(error)}); using the defaults")
            data = {}
        else:
            _check_private(path, data, problems)
    where = str(path or CONFIG_FILENAME)
    xapi_table = _table(data, "xapi", where, problems)
    lrs_table = _table(data, "lrs", where, problems)
    for key in data:
        if key not in ("xapi", "lrs"):
            problems.append(f"{where}: unknown table or key {key!r} (expected [lrs] and [xapi])")
    settings = _settings(xapi_table, f"{where} [xapi]", problems)
    lrs = _lrs(lrs_table, environ, f"{where} [lrs]", problems)
    recording = environ.get(ENV_RECORDING, "").strip().lower() not in ("off", "0", "no", "false")
    return XapiConfig(settings, lrs, recording, path, tuple(problems))


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split())


def _check_private(path: Path, data: Mapping[str, Any], problems: list[str]) -> None:
    """Warn when the file holds a secret that every user of the computer can read."""
    lrs = data.get("lrs")
    endpoint = lrs.get("endpoint") if isinstance(lrs, dict) else None
    has_secret = isinstance(lrs, dict) and bool(lrs.get("secret"))
    if isinstance(endpoint, str) and _userinfo(endpoint)[1]:
        has_secret = True
    if not has_secret or os.name != "posix":
        return
    try:
        mode = path.stat().st_mode
    except OSError:
        return
    if mode & 0o004:
        problems.append(
            f"{path}: holds the LRS secret but anyone on this computer can read it; "
            f"make it private with: chmod 600 {path}"
        )


def _userinfo(endpoint: str) -> tuple[str, str, str]:
    """Split credentials out of an endpoint URL: ``(endpoint without them, user, password)``."""
    try:
        parts = urlsplit(endpoint)
        user, password = parts.username or "", parts.password or ""
    except ValueError:
        return endpoint, "", ""
    if "@" not in parts.netloc:
        return endpoint, "", ""
    netloc = parts.netloc.rpartition("@")[2]
    return parts._replace(netloc=netloc).geturl(), unquote(user), unquote(password)


def redact_url(text: str) -> str:
    """``text`` with credentials inside any URL (``http://user:secret@host``) hidden."""
    return _USERINFO.sub(r"\1***@", text)


_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@]*@")


def _table(data: Mapping[str, Any], name: str, where: str, problems: list[str]) -> dict[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, dict):
        problems.append(f"{where}: {name!r} must be a table ([{name}])")
        return {}
    return value


def _get(
    table: Mapping[str, Any],
    key: str,
    kind: type | tuple[type, ...],
    where: str,
    problems: list[str],
) -> Any:
    value = table.get(key)
    if value is None:
        return None
    if isinstance(value, bool) and kind is not bool:
        value = None
    if value is None or not isinstance(value, kind):
        problems.append(f"{where}: {key!r} has the wrong type; it is ignored")
        return None
    return value


def _check_keys(
    table: Mapping[str, Any], known: tuple[str, ...], where: str, problems: list[str]
) -> None:
    for key in table:
        if key not in known:
            problems.append(f"{where}: unknown key {key!r} (known: {', '.join(known)})")


def is_web_url(text: str) -> bool:
    """Whether ``text`` is an absolute http(s) URL with a host."""
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _settings(table: Mapping[str, Any], where: str, problems: list[str]) -> XapiSettings:
    known = ("homepage", "activity_base", "identify_by", "send_name", "pass_score", "language")
    _check_keys(table, known, where, problems)
    defaults = XapiSettings()
    homepage = _get(table, "homepage", str, where, problems)
    if homepage is not None and not is_web_url(homepage):
        problems.append(f"{where}: homepage must be an http(s) URL; using {defaults.homepage}")
        homepage = None
    base = _get(table, "activity_base", str, where, problems)
    if base is not None and not is_web_url(base):
        problems.append(f"{where}: activity_base must be an http(s) URL; using the default")
        base = None
    identify = _get(table, "identify_by", str, where, problems)
    if identify is not None and identify not in ("account", "email"):
        problems.append(f"{where}: identify_by must be 'account' or 'email'")
        identify = None
    send_name = _get(table, "send_name", bool, where, problems)
    pass_score = _get(table, "pass_score", int, where, problems)
    if pass_score is not None and not 0 <= pass_score <= 100:
        problems.append(f"{where}: pass_score must be between 0 and 100")
        pass_score = None
    language = _get(table, "language", str, where, problems)
    return XapiSettings(
        homepage=(homepage or defaults.homepage).rstrip("/") or defaults.homepage,
        activity_base=(base or defaults.activity_base).rstrip("/"),
        identify_by="email" if identify == "email" else "account",
        send_name=defaults.send_name if send_name is None else send_name,
        pass_score=defaults.pass_score if pass_score is None else pass_score,
        language=language.strip() if language and language.strip() else defaults.language,
    )


def _lrs(
    table: Mapping[str, Any], env: Mapping[str, str], where: str, problems: list[str]
) -> LrsSettings | None:
    _check_keys(table, ("endpoint", "key", "secret", "batch_size", "timeout"), where, problems)
    endpoint = env.get(ENV_ENDPOINT, "").strip() or _get(table, "endpoint", str, where, problems)
    key = env.get(ENV_KEY) or _get(table, "key", str, where, problems) or ""
    secret = env.get(ENV_SECRET) or _get(table, "secret", str, where, problems) or ""
    batch = _get(table, "batch_size", int, where, problems)
    timeout = _get(table, "timeout", (int, float), where, problems)
    if not endpoint:
        return None
    endpoint, url_key, url_secret = _userinfo(endpoint)  # never kept in the URL, never printed
    key = key or url_key
    secret = secret or url_secret
    if not is_web_url(endpoint):
        shown = redact_url(endpoint)
        problems.append(f"LRS endpoint {shown!r:.80} is not an http(s) URL; nothing is sent")
        return None
    if batch is not None and not 1 <= batch <= 1000:
        problems.append(f"{where}: batch_size must be between 1 and 1000")
        batch = None
    if timeout is not None and not 0 < timeout <= 300:
        problems.append(f"{where}: timeout must be between 0 and 300 seconds")
        timeout = None
    return LrsSettings(
        endpoint=endpoint,
        key=key,
        secret=secret,
        batch_size=50 if batch is None else batch,
        timeout=10.0 if timeout is None else float(timeout),
    )
