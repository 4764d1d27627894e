"""README's commands stay true: CI runs, word for word, the test command the README gives."""

import re

from helpers import ROOT


def commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"^    ((?:apt-get|pip install) .*)$", text, re.MULTILINE)


def test_readme_gives_a_build_and_a_test_command():
    build, test = commands()[:2]
    assert "scripts/build_site.py" in build
    assert test.endswith("python -m pytest")


def test_ci_runs_the_readme_test_command():
    test = commands()[1]
    assert test in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()


def test_pages_workflow_builds_both_languages():
    import yaml

    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["build"]["steps"]
    script = "\n".join(step.get("run", "") for step in steps)
    assert "python scripts/build_site.py" in script and "--offline" in script
    assert any(step.get("uses", "").startswith("actions/upload-pages-artifact") for step in steps)
    # nothing is deployed unless every link, anchor and image of the built site resolves
    check = next(n for n, step in enumerate(steps) if "scripts/check_site.py site" in step.get("run", ""))
    upload = next(n for n, step in enumerate(steps) if step.get("uses", "").startswith("actions/upload-pages"))
    assert check < upload
    assert workflow["jobs"]["deploy"]["steps"][0]["uses"].startswith("actions/deploy-pages")
