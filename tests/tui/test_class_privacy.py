"""Privacy in a served class: no list of players, and a profile opens only with its code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import AppFactory
from core_helpers import on_screen, wait_until

from netquest.play.access_code import check_code, hash_code, new_code, normalise
from netquest.play.class_sign_in import SignInRefused, open_or_create
from netquest.saves import Profile, SaveStore
from netquest.tui.screens.code_notice import CodeNotice
from netquest.tui.screens.sign_in import SignInScreen


def test_codes_are_kept_only_as_salted_hashes() -> None:
    code = new_code()
    assert len(normalise(code)) == 6
    stored = hash_code(code)
    assert normalise(code) not in stored
    assert stored != hash_code(code)  # salted
    assert check_code(code.lower().replace("-", " "), stored)
    assert not check_code("AAA-AAA", stored)
    assert not check_code(code, "not a hash")


def test_a_name_opens_only_with_its_code(tmp_path: Path) -> None:
    store = SaveStore(tmp_path)
    profile, code = open_or_create(store, "Ada", "")
    assert code is not None and profile.access is not None
    on_disk = json.loads(store.path_for("Ada").read_text("utf-8"))
    assert on_disk["access"].startswith("pbkdf2-sha256$")
    assert normalise(code) not in store.path_for("Ada").read_text("utf-8")

    for wrong in ("", "ZZZ-ZZZ"):
        with pytest.raises(SignInRefused, match="needs its code"):
            open_or_create(store, "Ada", wrong, delay=0)
    again, none = open_or_create(store, "Ada", code, delay=0)
    assert none is None and again.name == "Ada"

    with pytest.raises(SignInRefused, match="no student called 'Bao'"):
        open_or_create(store, "Bao", "ABC-DEF", delay=0)

    store.save(Profile.new("Terminal Tess"))  # made outside a class: no code
    with pytest.raises(SignInRefused, match="outside this class"):
        open_or_create(store, "Terminal Tess", "", delay=0)


def test_old_saves_without_a_code_still_load_and_keep_no_code(tmp_path: Path) -> None:
    store = SaveStore(tmp_path)
    store.save(Profile.new("Old"))
    data = json.loads(store.path_for("Old").read_text("utf-8"))
    assert "access" not in data
    assert store.load("Old").profile.access is None


async def test_a_second_tab_cannot_list_continue_or_read_another_students_profile(
    make_app: AppFactory, saves_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("netquest.play.class_sign_in.WRONG_CODE_DELAY", 0.0)
    # Tab 1: Ada joins, gets a code, starts a run.
    first = make_app(choose_profile=True, private_profiles=True)
    async with first.run_test(size=(80, 24)) as pilot:
        await on_screen(pilot, SignInScreen)
        await pilot.press(*"Ada", "enter")
        notice = await on_screen(pilot, CodeNotice)
        code = notice.code
        await pilot.press("enter")
        await wait_until(pilot, lambda: first.ready, "Ada signed in")
        first.play("mixer", "practice")
        await wait_until(pilot, lambda: first.session is not None, "a run")
        await pilot.press("1")
        await pilot.pause(0.2)
        await first.action_quit()
    assert SaveStore(saves_dir).load("Ada").profile.runs

    # Tab 2: a classmate sees no list of names and cannot open Ada without her code.
    second = make_app(choose_profile=True, private_profiles=True)
    async with second.run_test(size=(80, 24)) as pilot:
        screen = await on_screen(pilot, SignInScreen)
        assert not screen.query("OptionList")
        assert "Ada" not in _visible_text(pilot)
        await pilot.press(*"Ada", "enter")
        await wait_until(
            pilot,
            lambda: isinstance(second.screen, SignInScreen) and second.screen.error is not None,
            "refused",
        )
        assert second.profile is None
        assert "needs its code" in (second.screen.error or "")
        await pilot.press(*"WRONG1", "enter")
        await wait_until(
            pilot,
            lambda: (
                isinstance(second.screen, SignInScreen)
                and second.screen.query_one("#code").value == ""
            ),  # type: ignore[attr-defined]
            "asked again",
        )
        assert second.profile is None and second.session is None
        # With her code (Ada on another computer) the run is there.
        await pilot.press(*normalise(code).lower(), "enter")
        await wait_until(pilot, lambda: second.profile is not None, "signed in")
        assert second.profile is not None and second.profile.runs


def _visible_text(pilot: object) -> str:
    from textual.widgets import Static

    app = pilot.app  # type: ignore[attr-defined]
    return "\n".join(str(widget.render()) for widget in app.screen.query(Static))
