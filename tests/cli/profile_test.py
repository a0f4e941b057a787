#!/usr/bin/env python3
"""Every command finds the patient profile the same way: its own --profile, else the
top-level --profile, else $BILLWISE_PROFILE, else $XDG_CONFIG_HOME/billwise/profile.yaml.

- `analyze` adds the negotiation plan (and no "add your details" line) from each of the
  four places, and neither without a profile;
- a profile named by a flag that does not exist is a one-line error, exit 2;
- `letters` without --profile writes its letters from the XDG profile, and `script` names
  the caller from it;
- `batch` plans every bill from the XDG profile, as `billwise FILE` does.

Usage: profile_test.py BILLWISE_BINARY SOURCE_DIR"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

ADD_DETAILS = "What to do next: add your details"


def main():
    binary, source = sys.argv[1], sys.argv[2]
    bill = os.path.join(source, "samples/generated/hospital_itemized.pdf")
    profile = os.path.join(source, "samples/profile.yaml")
    failures = []

    def check(ok, what):
        if not ok:
            failures.append(what)
            print("FAIL:", what)

    with tempfile.TemporaryDirectory() as tmp:
        configured = os.path.join(tmp, "configured")
        os.makedirs(os.path.join(configured, "billwise"))
        shutil.copy(profile, os.path.join(configured, "billwise", "profile.yaml"))
        empty = os.path.join(tmp, "empty")
        os.makedirs(empty)

        def run(args, config=empty, env_profile=""):
            env = dict(os.environ, XDG_CONFIG_HOME=config, XDG_DATA_HOME=os.path.join(tmp, "data"),
                       HOME=tmp, BILLWISE_PROFILE=env_profile)
            r = subprocess.run([binary] + args, capture_output=True, timeout=300, env=env)
            return r.returncode, r.stdout.decode("utf-8", "replace"), r.stderr.decode("utf-8", "replace")

        def plan_of(out):
            try:
                return json.loads(out).get("plan")
            except ValueError:
                return None

        ways = {
            "none": dict(args=["--no-store", "analyze", bill]),
            "analyze --profile": dict(args=["--no-store", "analyze", bill, "--profile", profile]),
            "top-level --profile": dict(args=["--no-store", "--profile", profile, "analyze", bill]),
            "$BILLWISE_PROFILE": dict(args=["--no-store", "analyze", bill], env_profile=profile),
            "$XDG_CONFIG_HOME": dict(args=["--no-store", "analyze", bill], config=configured),
        }
        for name, way in ways.items():
            code, out, err = run(**way)
            check(code == 0, f"analyze ({name}): exit {code}: {err}")
            has_profile = name != "none"
            check((ADD_DETAILS in out) != has_profile,
                  f"analyze ({name}): 'add your details' {'shown' if has_profile else 'missing'}")
            code, out, err = run(**dict(way, args=way["args"] + ["--format", "json"]))
            check((plan_of(out) is not None) == has_profile,
                  f"analyze ({name}): plan {'missing' if has_profile else 'made up'} in the JSON")

        missing = os.path.join(tmp, "nope.yaml")
        for args in (["--no-store", "analyze", bill, "--profile", missing],
                     ["--no-store", "--profile", missing, "analyze", bill]):
            code, out, err = run(args)
            check(code == 2 and err.strip() == f"billwise: {missing}: no such profile file",
                  f"{' '.join(args[1:3])}: a missing profile: exit {code}, {err!r}")

        out_dir = os.path.join(tmp, "letters")
        code, out, err = run(["--no-store", "letters", bill, "--kind", "itemized", "--out", out_dir],
                             config=configured)
        check(code == 0 and os.path.exists(os.path.join(out_dir, "itemized.pdf")),
              f"letters with the XDG profile: exit {code}: {err}")
        code, out, err = run(["--no-store", "letters", bill, "--kind", "itemized", "--out", out_dir])
        check(code == 2 and "profile" in err, f"letters without any profile: exit {code}: {err}")

        code, out, err = run(["--no-store", "script", bill], config=configured)
        check(code == 0 and "Morgan" in out, f"script with the XDG profile: exit {code}, caller not named: {err}")
        code, out, err = run(["--no-store", "script", bill])
        check(code == 0 and "Morgan" not in out, f"script without a profile: exit {code}: {err}")

        inputs = os.path.join(tmp, "in")
        os.makedirs(inputs)
        shutil.copy(bill, inputs)
        batch_out = os.path.join(tmp, "batch")
        code, out, err = run(["--no-store", "batch", inputs, "--out", batch_out, "--jobs", "1",
                              "--progress", "none"], config=configured)
        bill_json = os.path.join(batch_out, "hospital_itemized", "bill.json")
        planned = os.path.exists(bill_json) and json.load(open(bill_json)).get("plan") is not None
        check(code == 0 and planned, f"batch with the XDG profile: exit {code}, plan {planned}: {err}")

    if failures:
        print(f"{len(failures)} failure(s)")
        return 1
    print("profile resolution: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
