"""Repository automation under .github/, pre-commit and the lint configuration.

GitHub's own files are checked offline against the vendor schemas bundled with
check-jsonschema; the rest checks what those schemas cannot: that CI runs the same
`make test` as .ci/run, least-privilege permissions, one review checklist, and that
pre-commit and `make lint` run the same commands.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from conftest import FIXTURES, ROOT
from macros import affected, page_actions
from macros.external_links import external_links, write
from macros.loader import load_handbook

GITHUB = ROOT / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
ISSUE_FORMS = sorted(p for p in (GITHUB / "ISSUE_TEMPLATE").glob("*.yml") if p.name != "config.yml")


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def workflow(name: str) -> dict:
    return load(GITHUB / "workflows" / name)


def steps(job: dict) -> list[dict]:
    return job["steps"]


def check_jsonschema(schema: str, *paths: Path) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, *map(str, paths)]
    return subprocess.run(command, capture_output=True, text=True)


# -- GitHub's schemas ----------------------------------------------------------------
@pytest.mark.parametrize(
    "schema, paths",
    [
        ("vendor.github-workflows", WORKFLOWS),
        ("vendor.github-issue-forms", ISSUE_FORMS),
        ("vendor.github-issue-config", [GITHUB / "ISSUE_TEMPLATE" / "config.yml"]),
        ("vendor.dependabot", [GITHUB / "dependabot.yml"]),
    ],
)
def test_github_files_match_the_vendor_schemas(schema, paths):
    assert paths, f"no files for {schema}"
    result = check_jsonschema(schema, *paths)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_rejects_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  test:\n    steps:\n      - run: make test\n", encoding="utf-8")  # no runs-on
    assert check_jsonschema("vendor.github-workflows", broken).returncode == 1


def test_the_expected_workflows_and_forms_exist():
    assert {p.name for p in WORKFLOWS} == {"pull-request.yml", "deploy.yml", "link-check.yml"}
    assert {p.name for p in ISSUE_FORMS} == {"content-error.yml", "content-problem.yml", "new-topic.yml", "outdated-page.yml"}


# -- workflows ----------------------------------------------------------------------
def test_pull_requests_run_the_same_make_test_as_ci():
    ci_commands = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines() if line.strip() and not line.startswith("#")]
    assert ci_commands[-1] == "make test"
    runs = [step.get("run", "").strip() for step in steps(workflow("pull-request.yml")["jobs"]["test"])]
    assert "make check" in runs and "make test" in runs
    assert runs.index("make check") < runs.index("make test")


def test_pull_requests_get_the_affected_pages_summary_from_the_base_branch():
    job = workflow("pull-request.yml")["jobs"]["test"]
    checkout = next(s for s in steps(job) if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    summary = next(s for s in steps(job) if "make affected" in s.get("run", ""))
    assert 'BASE="origin/$BASE_REF"' in summary["run"] and '>> "$GITHUB_STEP_SUMMARY"' in summary["run"]
    assert summary["env"]["BASE_REF"] == "${{ github.base_ref }}"  # not interpolated into the script


def test_pull_requests_upload_the_built_site_and_the_summary_points_into_it():
    job = workflow("pull-request.yml")["jobs"]["test"]
    runs = [s.get("run", "").strip() for s in steps(job)]
    upload = next(i for i, s in enumerate(steps(job)) if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert runs.index("make build") < upload, "the site is built before it is uploaded"
    step = steps(job)[upload]
    assert step["with"]["path"] == "site" and step["with"]["if-no-files-found"] == "error"
    summary = next(i for i, s in enumerate(steps(job)) if "make affected" in s.get("run", ""))
    assert upload < summary
    url = steps(job)[summary]["env"][affected.ARTIFACT_ENV]
    # GitHub's artifact page: server/repository/actions/runs/<run>/artifacts/<id of this upload>.
    assert f"steps.{step['id']}.outputs.artifact-id" in url
    for part in ("github.server_url", "github.repository", "'{0}/{1}/actions/runs/{2}/artifacts/{3}'", "github.run_id"):
        assert part in url, part


def test_browser_tests_in_ci_use_the_runners_chrome():
    job = workflow("pull-request.yml")["jobs"]["test"]
    script = next(s["run"] for s in steps(job) if "CHROMIUM_PATH" in s.get("run", ""))
    assert "google-chrome" in script and "$GITHUB_ENV" in script and "exit 1" in script  # missing browser fails


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_python_comes_from_the_pinned_requirements_with_a_pip_cache(path):
    for job in load(path)["jobs"].values():
        for step in steps(job):
            if step.get("uses", "").startswith("actions/setup-python@"):
                assert step["with"]["cache"] == "pip"
                assert step["with"]["cache-dependency-path"].split() == ["requirements.txt", "requirements-dev.txt"]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflows_have_least_privilege_and_pinned_actions(path):
    flow = load(path)
    assert flow["permissions"] == {"contents": "read"}  # anything more is granted per job
    for job in flow["jobs"].values():
        assert job.get("timeout-minutes"), "every job has a time limit"
        for step in steps(job):
            action = step.get("uses")
            if action is None:
                continue
            # GitHub's own actions by major version (Dependabot moves them); others by exact release.
            pattern = r"actions/[\w-]+@v\d+" if action.startswith("actions/") else r"[\w-]+/[\w-]+@v\d+\.\d+\.\d+"
            assert re.fullmatch(pattern, action), action


def test_deploy_publishes_to_pages_one_run_at_a_time():
    flow = workflow("deploy.yml")
    assert flow.get("on", flow.get(True))["push"]["branches"] == ["main"]
    assert flow["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    build, deploy = flow["jobs"]["build"], flow["jobs"]["deploy"]
    assert "permissions" not in build  # the build reads the repository only
    # The full history, for last-changed dates and What's new (macros/history.py).
    checkout = next(s for s in steps(build) if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    # `make pdf` is the strict build plus the single-page handbook and its PDF, written into site/.
    runs = [s.get("run", "").strip() for s in steps(build)]
    assert "make pdf" in runs and "make build" not in runs  # one strict build, not two
    chrome = next(i for i, run in enumerate(runs) if "CHROMIUM_PATH" in run)
    assert "google-chrome" in runs[chrome] and "exit 1" in runs[chrome] and chrome < runs.index("make pdf")
    upload = next(i for i, s in enumerate(steps(build)) if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert steps(build)[upload]["with"]["path"] == "site" and runs.index("make pdf") < upload
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert steps(deploy)[0]["uses"].startswith("actions/deploy-pages@")


def test_link_check_runs_weekly_and_keeps_one_issue():
    flow = workflow("link-check.yml")
    assert len(flow.get("on", flow.get(True))["schedule"]) == 1 and "workflow_dispatch" in flow.get("on", flow.get(True))
    minute, hour, day, month, weekday = flow.get("on", flow.get(True))["schedule"][0]["cron"].split()
    assert day == month == "*" and weekday.isdigit()  # once a week
    job = flow["jobs"]["links"]
    assert job["permissions"] == {"contents": "read", "issues": "write"}
    lychee = next(s for s in steps(job) if s.get("uses", "").startswith("lycheeverse/lychee-action@"))
    assert re.fullmatch(r"v\d+\.\d+\.\d+", lychee["with"]["lycheeVersion"])
    assert lychee["with"]["fail"] is False  # the issue step decides
    issue = steps(job)[-1]["run"]
    for command in ("gh issue list", "gh issue edit", "gh issue create", "gh issue close"):
        assert command in issue
    assert job["env"]["ISSUE_TITLE"] and job["env"]["ISSUE_LABEL"]


def test_dependabot_updates_python_packages_and_actions():
    ecosystems = {update["package-ecosystem"] for update in load(GITHUB / "dependabot.yml")["updates"]}
    assert ecosystems == {"pip", "github-actions"}


# -- issue forms and the pull-request template --------------------------------------------
@pytest.mark.parametrize("path", ISSUE_FORMS, ids=lambda p: p.name)
def test_issue_forms_ask_for_what_a_fix_needs(path):
    form = load(path)
    assert form["name"] and form["description"] and form["labels"]
    fields = {item["id"]: item for item in form["body"] if item["type"] != "markdown"}
    assert all(item["attributes"]["label"] for item in fields.values())
    required = {name for name, item in fields.items() if item.get("validations", {}).get("required")}
    expected = {"new-topic.yml": {"kind", "title", "what", "sources"}, "content-problem.yml": {"page-url", "problem"}}
    assert expected.get(path.name, {"page", "source"}) <= required


def test_report_links_fill_in_the_content_problem_forms_fields():
    # Every page's "Report a problem" link (macros/page_actions.py) names the form and its fields' ids.
    form = load(GITHUB / "ISSUE_TEMPLATE" / page_actions.FORM)
    url = page_actions.report_url("https://github.com/o/r", "Redis", "https://o.github.io/r/technologies/redis/", "data/technologies/redis.yml")
    keys = set(parse_qs(urlsplit(url).query)) - {"template", "title"}
    assert keys == {"page-url", "data-file"} and keys <= {item.get("id") for item in form["body"]}


def test_blank_issues_point_to_the_contributor_guide():
    config = load(GITHUB / "ISSUE_TEMPLATE" / "config.yml")
    assert config["blank_issues_enabled"] is False
    assert any(link["url"].endswith("/CONTRIBUTING.md") for link in config["contact_links"])


def contributing_checklist() -> list[str]:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = text.split("## Review checklist\n", 1)[1].split("\n## ", 1)[0]
    return [line[2:] for line in section.splitlines() if line.startswith("- ")]


def test_the_pull_request_template_repeats_the_contributing_checklist():
    template = (GITHUB / "pull_request_template.md").read_text(encoding="utf-8")
    items = [line[6:] for line in template.splitlines() if line.startswith("- [ ] ")]
    assert len(contributing_checklist()) >= 5
    assert items == contributing_checklist(), "keep .github/pull_request_template.md and CONTRIBUTING.md in step"


# -- pre-commit and make lint -----------------------------------------------------------
def lint_recipe() -> list[str]:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^lint:.*\n((?:\t.*\n)+)", makefile, re.M)
    assert recipe, "Makefile has no lint target"
    return [line.strip() for line in recipe[1].splitlines()]


def test_pre_commit_config_is_valid_and_needs_no_download():
    result = subprocess.run([sys.executable, "-m", "pre_commit", "validate-config", ".pre-commit-config.yaml"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    repos = load(ROOT / ".pre-commit-config.yaml")["repos"]
    assert [repo["repo"] for repo in repos] == ["local"]
    assert all(hook["language"] == "system" for hook in repos[0]["hooks"])


def test_pre_commit_and_make_lint_run_the_same_commands():
    hooks = load(ROOT / ".pre-commit-config.yaml")["repos"][0]["hooks"]
    recipe = lint_recipe()
    for hook in hooks:
        command = hook["entry"].replace(".venv/bin/python", "$(PY)").replace("make ", "$(MAKE) ", 1)
        assert any(line == command or line.startswith(command + " ") for line in recipe), hook["id"]
    assert len(recipe) == len(hooks)
    assert {hook["id"] for hook in hooks} == {"yamllint", "ruff", "codeowners", "data-check"}


@pytest.mark.parametrize(
    "command",
    [["-m", "yamllint", "--strict", "."], ["-m", "ruff", "check", "--force-exclude", "."]],
    ids=["yamllint", "ruff"],
)
def test_the_repository_passes_its_linters(command):
    result = subprocess.run([sys.executable, *command], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_yamllint_catches_a_real_mistake(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("id: x\nid: y\ntitle:  [a,b]\n", encoding="utf-8")  # duplicate key, spacing
    config = str(ROOT / ".yamllint.yml")
    result = subprocess.run([sys.executable, "-m", "yamllint", "--strict", "-c", config, str(bad)], capture_output=True, text=True)
    assert result.returncode == 1 and "key-duplicates" in result.stdout


# -- outside links for the weekly check -----------------------------------------------------
def test_outside_links_are_written_per_data_file(tmp_path):
    links = external_links(load_handbook(FIXTURES / "mini" / "data"))
    assert links["data/activities/caching.yml"] == [("Redis docs", "https://redis.io/docs/latest/")]
    assert ("Redis website", "https://redis.io/") in links["data/technologies/redis.yml"]
    count = write(links, tmp_path)
    assert count == sum(map(len, links.values()))
    text = (tmp_path / "data" / "technologies" / "redis.yml.md").read_text(encoding="utf-8")
    assert text.startswith("# data/technologies/redis.yml\n") and "- [Redis documentation](https://redis.io/docs/latest/)" in text
