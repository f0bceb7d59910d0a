"""The game in a browser: ``netquest serve`` and what runs behind each tab.

- :mod:`netquest.web.server`: the web server (textual-serve, capped, offline page);
- :mod:`netquest.web.service`: one tab's game process and its log;
- :mod:`netquest.web.launcher` and :mod:`netquest.web.zygote`: fork games from a process
  that has the game loaded already (Linux);
- :mod:`netquest.web.session`: the game itself on Textual's web driver (``--web-session``);
- :mod:`netquest.web.class_hub`: the class's event channel (games → dashboards, group votes);
- :mod:`netquest.web.teacher` and :mod:`netquest.web.teacher_session`: the teacher's dashboard
  behind ``/teacher?token=…``, and what its tab runs.

All but ``session``, ``zygote``, ``class_hub`` and ``teacher_session`` need the optional
``web`` extra (textual-serve) and are imported only by ``netquest serve``.
"""
