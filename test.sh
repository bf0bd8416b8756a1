#!/usr/bin/env bash
# Runs every test (installing espeak-ng if missing) and ends with "N passed, N failed[, N skipped]".
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$root/scripts/install-deps.sh" || exit 1
log="$(mktemp)"
dotnet test "$root/TfCrnn.slnx" -c Release --nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
summary=$(grep -E '^(Passed|Failed)!' "$log" | tail -1)
passed=$(sed -nE 's/.*Passed: *([0-9]+).*/\1/p' <<<"$summary")
failed=$(sed -nE 's/.*Failed: *([0-9]+),.*/\1/p' <<<"$summary")
skipped=$(sed -nE 's/.*Skipped: *([0-9]+).*/\1/p' <<<"$summary")
rm -f "$log"
if [ -z "$passed" ]; then
  echo "0 passed, 1 failed (the test run did not complete)"
  exit 1
fi
line="$passed passed, $failed failed"
[ "${skipped:-0}" -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
exit "$status"
