"""Gradual adoption: recorded violations pass, new ones fail, fixed ones must leave the file."""

import json
from pathlib import Path

from .sandbox import ROOT, SCRATCH, plant, run_manage

# From the scratch module into users, the one module every project has.
REACH_IN = "from modules.users.models import User"
ANOTHER_REACH_IN = "from modules.users.selectors import user_get"


def test_the_templates_own_baseline_is_empty() -> None:
    assert json.loads((ROOT / "boundaries-baseline.json").read_text())["violations"] == []


# demo:start


def test_the_demo_shares_one_transaction_on_purpose(project_copy: Path) -> None:
    """Placing an order reserves its stock in the order's transaction; no other is shared."""
    baseline = json.loads((ROOT / "boundaries-baseline.json").read_text())

    result = run_manage(project_copy, "check")

    assert list(baseline["shared_transactions"]) == ["orders+products"]
    assert (
        "(boundaries.I002) 1 shared transaction(s) recorded in boundaries-baseline.json: "
        "orders+products." in result.stderr
    )


# demo:end


def test_recorded_violations_pass_and_are_counted(project_copy: Path) -> None:
    plant(project_copy, f"modules/{SCRATCH}/services.py", REACH_IN)
    written = run_manage(project_copy, "boundaries", "--write-baseline")
    assert "Recorded 1 violation(s)" in written.stdout

    result = run_manage(project_copy, "check", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "(boundaries.I001) 1 recorded boundary violation(s) remain" in result.stderr


def test_the_baseline_counts_every_recorded_line(project_copy: Path) -> None:
    # Two lines of one file reaching the same target share one entry in the file.
    plant(project_copy, f"modules/{SCRATCH}/services.py", REACH_IN)
    plant(project_copy, f"modules/{SCRATCH}/services.py", f"def planted():\n    {REACH_IN}")
    written = run_manage(project_copy, "boundaries", "--write-baseline")

    result = run_manage(project_copy, "check")

    assert "Recorded 2 violation(s)" in written.stdout
    assert "(boundaries.I001) 2 recorded boundary violation(s) remain" in result.stderr


def test_a_new_violation_fails_despite_the_baseline(project_copy: Path) -> None:
    plant(project_copy, f"modules/{SCRATCH}/services.py", REACH_IN)
    run_manage(project_copy, "boundaries", "--write-baseline")
    plant(project_copy, f"modules/{SCRATCH}/selectors.py", ANOTHER_REACH_IN)

    result = run_manage(project_copy, "check")

    assert result.returncode != 0
    assert "modules.users.selectors" in result.stderr
    assert "modules.users.models" not in result.stderr


def test_a_fixed_violation_must_leave_the_baseline(project_copy: Path) -> None:
    services = project_copy / f"modules/{SCRATCH}/services.py"
    original = services.read_text()
    plant(project_copy, f"modules/{SCRATCH}/services.py", REACH_IN)
    run_manage(project_copy, "boundaries", "--write-baseline")
    services.write_text(original)

    result = run_manage(project_copy, "check", "--fail-level", "WARNING")

    assert result.returncode != 0
    assert "(boundaries.W008) 1 recorded boundary violation(s) are fixed" in result.stderr


def test_the_command_lists_new_and_recorded_violations(project_copy: Path) -> None:
    plant(project_copy, f"modules/{SCRATCH}/services.py", REACH_IN)
    run_manage(project_copy, "boundaries", "--write-baseline")
    plant(project_copy, f"modules/{SCRATCH}/selectors.py", ANOTHER_REACH_IN)

    result = run_manage(project_copy, "boundaries")

    assert f"recorded modules/{SCRATCH}/services.py" in result.stdout
    assert f"NEW      modules/{SCRATCH}/selectors.py" in result.stdout
    assert "2 violation(s): 1 new, 1 recorded." in result.stdout
