"""A newcomer's first hour: the README's commands work as written after `make run`."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(*args: str, env_file: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "DEBUG", "SAMENSPEL_TESTING", "DJANGO_SETTINGS_MODULE"}
        and not key.startswith("DATABASE")
    }
    env.update({"SAMENSPEL_ENV_FILE": str(env_file), "SAMENSPEL_VAR_DIR": str(tmp_path)})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_manage_py_reads_the_local_settings_file_that_make_run_writes(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("# written by make run\nDEBUG=true\nSECRET_KEY='a-generated-key'\n")
    result = manage("check", env_file=env_file, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_without_it_the_message_says_what_to_do(tmp_path):
    result = manage("check", env_file=tmp_path / "missing.env", tmp_path=tmp_path)
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr and "make run" in result.stderr


def test_the_environment_wins_over_the_file(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("DEBUG=true\nSECRET_KEY=from-file\n")
    code = "from django.conf import settings; print(settings.SECRET_KEY, settings.DEBUG)"
    env = {k: v for k, v in os.environ.items() if k not in {"SAMENSPEL_TESTING", "DEBUG"}}
    env.update(
        {
            "SAMENSPEL_ENV_FILE": str(env_file),
            "SECRET_KEY": "from-environment",
            "DJANGO_SETTINGS_MODULE": "samenspel.settings",
        }
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["from-environment", "True"], result.stderr
