#!/usr/bin/env python3
"""The cluster examples of pipeline/batch/examples, run locally with the environment
variables their schedulers set: the Slurm array script (SLURM_ARRAY_TASK_ID, ...) and the
Kubernetes pod and merge scripts (JOB_COMPLETION_INDEX, and SHARDS from the Job). Both must
produce the same merged summary as each other, covering every input once; a missing shard
makes the Kubernetes merge fail. The Job manifests and the Containerfile are checked to name
those scripts, the shard count and the Debian 12 build.
Usage: examples_test.py BILLWISE SOURCE_DIR"""
import os
import shutil
import subprocess
import sys
import tempfile

import yaml

binary, root = sys.argv[1], sys.argv[2]
examples = os.path.join(root, "pipeline/batch/examples")
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)
        print("FAIL:", what)


def run(cmd, env):
    full = dict(os.environ, **env)
    p = subprocess.run(cmd, env=full, capture_output=True, text=True, timeout=600)
    return p.returncode, p.stdout + p.stderr


def rows(folder):
    with open(os.path.join(folder, "summary.csv"), encoding="utf-8") as f:
        lines = f.read().splitlines()
    return lines[0], sorted(lines[1:])


with tempfile.TemporaryDirectory() as tmp:
    statements = os.path.join(tmp, "statements")
    os.mkdir(statements)
    pdfs = sorted(f for f in os.listdir(os.path.join(root, "samples/generated")) if f.endswith(".pdf"))[:4]
    for f in pdfs:
        shutil.copy(os.path.join(root, "samples/generated", f), statements)
    bindir = os.path.join(tmp, "bin")  # `billwise` on PATH, as in the image
    os.mkdir(bindir)
    os.symlink(binary, os.path.join(bindir, "billwise"))
    path = {"PATH": bindir + os.pathsep + os.environ.get("PATH", "")}

    # Slurm: two array tasks, then the merge the script's header gives.
    slurm_out = os.path.join(tmp, "slurm")
    for task in range(2):
        rc, out = run(["bash", os.path.join(examples, "slurm-array.sh"), statements, slurm_out],
                      dict(path, SLURM_ARRAY_TASK_ID=str(task), SLURM_ARRAY_TASK_COUNT="2",
                           SLURM_CPUS_PER_TASK="1"))
        check(rc == 0, f"slurm task {task} exit {rc}: {out}")
    rc, out = run(["billwise", "merge", os.path.join(slurm_out, "shard-0"), os.path.join(slurm_out, "shard-1"),
                   "--out", os.path.join(slurm_out, "all")], path)
    check(rc == 0, f"slurm merge exit {rc}: {out}")

    # Kubernetes: two pods of the Indexed Job, then the merge Job's script.
    k8s_out = os.path.join(tmp, "k8s")
    for index in range(2):
        rc, out = run([os.path.join(examples, "k8s-shard.sh"), statements, k8s_out],
                      dict(path, JOB_COMPLETION_INDEX=str(index), SHARDS="2", JOBS="1"))
        check(rc == 0, f"k8s pod {index} exit {rc}: {out}")
        check(os.path.isfile(os.path.join(k8s_out, f"shard-{index}", "summary.csv")), f"k8s shard-{index} written")
    rc, out = run([os.path.join(examples, "k8s-merge.sh"), k8s_out], dict(path, SHARDS="2"))
    check(rc == 0, f"k8s merge exit {rc}: {out}")

    header_s, slurm_rows = rows(os.path.join(slurm_out, "all"))
    header_k, k8s_rows = rows(os.path.join(k8s_out, "all"))
    check(len(k8s_rows) == len(pdfs), f"k8s merged {len(k8s_rows)} rows for {len(pdfs)} inputs")
    check((header_s, slurm_rows) == (header_k, k8s_rows), "slurm and k8s merged summaries differ")

    # A pod that never ran: the merge Job names every shard and fails.
    rc, out = run([os.path.join(examples, "k8s-merge.sh"), k8s_out], dict(path, SHARDS="3"))
    check(rc != 0, f"k8s merge with a missing shard exit {rc}")
    # Without the variable Kubernetes sets, the pod script refuses to guess.
    env = {k: v for k, v in os.environ.items() if k != "JOB_COMPLETION_INDEX"}
    p = subprocess.run([os.path.join(examples, "k8s-shard.sh"), statements, k8s_out], env=env,
                       capture_output=True, text=True)
    check(p.returncode != 0, "k8s-shard.sh without JOB_COMPLETION_INDEX")

# The manifests run those scripts with the shard count the Job declares.
with open(os.path.join(examples, "k8s-indexed-job.yaml"), encoding="utf-8") as f:
    job = yaml.safe_load(f)
pod = job["spec"]["template"]["spec"]["containers"][0]
env = {e["name"]: e["value"] for e in pod.get("env", [])}
check(job["spec"]["completionMode"] == "Indexed", "indexed job")
check(pod["command"][0] == "k8s-shard.sh", "indexed job runs k8s-shard.sh")
check(env.get("SHARDS") == str(job["spec"]["completions"]), "SHARDS equals completions")
with open(os.path.join(examples, "k8s-merge-job.yaml"), encoding="utf-8") as f:
    merge = yaml.safe_load(f)
mpod = merge["spec"]["template"]["spec"]["containers"][0]
check(merge["kind"] == "Job" and mpod["command"][0] == "k8s-merge.sh", "merge Job runs k8s-merge.sh")
check({e["name"]: e["value"] for e in mpod.get("env", [])}.get("SHARDS") == env.get("SHARDS"),
      "merge Job's SHARDS equals the indexed Job's")
check(mpod["image"] == pod["image"], "both Jobs use one image")
with open(os.path.join(examples, "Containerfile"), encoding="utf-8") as f:
    containerfile = f.read()
for needle in ("FROM debian:12", "scripts/install-deps", "scripts/build", "cmake --install", "k8s-shard.sh",
               "k8s-merge.sh"):
    check(needle in containerfile, f"Containerfile has {needle}")

print("examples: %d failure(s)" % len(failures))
sys.exit(1 if failures else 0)
