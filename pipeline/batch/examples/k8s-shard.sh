#!/bin/sh
# One pod of the Kubernetes Indexed Job (k8s-indexed-job.yaml): billwise batch over the shard
# JOB_COMPLETION_INDEX/SHARDS of IN, written to OUT/shard-JOB_COMPLETION_INDEX.
# Kubernetes sets JOB_COMPLETION_INDEX; the Job sets SHARDS (its `completions`).
# Usage: k8s-shard.sh IN OUT   (BILLWISE: the executable, default `billwise` on PATH)
set -u
in=${1:?statements folder}
out=${2:?output folder}
index=${JOB_COMPLETION_INDEX:?set by Kubernetes for an Indexed Job}
"${BILLWISE:-billwise}" batch "$in" --out "$out/shard-$index" --shard "$index/${SHARDS:-8}" \
  --jobs "${JOBS:-2}" --resume --progress lines
rc=$?
# Exit 1 only means some inputs were errors (they are rows in the summary); keep the pod green.
[ "$rc" -le 1 ] || exit "$rc"
