#!/bin/sh
# The merge Job (k8s-merge-job.yaml): combines OUT/shard-0 .. OUT/shard-(SHARDS-1) into
# OUT/all. Naming every shard makes `billwise merge` warn (exit 1) about one that is missing.
# Usage: k8s-merge.sh OUT   (SHARDS: the indexed Job's `completions`, default 8)
set -u
out=${1:?output folder}
shards=${SHARDS:-8}
set --
i=0
while [ "$i" -lt "$shards" ]; do
  set -- "$@" "$out/shard-$i"
  i=$((i + 1))
done
exec "${BILLWISE:-billwise}" merge "$@" --out "$out/all"
