"""The blind review: does an independent reader of the sources score choices as the game does?

:mod:`netquest.review.items` lists every choice of a library with an opaque key and the game's
own reading (direction from its net points, and its mode); :mod:`netquest.review.export` writes
what a reviewer may see (scenario, scene and choice text only) and a blank labels file;
:mod:`netquest.review.compare` reads reviewers' labels and compares them with the game.
Pure Python: no Textual or Rich.
"""
