"""Strict JSON encoding and decoding of save files, and atomic file replacement."""

from __future__ import annotations

import json
import os
import stat
import tempfile
from contextlib import suppress
from pathlib import Path
from typing import Any

from netquest.saves.errors import SaveFormatError

try:  # about twice as fast to parse a save; the standard library is the fallback and the judge
    from orjson import JSONDecodeError as _FastError
    from orjson import loads as _fast_loads
except ImportError:  # pragma: no cover - orjson is a dependency, but the code works without it
    _fast_loads = None  # type: ignore[assignment]


def encode_json(data: object) -> bytes:
    """Serialise ``data`` as indented UTF-8 JSON, ending in a newline.

    Text that cannot be UTF-8 encoded (lone surrogates) is written with ``\\u`` escapes instead,
    so any Python string survives a round trip.

    Raises:
        SaveFormatError: if ``data`` holds something JSON cannot represent (a set, NaN, ...).
    """
    try:
        text = json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False)
        try:
            return (text + "\n").encode("utf-8")
        except UnicodeEncodeError:
            text = json.dumps(data, ensure_ascii=True, indent=2, allow_nan=False)
            return (text + "\n").encode("ascii")
    except (TypeError, ValueError) as exc:
        raise SaveFormatError(f"cannot be written as JSON: {exc}") from exc


_DIGITS_AS_NINES = bytes.maketrans(b"0123456789", b"9" * 10)
_LONG_DIGITS = b"9" * 19
"""Any integer orjson might turn into a float has this many digits in a row (or more)."""


def _reject_constant(name: str) -> Any:
    raise SaveFormatError(f"not valid JSON ({name} is not allowed)")


def _finite_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise SaveFormatError(f"not valid JSON (number out of range: {text:.40})")
    return value


def decode_json(raw: bytes) -> Any:
    """Parse strict JSON from bytes (UTF-8, an optional BOM; no NaN or Infinity).

    Raises:
        SaveFormatError: with a one-line description of the first problem.
    """
    if not raw.strip():
        raise SaveFormatError("the file is empty")
    if _fast_loads is not None and _LONG_DIGITS not in raw.translate(_DIGITS_AS_NINES):
        # orjson accepts only what the strict reading below accepts (no NaN or Infinity, no
        # number out of range, UTF-8 without a BOM) and gives the same values, except that it
        # reads an integer beyond 64 bits as a float: text with 19 digits in a row (rare: an id
        # now and then) goes the slow way, as does anything orjson refuses (a BOM, a lone
        # surrogate escape, an error), which the standard reading then decides and words.
        try:
            return _fast_loads(raw)
        except _FastError:
            pass
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SaveFormatError(f"not UTF-8 text (bad byte at offset {exc.start})") from None
    try:
        return json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float)
    except SaveFormatError:
        raise
    except json.JSONDecodeError as exc:
        raise SaveFormatError(
            f"not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})"
        ) from None
    except (ValueError, RecursionError) as exc:
        raise SaveFormatError(f"not valid JSON ({exc})") from None


def _fsync_directory(directory: Path) -> None:
    # Makes the rename itself durable on POSIX; directories cannot be opened on Windows.
    if os.name != "posix":
        return
    with suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so readers see the old file or the new one, never a mix.

    The bytes go to a hidden temporary file in the same directory, are flushed to disk, then the
    temporary file is renamed over ``path``. On failure the temporary file is removed and
    ``path`` is untouched. An existing file's permission bits are kept; a new file is private
    to the user (``0600``), as the temporary file was created.

    Raises:
        OSError: if the directory cannot be written or the rename fails.
    """
    try:
        mode: int | None = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        mode = None
    tmp = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, deleted on failure
        dir=path.parent, delete=False, prefix=f".{path.name}.", suffix=".tmp"
    )
    tmp_path = Path(tmp.name)
    try:
        with tmp:
            tmp.write(data)
            tmp.flush()
            os.fsync(tmp.fileno())
        if mode is not None:
            os.chmod(tmp_path, mode)
        os.replace(tmp_path, path)
    except BaseException:
        with suppress(OSError):
            tmp_path.unlink()
        raise
    _fsync_directory(path.parent)
