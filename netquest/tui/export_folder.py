"""Where exported debriefs are saved when the game runs in a terminal.

The folder the player chose in Settings; else the downloads folder when it exists; else an
``exports`` folder in the saves folder (servers, containers and fresh accounts often have no
downloads folder). In a browser the export is a download and no folder is used.
"""

from __future__ import annotations

from pathlib import Path

EXPORTS = "exports"
"""The fallback folder's name, inside the saves folder."""


def export_folder(chosen: str, saves_dir: Path) -> Path:
    """The absolute folder to export to (it may not exist yet: see :func:`make_folder`).

    Args:
        chosen: The player's setting (``~`` allowed), or empty for the default.
        saves_dir: The saves folder, for the fallback.
    """
    if chosen.strip():
        return Path(chosen.strip()).expanduser().absolute()
    from platformdirs import user_downloads_path

    downloads = user_downloads_path()
    if downloads.is_dir():
        return downloads.absolute()
    return (saves_dir / EXPORTS).absolute()


def make_folder(folder: Path) -> str | None:
    """Create ``folder`` (and its parents) if missing.

    Returns:
        ``None`` when the folder is ready, else a one-line error naming it and the fix.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        reason = error.strerror or str(error)
        return f"cannot create the export folder {folder}: {reason}; choose another in Settings"
    if not folder.is_dir():
        return f"the export folder {folder} is not a folder; choose another in Settings"
    return None
