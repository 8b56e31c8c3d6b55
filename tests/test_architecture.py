"""The shape of the project: factory paths, and `exercises` free of Flask."""

from __future__ import annotations

import ast

from tutoring import PROJECT_ROOT


def test_factory_points_at_the_top_level_folders(app):
    assert app.template_folder == str(PROJECT_ROOT / "templates")
    assert app.static_folder == str(PROJECT_ROOT / "static")
    assert (PROJECT_ROOT / "templates" / "base.html").exists()
    assert (PROJECT_ROOT / "static" / "css" / "app.css").exists()
    migrate = app.extensions["migrate"]
    assert migrate.directory == str(PROJECT_ROOT / "migrations")
    assert (PROJECT_ROOT / "migrations" / "env.py").exists()


def test_exercises_never_imports_flask_or_tutoring():
    forbidden = {"flask", "tutoring", "flask_babel", "flask_sqlalchemy", "werkzeug"}
    for path in (PROJECT_ROOT / "exercises").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in forbidden, f"{path}: imports {name}"


def test_top_level_holds_only_what_the_design_card_allows():
    allowed = {
        "tutoring",
        "exercises",
        "migrations",
        "templates",
        "static",
        "tests",
        "pyproject.toml",
        "README.md",
        "Makefile",
        "LICENSE",
        "instance",
    }
    names = {p.name for p in PROJECT_ROOT.iterdir() if not p.name.startswith(".")}
    assert names - allowed - {"myriade_tutoring.egg-info"} == set()


def test_no_page_asset_comes_from_another_origin():
    import re

    pattern = re.compile(r"""(src|href|action)=["'](https?:)?//""")
    for path in (PROJECT_ROOT / "templates").rglob("*.html"):
        assert not pattern.search(path.read_text(encoding="utf-8")), path
    for path in (PROJECT_ROOT / "static").rglob("*.css"):
        assert "url(http" not in path.read_text(encoding="utf-8"), path
