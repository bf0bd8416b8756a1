# The real-speech sources of bench/real/README.md in one place (sourced by checkout.sh, layout.sh, layout-all.sh and
# add-pool.sh): each one's repository, the commit its clips were taken at, its folder there, layout, licence and import
# options, as `tfcrnn data import-real` records them in provenance.csv.
#   fsdd       Jakobovski/free-spoken-digit-dataset: digits by six speakers (CC BY-SA 4.0)
#   blspeech   JackBL248/blspeech_commands: 350 Speech Commands v0.02 clips of the 35 words (CC BY 4.0, the dataset's)
#   wids       chaeyoung-lee/wids_tutorial: 30 Speech Commands digit clips (CC BY 4.0, the dataset's)
#   picovoice  Picovoice/wake-word-benchmark: 1,965 clips of five other words and phrases by 50+ people (Apache-2.0)
#   ros        felixchenfy/ros_speech_commands_classification: one speaker's eleven words (MIT)
#   mini       JqSilva/IA-Reconocimiento-de-voz-con-HMM at a commit of its history: TensorFlow's mini_speech_commands
#              (Speech Commands clips) of seven words, all but "go" (CC BY 4.0, the dataset's)
#   vinsis     vinsis/speech-commands-recognition: 300 Speech Commands v0.01 clips, ten of each of 30 words (CC BY 4.0)
#   cs5783     lrburle/CS5783-FinalProject: TensorFlow's whole mini_speech_commands (eight words, "go" too: 1,000 clips
#              each) (CC BY 4.0, the dataset's; the repository is Apache-2.0)
#   oupirum    oupirum/tf_speech_recognition: 80 Speech Commands clips, ten of each of eight of the ten words, the test
#              fixture of its `tests/` (CC BY 4.0, the dataset's `LICENSE` is in the folder; the repository states no
#              licence of its own)
#   lastleaf   Last-Autumn-Leaf/keyword_spotting at a commit of its history: 1,226 clips of Speech Commands v0.02's
#              "eight" folder (CC BY 4.0, the dataset's; the repository states no licence of its own)
#   minali     Minali24/Identify-Speech-Commands: a Kaldi recipe's 550 Speech Commands v0.01 clips of each of nine words
#              (down, eight, five, go, left, one, right, up, zero) (CC BY 4.0, the dataset's; the repository states no
#              licence of its own)
#   bond005    bond005/speech_commands at a commit of its history: its tests' 118 Speech Commands clips of the 30 words
#              of v0.01 (CC BY 4.0, the dataset's; the repository is Apache-2.0)
#   deadsimple manashmandal/DeadSimpleSpeechRecognizer: Speech Commands v0.01's bed, cat and happy folders (CC BY 4.0,
#              the dataset's; the repository is MIT)
#   noise      chaeyoung-lee/wids_tutorial: Speech Commands' four real background-noise recordings, cut into one-second
#              `_silence_` clips (CC BY 4.0; its generated white and pink noise are left out)
#   felixnoise felixchenfy/Speech-Commands-Classification-by-LSTM-PyTorch: six noise recordings of its author's own (air
#              conditioner, forest twice, rain, water, wind), cut into one-second `_silence_` clips (MIT)
# Speech Commands clips are kept only from training-split speakers (import-real refuses the others; checkout.sh does not
# even check the others out).

# The names of every source, in the order layout-all.sh imports them. A clip found in two copies of Speech Commands is
# laid out once, and the later import's provenance row replaces the earlier one; the sources added after the first
# layout (cs5783, oupirum, lastleaf, minali, bond005, deadsimple) come first so that every clip laid out before keeps the provenance it had.
real_sources=(cs5783 oupirum lastleaf minali bond005 deadsimple blspeech wids mini vinsis fsdd picovoice ros noise felixnoise)

# source_info SOURCE: sets repo, commit, from, layout, licence and options (extra import-real options) for SOURCE.
source_info() {
  options=()
  case "$1" in
    blspeech)  repo=JackBL248/blspeech_commands commit=edb60af86681c4f279f22b5feb5cde8406efe653
               from=toy_dataset layout=speech-commands licence=CC-BY-4.0 ;;
    wids)      repo=chaeyoung-lee/wids_tutorial commit=7d028e7211c846244903eb59664087f1fb3e4c07
               from=data/sc09 layout=speech-commands licence=CC-BY-4.0 ;;
    mini)      repo=JqSilva/IA-Reconocimiento-de-voz-con-HMM commit=820fa2731c728d27dfdb53208272c9357af3165a
               from=data/mini_speech_commands_extracted/mini_speech_commands layout=speech-commands licence=CC-BY-4.0 ;;
    vinsis)    repo=vinsis/speech-commands-recognition commit=53317d51bc2c75de6118ede48b0da06a412a1341
               from=speech_commands_v0.01 layout=speech-commands licence=CC-BY-4.0 ;;
    cs5783)    repo=lrburle/CS5783-FinalProject commit=5188e3577dc995af45cbe0097b4a6780b0917c3c
               from=src/data/mini_speech_commands layout=speech-commands licence=CC-BY-4.0 ;;
    oupirum)   repo=oupirum/tf_speech_recognition commit=971e2db3331f8ca51917ccc5c02e1ed88c6f2889
               from=tests/dataset layout=speech-commands licence=CC-BY-4.0 ;;
    lastleaf)  repo=Last-Autumn-Leaf/keyword_spotting commit=e53c3766a3731e432313219d1ebaccc63919aacb
               from=SpeechCommands/speech_commands_v0.02 layout=speech-commands licence=CC-BY-4.0 ;;
    minali)    repo=Minali24/Identify-Speech-Commands commit=2ccde6356565aec448afb656453367af84d7e395
               from=audio/audio layout=speech-commands licence=CC-BY-4.0 ;;
    bond005)   repo=bond005/speech_commands commit=fc9f59cd41f91e314ff1ececf3468f7e9cc5e27d
               from=tests/testdata/tensorflow_data/audio layout=speech-commands licence=CC-BY-4.0 ;;
    deadsimple) repo=manashmandal/DeadSimpleSpeechRecognizer commit=881b36a63bc9d449f60bc83ebcd2e7c5209a4761
               from=data layout=speech-commands licence=CC-BY-4.0 ;;
    fsdd)      repo=Jakobovski/free-spoken-digit-dataset commit=26eb9aaf76e81b692f806f9140c2d2777410d7a1
               from=recordings layout=fsdd licence=CC-BY-SA-4.0 ;;
    picovoice) repo=Picovoice/wake-word-benchmark commit=84919190fb1891bf0936dcb577d9268e467f876f
               from=audio layout=words licence=Apache-2.0 ;;
    ros)       repo=felixchenfy/ros_speech_commands_classification commit=c84b709e1e14a3696192ba8aebab941bef470ea5
               from=data/data_train layout=words licence=MIT
               options=(--speaker felixchenfy) ;;  # one person recorded them all
    noise)     repo=chaeyoung-lee/wids_tutorial commit=7d028e7211c846244903eb59664087f1fb3e4c07
               from=data/_background_noise_ layout=noise licence=CC-BY-4.0
               options=(--exclude-speakers white_noise,pink_noise) ;;  # generated, not recorded
    felixnoise) repo=felixchenfy/Speech-Commands-Classification-by-LSTM-PyTorch commit=173ef9c09198572ee42628e5351abc43fa506030
               from=data/noises layout=noise licence=MIT
               # Only the author's own recordings: not Speech Commands' (in `noise` already), not music.wav (music), not
               # white_1..5.wav (of unknown origin; two are not readable WAV files).
               options=(--exclude-speakers doing_the_dishes,dude_miaowing,exercise_bike,running_tap,pink_noise,white_noise,music,white_1,white_2,white_3,white_4,white_5) ;;
    *) echo "unknown real source '$1' (one of: ${real_sources[*]})" >&2; return 2 ;;
  esac
}

# import_source OUT SOURCE [import-real options...]: imports SOURCE's clips from its checkout, the folder named by the
# variable of the source's name ($fsdd, $blspeech, ...). Expects $tfcrnn.
import_source() {
  local out="$1" source="$2" checkout
  shift 2
  source_info "$source" || return
  checkout="${!source}"
  "$tfcrnn" data import-real --out "$out" --layout "$layout" --from "$checkout/$from" --source "$repo" --licence "$licence" \
    --commit "$(git -C "$checkout" rev-parse HEAD 2>/dev/null || echo "")" "${options[@]}" "$@"
}
