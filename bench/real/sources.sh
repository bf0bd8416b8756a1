# The real-speech sources of bench/real/README.md in one place (sourced by layout.sh and add-pool.sh): each one's folder
# in its checkout, layout, name, licence and commit, as `tfcrnn data import-real` records them in provenance.csv.
# Expects $tfcrnn and the checkouts $fsdd, $blspeech, $wids, $picovoice and $ros (the last two only where used).
# import_source OUT SOURCE [import-real options...]   SOURCE: blspeech, wids, fsdd, picovoice or ros
import_source() {
  local out="$1" source="$2" checkout from layout name licence speaker=()
  shift 2
  case "$source" in
    blspeech)  checkout="$blspeech" from=toy_dataset layout=speech-commands name=JackBL248/blspeech_commands licence=CC-BY-4.0 ;;
    wids)      checkout="$wids" from=data/sc09 layout=speech-commands name=chaeyoung-lee/wids_tutorial licence=CC-BY-4.0 ;;
    fsdd)      checkout="$fsdd" from=recordings layout=fsdd name=Jakobovski/free-spoken-digit-dataset licence=CC-BY-SA-4.0 ;;
    picovoice) checkout="$picovoice" from=audio layout=words name=Picovoice/wake-word-benchmark licence=Apache-2.0 ;;
    ros)       checkout="$ros" from=data/data_train layout=words name=felixchenfy/ros_speech_commands_classification licence=MIT
               speaker=(--speaker felixchenfy) ;;  # one person recorded them all
    *) echo "import_source: unknown source '$source'" >&2; return 2 ;;
  esac
  "$tfcrnn" data import-real --out "$out" --layout "$layout" --from "$checkout/$from" --source "$name" --licence "$licence" \
    --commit "$(git -C "$checkout" rev-parse HEAD 2>/dev/null || echo "")" "${speaker[@]}" "$@"
}
