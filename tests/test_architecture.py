"""The shape of the project: factory paths, and `exercises` free of Flask."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from tutoring import PROJECT_ROOT


def test_factory_points_at_the_top_level_folders(app):
    assert app.template_folder == str(PROJECT_ROOT / "templates")
    assert app.static_folder == str(PROJECT_ROOT / "static")
    assert (PROJECT_ROOT / "templates" / "base.html").exists()
    assert (PROJECT_ROOT / "static" / "css" / "app.css").exists()
    from tutoring.core.migrations import migrations

    migrations(app)
    assert app.extensions["migrate"].directory == str(PROJECT_ROOT / "migrations")
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

    # A resource loaded from another origin (script, style, image, font, form
    # target). A plain link the user follows (<a href>) loads nothing itself.
    pattern = re.compile(r"""(src|action)=["'](https?:)?//|<link[^>]*href=["'](https?:)?//""")
    links = re.compile(r"""<a\s[^>]*href=["']https://[^"']+["'][^>]*>""")
    for path in (PROJECT_ROOT / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not pattern.search(text), path
        for link in links.findall(text):  # an outside link opens without referrer
            assert 'rel="noopener noreferrer"' in link, (path, link)
    for path in (PROJECT_ROOT / "static").rglob("*.css"):
        assert "url(http" not in path.read_text(encoding="utf-8"), path


FEATURES = ("core", "accounts", "pairing", "content", "learning", "exams", "sessions",
            "reviews", "indicators", "home", "admin", "demo")


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """Run import-linter with the project's contracts on the code under `root`."""
    return subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        check=False,
    )


def test_features_import_each_other_in_one_direction_only():
    result = _lint_imports(PROJECT_ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_the_linter_refuses_a_lower_feature_importing_a_higher_one(tmp_path):
    # A copy of the code where `core` imports `home`: the layers contract must break.
    for name in ("tutoring", "exercises"):
        shutil.copytree(
            PROJECT_ROOT / name, tmp_path / name,
            ignore=shutil.ignore_patterns("__pycache__", "translations", "bank", "civic"),
        )
    shutil.copy(PROJECT_ROOT / "pyproject.toml", tmp_path)
    (tmp_path / "tutoring" / "core" / "upward.py").write_text(
        "from tutoring.home import views\n", encoding="utf-8"
    )
    result = _lint_imports(tmp_path)
    assert result.returncode != 0
    assert "tutoring.core is not allowed to import tutoring.home" in result.stdout


def test_each_feature_says_what_it_owns_and_may_import():
    for feature in FEATURES:
        init = PROJECT_ROOT / "tutoring" / feature / "__init__.py"
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc, f"{feature}: no docstring"
        assert "Imports:" in doc, f"{feature}: the docstring does not say what it may import"


def test_no_function_imports_project_code():
    # Imports inside functions hide cycles between features: they stay at module level.
    for path in (PROJECT_ROOT / "tutoring").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for inner in ast.walk(node):
                    if isinstance(inner, ast.ImportFrom | ast.Import):
                        names = (
                            [inner.module or ""]
                            if isinstance(inner, ast.ImportFrom)
                            else [a.name for a in inner.names]
                        )
                        assert not any(
                            n.split(".")[0] in {"tutoring", "exercises"} for n in names
                        ), f"{path}:{inner.lineno} imports project code in a function"


def test_blueprints_and_template_folders_share_the_feature_name(app):
    for name, blueprint in app.blueprints.items():
        assert name in FEATURES, name
        assert blueprint.import_name.startswith(f"tutoring.{name}.")
        assert (PROJECT_ROOT / "templates" / name).is_dir(), name


def test_every_stylesheet_closes_what_it_opens():
    """An unclosed rule swallows every rule after it (a merge once left one open:
    the tables stopped turning into cards on phones)."""
    for path in (PROJECT_ROOT / "static").rglob("*.css"):
        depth = 0
        text = re.sub(r"/\*.*?\*/", "", path.read_text(encoding="utf-8"), flags=re.S)
        for char in text:
            depth += {"{": 1, "}": -1}.get(char, 0)
            assert depth >= 0, path
        assert depth == 0, path
