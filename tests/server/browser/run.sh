#!/usr/bin/env bash
# Runs the browser test, or skips it (exit 77) when chromium, node or playwright-core is
# missing. Usage: run.sh BILLWISE_BINARY SOURCE_DIR
set -euo pipefail
binary=$1
source_dir=$2
here=$(cd "$(dirname "$0")" && pwd)
chromium=${CHROMIUM:-/usr/bin/chromium}
bill="$source_dir/samples/generated/hospital_itemized.pdf"
if ! command -v node >/dev/null; then echo "SKIP: node is not installed (scripts/install-deps --with-browser)"; exit 77; fi
if [[ ! -x $chromium ]]; then echo "SKIP: $chromium is not installed (scripts/install-deps --with-browser)"; exit 77; fi
if [[ ! -d $here/node_modules/playwright-core ]]; then echo "SKIP: playwright-core is missing (scripts/install-browser-test)"; exit 77; fi
if [[ ! -f $bill ]]; then echo "SKIP: $bill is missing"; exit 77; fi
exec node "$here/drop_test.mjs" "$binary" "$bill" "$chromium"
