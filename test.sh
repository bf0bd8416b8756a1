#!/usr/bin/env bash
# Runs every test (installing espeak-ng if missing) and ends with "N passed, N failed[, N skipped]"; the reason of
# each skipped kind of test is printed just before that line.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$root/scripts/install-deps.sh" || exit 1
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
log="$work/test.log"
dotnet test "$root/TfCrnn.slnx" -c Release --nologo --logger "trx;LogFileName=results.trx" --results-directory "$work" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
summary=$(grep -E '^(Passed|Failed)!' "$log" | tail -1)
passed=$(sed -nE 's/.*Passed: *([0-9]+).*/\1/p' <<<"$summary")
failed=$(sed -nE 's/.*Failed: *([0-9]+),.*/\1/p' <<<"$summary")
skipped=$(sed -nE 's/.*Skipped: *([0-9]+).*/\1/p' <<<"$summary")
if [ -z "$passed" ]; then
  echo "0 passed, 1 failed (the test run did not complete)"
  exit 1
fi
line="$passed passed, $failed failed"
if [ "${skipped:-0}" -gt 0 ]; then
  line="$line, $skipped skipped"
  # The skip reasons, from the run's TRX file: "skipped (4 tests): full-width reference fixtures ... are not above this checkout".
  find "$work" -name '*.trx' -exec awk '/outcome="NotExecuted"/ { pending = 1 }
    pending && /<Message>/ { sub(/.*<Message>/, ""); sub(/<\/Message>.*/, ""); print; pending = 0 }' {} + |
    sort | uniq -c | awk '{ count = $1; $1 = ""; printf "skipped (%d test%s):%s\n", count, (count > 1 ? "s" : ""), $0 }'
fi
echo "$line"
exit "$status"
