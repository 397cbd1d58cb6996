"""`kura --version` and `kura version`: the project's version and the build's facts — commit,
build type, compiler, date, and the OpenSSL, SQLite and Boost kura runs with — checked against
the source tree, the build tree and the installed libraries; and cmake/build_info.cmake's
SOURCE_DATE_EPOCH and no-git cases."""
import os
import re
import shutil
import subprocess
import time

from conftest import KURA_BIN

SOURCE_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD_INFO_SCRIPT = os.path.join(SOURCE_DIR, "cmake", "build_info.cmake")


def version_lines(*args):
    out = subprocess.run([KURA_BIN, *args], capture_output=True, text=True, check=True).stdout
    lines = out.splitlines()
    facts = dict(line.split(":", 1) for line in lines[1:])
    return lines[0], {k: v.strip() for k, v in facts.items()}


def project_version():
    with open(os.path.join(SOURCE_DIR, "CMakeLists.txt")) as f:
        return re.search(r"project\(kura VERSION (\d+\.\d+\.\d+)", f.read()).group(1)


def test_version_and_build_facts():
    first, facts = version_lines("--version")
    assert first == f"kura {project_version()}"
    assert version_lines("version") == (first, facts)
    assert set(facts) == {"commit", "build type", "compiler", "built", "OpenSSL", "SQLite", "Boost"}

    git = subprocess.run(["git", "-C", SOURCE_DIR, "rev-parse", "--short=12", "HEAD"],
                         capture_output=True, text=True)
    if git.returncode == 0:
        assert facts["commit"] in (git.stdout.strip(), git.stdout.strip() + "-dirty")
    else:
        assert facts["commit"] == "unknown"

    build_dir = os.environ.get("KURA_BUILD_DIR", os.path.dirname(KURA_BIN))
    with open(os.path.join(build_dir, "CMakeCache.txt")) as f:
        build_type = re.search(r"^CMAKE_BUILD_TYPE:\w+=(.*)$", f.read(), re.M).group(1)
    assert facts["build type"].split(" (")[0] == build_type
    assert re.fullmatch(r"GNU \d+\.\d+\.\d+|Clang \d+\.\d+\.\d+", facts["compiler"]), facts
    built = time.mktime(time.strptime(facts["built"], "%Y-%m-%dT%H:%M:%SZ"))
    assert built < time.time() + 86400

    # The libraries as loaded: the same libcrypto the openssl CLI reports, Debian's SQLite.
    openssl = subprocess.run(["openssl", "version"], capture_output=True, text=True, check=True).stdout
    assert facts["OpenSSL"] in openssl, (facts["OpenSSL"], openssl)
    sqlite = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "libsqlite3-0"],
                            capture_output=True, text=True, check=True).stdout
    assert sqlite.startswith(facts["SQLite"] + "-"), (facts["SQLite"], sqlite)
    assert facts["Boost"] == "1.81.0"  # CMakeLists.txt requires exactly 1.81.0


def test_help_names_the_version_command():
    out = subprocess.run([KURA_BIN, "--help"], capture_output=True, text=True, check=True).stdout
    assert "kura --version" in out


def run_build_info_script(tmp_path, source_dir, env_extra):
    out = tmp_path / "build_info.h"
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env.update(env_extra)
    subprocess.run(["cmake", f"-DSOURCE_DIR={source_dir}", f"-DOUT={out}", "-DBUILD_TYPE=Release",
                    "-DCOMPILER=GNU 12.2.0", "-P", BUILD_INFO_SCRIPT], check=True, env=env)
    return out.read_text()


def test_build_info_honours_source_date_epoch_and_needs_no_git(tmp_path):
    no_git = tmp_path / "src"
    no_git.mkdir()
    header = run_build_info_script(tmp_path, no_git, {"SOURCE_DATE_EPOCH": "1700000000"})
    assert '#define KURA_BUILD_COMMIT "unknown"' in header
    assert '#define KURA_BUILD_DATE "2023-11-14T22:13:20Z"' in header
    # Unchanged inputs leave the file alone (so nothing recompiles); a changed input rewrites it.
    mtime = os.stat(tmp_path / "build_info.h").st_mtime_ns
    time.sleep(0.05)
    assert run_build_info_script(tmp_path, no_git, {"SOURCE_DATE_EPOCH": "1700000000"}) == header
    assert os.stat(tmp_path / "build_info.h").st_mtime_ns == mtime
    header = run_build_info_script(tmp_path, no_git, {"SOURCE_DATE_EPOCH": "0"})
    assert '#define KURA_BUILD_DATE "1970-01-01T00:00:00Z"' in header

    # A git checkout: the short commit, "-dirty" once a tracked file changed.
    if shutil.which("git") is None:
        return
    repo = tmp_path / "repo"
    repo.mkdir()
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run(git + ["init", "-q"], check=True)
    (repo / "f").write_text("1")
    subprocess.run(git + ["add", "f"], check=True)
    subprocess.run(git + ["commit", "-qm", "c"], check=True)
    head = subprocess.run(git + ["rev-parse", "--short=12", "HEAD"], capture_output=True, text=True,
                          check=True).stdout.strip()
    assert f'#define KURA_BUILD_COMMIT "{head}"' in run_build_info_script(tmp_path, repo, {})
    (repo / "untracked").write_text("x")
    assert f'#define KURA_BUILD_COMMIT "{head}"' in run_build_info_script(tmp_path, repo, {})
    (repo / "f").write_text("2")
    assert f'#define KURA_BUILD_COMMIT "{head}-dirty"' in run_build_info_script(tmp_path, repo, {})
