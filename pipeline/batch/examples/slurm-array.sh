#!/bin/bash
# billwise over a large corpus as a Slurm job array: 8 tasks, each takes shard
# SLURM_ARRAY_TASK_ID/8 and writes out/shard-K; the last step merges them.
#   sbatch pipeline/batch/examples/slurm-array.sh statements/ out/
#   sbatch --dependency=afterany:<jobid> --wrap "billwise merge out/shard-* --out out/all"
#SBATCH --job-name=billwise
#SBATCH --array=0-7
#SBATCH --cpus-per-task=2
#SBATCH --mem=4G
#SBATCH --time=04:00:00
#SBATCH --output=billwise-%A_%a.log
set -u
in=${1:?statements folder}
out=${2:?output folder}
billwise batch "$in" --out "$out/shard-$SLURM_ARRAY_TASK_ID" \
  --shard "$SLURM_ARRAY_TASK_ID/${SLURM_ARRAY_TASK_COUNT:-8}" \
  --jobs "${SLURM_CPUS_PER_TASK:-2}" --resume --progress lines
rc=$?
# Exit 1 only means some inputs were errors (they are rows in the summary); keep the task green.
[ "$rc" -le 1 ] || exit "$rc"
