"""The GitHub Pages workflow: the steps a deployment needs, in order."""
from pathlib import Path

import yaml

WORKFLOW = Path(__file__).resolve().parent.parent / ".github" / "workflows" / "pages.yml"


def steps():
    jobs = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]
    return jobs["build"]["steps"], jobs["deploy"]["steps"]


def uses(step) -> str:
    return step.get("uses", "").split("@")[0]


def test_build_job_configures_builds_under_the_pages_path_and_uploads_hidden_files():
    build, _ = steps()
    order = [uses(s) or s.get("run", "") for s in build]
    configure = order.index("actions/configure-pages")
    run = next(i for i, s in enumerate(build) if "build_site.py build" in s.get("run", ""))
    upload = order.index("actions/upload-pages-artifact")
    assert configure < run < upload
    assert "steps.pages.outputs.base_url" in build[run]["run"]
    assert build[upload]["with"]["path"] == "_site"
    assert build[upload]["with"]["include-hidden-files"] is True


def test_the_last_build_is_restored_before_building():
    build, _ = steps()
    cache = next(i for i, s in enumerate(build) if uses(s) == "actions/cache")
    run = next(i for i, s in enumerate(build) if "build_site.py build" in s.get("run", ""))
    assert cache < run
    assert set(build[cache]["with"]["path"].split()) == {"_site", "search_index", ".search_index.build"}


def test_deploy_job_deploys_the_artifact():
    _, deploy = steps()
    assert [uses(s) for s in deploy] == ["actions/deploy-pages"]
