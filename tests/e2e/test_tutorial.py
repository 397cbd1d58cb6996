"""docs/tutorial.md, run as printed: its ```sh blocks, in order, in one bash session, with the aws
CLI v1 and v2 as `aws` on PATH and HOME in a temp dir (so ~/.aws is the test's own). The one change
is the line the tutorial names, `PORT=9000`, set to a free port. Each block's output must hold the
lines of the ```text block after it (`…` matches anything), and a block whose expected output is an
error must fail. The tutorial starts and stops its own kura (build/kura, linked to KURA_BIN)."""
import json
import os
import re
import shutil
import signal
import subprocess
import sys

import pytest

from conftest import KURA_BIN, free_port

HERE = os.path.dirname(os.path.abspath(__file__))
TUTORIAL = os.path.join(HERE, "..", "..", "docs", "tutorial.md")
PORT_LINE = "PORT=9000"


class Block:
    def __init__(self, code, line):
        self.code, self.line, self.expected = code, line, None


def parse(text):
    """The ```sh blocks, each with the ```text block that follows it (before the next ```sh)."""
    blocks, lines, i = [], text.split("\n"), 0
    while i < len(lines):
        fence = lines[i].strip()
        if fence in ("```sh", "```text"):
            start = i + 1
            i = start
            while lines[i].strip() != "```":
                i += 1
            body = "\n".join(lines[start:i]) + "\n"
            if fence == "```sh":
                blocks.append(Block(body, start))
            else:
                assert blocks and blocks[-1].expected is None, f"line {start}: ```text with no ```sh before it"
                blocks[-1].expected = body
        i += 1
    return blocks


def line_pattern(expected_line):
    return re.compile(".*".join(re.escape(part) for part in expected_line.strip().split("…")))


def output_lines(output):
    """The output's lines, stripped; the CLI's progress lines end in a carriage return."""
    return [l.strip() for l in re.split(r"[\r\n]+", output)]


def assert_output_holds(block, output):
    """Each expected line matches a line of the output, in order."""
    got = output_lines(output)
    at = 0
    for want in (l for l in block.expected.splitlines() if l.strip()):
        pattern = line_pattern(want)
        while at < len(got) and not pattern.fullmatch(got[at]):
            at += 1
        assert at < len(got), (f"docs/tutorial.md line {block.line}: no line matching {want!r} "
                               f"(in order) in the output:\n{output}")
        at += 1


def aws_on_path(bin_dir, version):
    aws = os.path.join(bin_dir, "aws")
    if version == 1:
        python = os.environ.get("KURA_PYTHON", sys.executable)
        with open(aws, "w") as f:
            f.write(f'#!/bin/sh\nexec "{python}" -m awscli "$@"\n')
        os.chmod(aws, 0o755)
    else:
        os.symlink("/usr/bin/aws", aws)


VERSIONS = [1] + ([2] if os.path.exists("/usr/bin/aws") else [])


@pytest.mark.parametrize("version", VERSIONS, ids=[f"aws-v{v}" for v in VERSIONS])
def test_tutorial_runs_as_printed(version, tmp_path):
    text = open(TUTORIAL).read()
    blocks = parse(text)
    code = "".join(b.code for b in blocks)
    # The steps the tutorial promises (issue #17), so that none is dropped unnoticed.
    for step in ["--sts-min-duration 5", "--profile kura-root", "iam create-user", "iam put-user-policy",
                 "iam create-role", "iam put-role-policy", "aws configure set", "--role-session-name s3",
                 "--duration-seconds 900", "--duration-seconds 5", "export AWS_ACCESS_KEY_ID",
                 "export AWS_SECRET_ACCESS_KEY", "export AWS_SESSION_TOKEN", "s3 ls", "s3 mv"]:
        assert step in code, f"docs/tutorial.md no longer runs {step!r}"
    port_lines = [b for b in blocks if re.search(rf"^{re.escape(PORT_LINE)}$", b.code, re.M)]
    assert len(port_lines) == 1, f"docs/tutorial.md must set {PORT_LINE} in exactly one line"

    work = tmp_path / "work"
    (work / "build").mkdir(parents=True)
    os.symlink(os.path.abspath(KURA_BIN), work / "build" / "kura")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    aws_on_path(str(bin_dir), version)
    home = tmp_path / "home"
    home.mkdir()

    port = free_port()
    driver = ["cd " + str(work)]
    for n, b in enumerate(blocks):
        script = re.sub(rf"^{re.escape(PORT_LINE)}$", f"PORT={port}", b.code, flags=re.M)
        (tmp_path / f"block-{n:02}.sh").write_text(script)
        driver.append(f". {tmp_path}/block-{n:02}.sh > {tmp_path}/out-{n:02}.txt 2>&1; "
                      f"echo $? > {tmp_path}/rc-{n:02}.txt")
    (tmp_path / "driver.sh").write_text("\n".join(driver) + "\n")

    # A reader's environment: no AWS_* or KURA_* settings of ours (kura reads KURA_<FLAG>), no CA
    # overrides; the home directory and the `aws` on PATH are the test's.
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("AWS_", "KURA_")) and k not in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE")}
    env.update({"HOME": str(home), "PATH": f"{bin_dir}:{env.get('PATH', '/usr/bin:/bin')}",
                "AWS_EC2_METADATA_DISABLED": "true"})
    proc = subprocess.Popen(["bash", str(tmp_path / "driver.sh")], env=env, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        driver_out, _ = proc.communicate(timeout=300)
    finally:
        # The tutorial stops its kura; if a block failed before that, stop what is left of the
        # session's process group (bash runs kura in its own group: no job control).
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    assert proc.returncode == 0, driver_out

    outputs = []
    for n, b in enumerate(blocks):
        out_file = tmp_path / f"out-{n:02}.txt"
        assert out_file.exists(), f"docs/tutorial.md line {b.line}: the block did not run"
        output, rc = out_file.read_text(), int((tmp_path / f"rc-{n:02}.txt").read_text())
        outputs.append(output)
        fails = b.expected is not None and "An error occurred" in b.expected
        assert (rc != 0) == fails, f"docs/tutorial.md line {b.line}: exit status {rc}, output:\n{output}"
        if b.expected is not None:
            assert_output_holds(b, output)

    # What the tutorial promises, whatever its expected-output blocks say.
    everything = "\n".join(outputs)
    assert everything.count("(AccessDenied)") >= 2, everything
    assert "(ExpiredToken)" in everything and "The provided token has expired." in everything
    assert not (work / "test.txt").exists()
    assert "move: ./test.txt to s3://tutorial-bucket/test.txt" in output_lines(everything)
    # kura's audit log (its stderr, in the tutorial's tutorial-kura.log): the upload was the session's.
    log = (work / "tutorial-kura.log").read_text()
    records = [json.loads(line) for line in log.splitlines() if line.startswith('{"eventVersion"')]
    uploads = [r for r in records if r["eventName"] == "PutObject" and "errorCode" not in r
               and r["requestParameters"]["key"] == "test.txt"]
    assert uploads, log[-3000:]
    assert re.fullmatch(r"arn:aws:sts::\d{12}:assumed-role/tutorial-role/s3", uploads[0]["userIdentity"]["arn"])
    assert uploads[0]["requestParameters"]["bucketName"] == "tutorial-bucket"
