"""The project's own files: the licence in the form packaging tools expect, and a
first `make run` that ends on what a newcomer needs."""

from __future__ import annotations

import re
import tomllib

from tutoring import PROJECT_ROOT


def test_pyproject_declares_the_licence_as_an_spdx_expression():
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text("utf-8"))
    # A table ({text = …}) makes setuptools print deprecation banners at each install.
    assert project["project"]["license"] == "MIT"
    assert project["project"]["license-files"] == ["LICENSE"]
    assert (PROJECT_ROOT / "LICENSE").exists()
    requires = project["build-system"]["requires"]
    assert any(
        re.fullmatch(r"setuptools>=(7[7-9]|[89]\d)(\.\d+)*", r) for r in requires
    )


def test_make_run_is_quiet_loads_synthetic_learners_once_and_ends_on_the_box():
    makefile = (PROJECT_ROOT / "Makefile").read_text("utf-8")
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert ">instance/setup.log 2>&1" in run  # migrations and loading out of sight
    assert "flask demo generate --learners 300 --once" in run
    assert "flask demo welcome" in run
    assert run.rstrip().endswith("wait $$server")  # the box is the last thing printed
