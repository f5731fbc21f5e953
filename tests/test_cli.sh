#!/usr/bin/env bash
# Tests of the `tessel` command: runs the built binary on files made here
# (random arrays and images from cli_check, the sample photograph), and
# checks every result the command writes with cli_check against the library
# and the double-precision reference.
#
#   test_cli.sh TESSEL CLI_CHECK SOURCE_DIR SCRATCH_DIR
#
# SCRATCH_DIR is emptied first and removed when every case passed. Each
# failing case prints its name and what went wrong; the exit status is the
# number of failures (capped at 100), 0 when all passed.
set -u

if [[ $# -ne 4 ]]; then
    echo "usage: $0 TESSEL CLI_CHECK SOURCE_DIR SCRATCH_DIR" >&2
    exit 2
fi
absolute() { [[ $1 == /* ]] && echo "$1" || echo "$PWD/$1"; }
tessel=$(absolute "$1")
check=$(absolute "$2")
source_dir=$(absolute "$3")
scratch=$(absolute "$4")
rm -rf "$scratch"
mkdir -p "$scratch"
cd "$scratch" || exit 2

cases=0
failures=0
rc=0

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

# run ARGS...: runs tessel (at most 60 s); stdout in out.txt, stderr in
# err.txt, the exit status in $rc.
run() {
    timeout 60 "$tessel" "$@" >out.txt 2>err.txt
    rc=$?
}

# ok NAME ARGS...: tessel ARGS must succeed.
ok() {
    local name=$1
    shift
    cases=$((cases + 1))
    run "$@"
    if ((rc != 0)); then
        fail "$name: exit $rc, expected 0; stderr: $(cat err.txt)"
        return 1
    fi
}

# bad NAME WANT OUTPUT ARGS...: tessel ARGS must exit with WANT (1: a file
# failed, 2: usage; "1|2": either) without crashing, print "tessel: error"
# on stderr, leave no OUTPUT, and leave the output's folder as it was when
# it existed before (no partial or temporary file).
bad() {
    local name=$1 want=$2 output=$3
    shift 3
    cases=$((cases + 1))
    local folder
    folder=$(dirname "$output")
    local before=""
    [[ -d $folder ]] && before="$(ls -A "$folder") "
    run "$@"
    if ! [[ $rc =~ ^($want)$ ]]; then
        fail "$name: exit $rc, expected $want; stderr: $(cat err.txt)"
    elif ! grep -q "^tessel: error: " err.txt; then
        fail "$name: no 'tessel: error: ' message on stderr: $(cat err.txt)"
    elif [[ -e $output ]]; then
        fail "$name: the output $output was written"
    elif [[ -n $before && "$(ls -A "$folder") " != "$before" ]]; then
        fail "$name: the folder $folder changed: $(ls -A "$folder" | tr '\n' ' ')"
    fi
}

# has NAME FILE PATTERN: FILE (out.txt or err.txt) must match the ERE.
has() {
    cases=$((cases + 1))
    grep -Eq -- "$3" "$2" || fail "$1: $2 does not match /$3/: $(head -c 600 "$2")"
}

# lacks NAME FILE PATTERN: FILE must not match the ERE.
lacks() {
    cases=$((cases + 1))
    ! grep -Eq -- "$3" "$2" || fail "$1: $2 matches /$3/: $(head -c 600 "$2")"
}

# checked NAME CHECK_ARGS...: cli_check CHECK_ARGS must pass.
checked() {
    local name=$1
    shift
    cases=$((cases + 1))
    "$check" "$@" 2>check.txt || fail "$name: $(cat check.txt)"
}

# fcase INPUT 'TESSEL OPTIONS' 'CHECK WORDS': filters INPUT into a new .npy
# and checks it. Options are split at spaces (no value holds one).
serial=0
fcase() {
    local input=$1 options=$2 words=$3
    serial=$((serial + 1))
    local output=f$serial.npy
    # shellcheck disable=SC2086
    ok "filter $input $options" filter "$input" $options -o "$output" || return
    # shellcheck disable=SC2086
    checked "filter $input $options" filter "$input" "$output" $words
}

make() {
    "$check" "$@" 2>check.txt || { echo "cannot make inputs: $(cat check.txt)" >&2; exit 2; }
}

photo=$source_dir/examples/data/astronaut.png
[[ -f $photo ]] || { echo "missing $photo" >&2; exit 2; }

# ------------------------------------------------------------------ inputs
make random g32.npy 41 29 1 f32 1
make random rgb8.npy 37 23 3 u8 2
make random rgba8.npy 30 20 4 u8 3
make random ga16.npy 19 31 2 u16 4
make random g8.npy 33 17 1 u8 5
make random k54.npy 5 4 1 f32 6
printf '0.5,-1,0.25\n1,2,-0.5\n' >k32.csv
printf '# a 2x3 matrix\n0.5 1\n-1 2\n0.25 0.75\n' >k23.txt
make series daily.csv 120 7

# ------------------------------------------------- help, version, commands
for c in filter signal kernels devices version; do
    ok "$c --help" "$c" --help && has "$c --help" out.txt "^Usage: tessel $c"
    [[ $c == version ]] || has "$c --help examples" out.txt "^Examples:"
    ok "help $c" help "$c" && has "help $c" out.txt "^Usage: tessel $c"
done
ok "--help" --help && has "--help lists commands" out.txt "filter .*signal|signal"
has "--help lists every command" out.txt "devices"
ok "version" version && has "version" out.txt "^tessel [0-9]+\.[0-9]+\.[0-9]+ \(library "
ok "--version" --version && has "--version" out.txt "^tessel [0-9]"
bad "no command" 2 none.npy
bad "unknown command" 2 none.npy transmogrify
has "unknown command named" err.txt "transmogrify"
bad "version with an argument" 2 none.npy version extra

# ---------------------------------------------------------------- kernels
ok "kernels" kernels
for name in identity box gaussian sobel laplacian log sharpen unsharp; do
    has "kernels lists $name" out.txt "^  $name:"
done
ok "kernels sobel:x" kernels sobel:x
has "sobel:x matrix" out.txt "^ +1 +0 +-1$"
has "sobel:x factors" out.txt "^separable: column \(3 taps\) x row \(3 taps\)"
has "sobel:x column" out.txt "column: 1 2 1$"
ok "kernels laplacian" kernels laplacian
has "laplacian" out.txt "^not separable"
ok "kernels file" kernels k32.csv
has "kernels file matrix" out.txt "^ +1 +2 +-0.5$"
bad "kernels unknown" 2 none.npy kernels nosuch:3
has "kernels unknown named" err.txt "nosuch"

# ---------------------------------------------------------------- devices
ok "devices" devices
has "devices: cpu" out.txt "^[* ] +cpu +cpu"
has "devices: auto marked" out.txt "^\* "
has "devices: auto line" out.txt "^auto picks: "
TESSEL_DEVICE=cpu ok "devices TESSEL_DEVICE=cpu" devices
has "devices TESSEL_DEVICE" out.txt "TESSEL_DEVICE=cpu"
bad "devices with an argument" 2 none.npy devices extra

# --------------------------------------- filter: modes x borders, channels
for input in g32.npy rgb8.npy rgba8.npy ga16.npy; do
    for mode in same full valid; do
        for border in reflect constant nearest mirror wrap; do
            fcase "$input" "-k box:4x3 --mode $mode --border $border" \
                "kernel=box:4x3 mode=$mode border=$border"
        done
    done
    fcase "$input" "-k k54.npy --correlate" "kernel=k54.npy correlate=1"
    fcase "$input" "-k k32.csv --stride 2 --mode full" "kernel=k32.csv stride=2 mode=full"
    fcase "$input" "-k k23.txt --stride 3,2" "kernel=k23.txt stride=3,2"
    fcase "$input" "-k sobel:x -k sobel:y" "kernel=sobel:x kernel=sobel:y"
    fcase "$input" "-k gaussian:sigma=1.2 --filter-alpha" "kernel=gaussian:sigma=1.2 filter-alpha=1"
done

# ------------------------------------------------- filter: each option
fcase g8.npy "-k box:4x2 --anchor 0,1 --border constant --cval 40" \
    "kernel=box:4x2 anchor=0,1 border=constant cval=40"
fcase rgba8.npy "-k box:4x2 --anchor 3,0 --stride 2" "kernel=box:4x2 anchor=3,0 stride=2"
fcase g8.npy "-k sobel:x --abs --scale 0.25 --offset 3" "kernel=sobel:x abs=1 scale=0.25 offset=3"
fcase g8.npy "-k sobel:x -k sobel:y --scale 0.5 --offset -2 --abs" \
    "kernel=sobel:x kernel=sobel:y scale=0.5 offset=-2 abs=1"
fcase g8.npy "-k laplacian --dtype f32" "kernel=laplacian dtype=f32"
fcase g8.npy "-k gaussian:sigma=2 --dtype u16 --scale 200" "kernel=gaussian:sigma=2 dtype=u16 scale=200"
fcase g32.npy "-k log:sigma=1.4 --dtype u8 --scale 100 --offset 128" \
    "kernel=log:sigma=1.4 dtype=u8 scale=100 offset=128"
fcase g32.npy "-k box:3 --dtype keep" "kernel=box:3"
fcase rgb8.npy "-k gaussian:sigma=1 --method direct" "kernel=gaussian:sigma=1 method=direct"
fcase rgb8.npy "-k gaussian:sigma=1 --method separable" "kernel=gaussian:sigma=1 method=separable"
fcase rgb8.npy "-k unsharp:sigma=2,amount=1.5 --method auto --threads 1" \
    "kernel=unsharp:sigma=2,amount=1.5"
fcase rgb8.npy "-k sharpen --device cpu" "kernel=sharpen"
fcase rgb8.npy "-k box:3 --border replicate" "kernel=box:3 border=nearest"
fcase rgb8.npy "-k box:4 --border reflect101" "kernel=box:4 border=mirror"
fcase rgb8.npy "-k box:4 --border=reflect_101 --mode=full" "kernel=box:4 border=mirror mode=full"
fcase g32.npy "--kernel=k54.npy --correlate --border wrap" "kernel=k54.npy correlate=1 border=wrap"
TESSEL_DEVICE=cpu fcase g8.npy "-k box:5" "kernel=box:5"
TESSEL_DEVICE=cpu fcase g8.npy "-k box:5 -q" "kernel=box:5"

ok "method separable on a dense kernel (reported)" filter g8.npy -k sobel:x -o sep.npy --method separable
bad "method separable on laplacian" 1 sep_l.npy filter g8.npy -k laplacian --method separable -o sep_l.npy
has "method separable message" err.txt "rank|separable"
# FFT: done and checked where the library has it, else a clear refusal.
run filter g32.npy -k gaussian:sigma=2 --method fft -o fft.npy
cases=$((cases + 1))
if ((rc == 0)); then
    checked "method fft" filter g32.npy fft.npy kernel=gaussian:sigma=2 method=fft
elif ((rc != 1)) || ! grep -qi "fft" err.txt || [[ -e fft.npy ]]; then
    fail "method fft: exit $rc without a clear message: $(cat err.txt)"
fi

# --device: the library judges it (a string it cannot read is a usage
# error, a device it cannot find a failure).
bad "device bogus" "1|2" dev.npy filter g8.npy -k box:3 --device bogus -o dev.npy
has "device bogus named" err.txt "--device"
TESSEL_DEVICE=bogus bad "TESSEL_DEVICE bogus" "1|2" dev.npy filter g8.npy -k box:3 -o dev.npy
has "TESSEL_DEVICE named" err.txt "TESSEL_DEVICE"
run filter g8.npy -k box:3 --device opencl -o dev_cl.npy
cases=$((cases + 1))
if ((rc == 0)); then
    [[ -f dev_cl.npy ]] || fail "device opencl: no output"
elif ! grep -q "^tessel: error: " err.txt || [[ -e dev_cl.npy ]]; then
    fail "device opencl: exit $rc without a message: $(cat err.txt)"
fi

# ------------------------------------------------------- verbose and quiet
ok "verbose" filter rgb8.npy -k gaussian:sigma=1 -o verbose.npy -v
has "verbose sizes" err.txt "\"rgb8.npy\": 37x23, 3 channels, u8 -> \"verbose.npy\": 37x23, u8"
has "verbose backend" err.txt "backend, device .*method separable \(.+\)"
has "verbose time" err.txt "plan new, [0-9.]+ ms"
mkdir -p reuse
cp g8.npy reuse/a.npy
cp g8.npy reuse/b.npy
cp rgb8.npy reuse/c.npy
cp g8.npy reuse/d.npy
ok "plan reuse" filter reuse/a.npy reuse/b.npy reuse/c.npy reuse/d.npy -k box:3 -o reused/ --verbose
[[ $(grep -Eo "plan (new|reused)" err.txt | tr '\n' ' ') == "plan new plan reused plan new plan new " ]] ||
    fail "plan reuse: $(grep -Eo "plan (new|reused)" err.txt | tr '\n' ' ')"
for f in a b c d; do checked "plan reuse $f" filter reuse/$f.npy reused/$f.npy kernel=box:3; done
ok "quiet batch" filter reuse/a.npy reuse/c.npy -k box:3 -o quiet/ -q
[[ -s err.txt ]] && fail "quiet batch printed: $(cat err.txt)"
ok "batch summary" filter reuse/a.npy reuse/c.npy -k box:3 -o summary/
has "batch summary" err.txt "^tessel: 2 files written in"

# ------------------------------------------------------------ progress bar
if command -v script >/dev/null; then
    cases=$((cases + 1))
    script -qec "'$tessel' filter reuse/a.npy reuse/b.npy reuse/c.npy -k box:3 -o tty/" \
        /dev/null >tty.txt 2>&1
    if ! grep -q "3/3" tty.txt || ! grep -q "ETA" tty.txt; then
        fail "progress bar on a terminal: $(cat -v tty.txt)"
    fi
    script -qec "'$tessel' filter reuse/a.npy reuse/b.npy -k box:3 -q -o tty_q/" \
        /dev/null >tty.txt 2>&1
    grep -q "ETA" tty.txt && fail "progress bar despite -q: $(cat -v tty.txt)"
    script -qec "'$tessel' filter reuse/a.npy -k box:3 -o tty_one.npy" /dev/null >tty.txt 2>&1
    grep -q "ETA" tty.txt && fail "progress bar for one input: $(cat -v tty.txt)"
else
    echo "note: no 'script' command, the progress bar on a terminal is not tested" >&2
fi
ok "no bar when stderr is a file" filter reuse/a.npy reuse/b.npy -k box:3 -o notty/
lacks "no bar when stderr is a file" err.txt "ETA"

# ------------------------------------------------ outputs: names, --force
ok "first write" filter g8.npy -k box:3 -o once.npy
cp once.npy once_copy.npy
bad "existing output" 1 none.npy filter g32.npy -k box:3 -o once.npy
has "existing output message" err.txt "exists.*--force"
checked "existing output untouched" same once.npy once_copy.npy
ok "--force" filter g32.npy -k box:5 -o once.npy --force
checked "--force overwrote" filter g32.npy once.npy kernel=box:5
ok "folder by slash" filter g8.npy -k box:3 -o byslash/
[[ -f byslash/g8.npy ]] || fail "folder by slash: no byslash/g8.npy"
ok "folder that exists" filter rgb8.npy -k box:3 -o byslash
[[ -f byslash/rgb8.npy ]] || fail "existing folder: no byslash/rgb8.npy"
ok "nested folder created" filter g8.npy rgb8.npy -k box:3 -o deep/er/folder
[[ -f deep/er/folder/rgb8.npy ]] || fail "nested folder: no deep/er/folder/rgb8.npy"
ok "--format in a folder" filter g8.npy rgb8.npy -k box:3 --format png -o asformat/
[[ -f asformat/g8.png && -f asformat/rgb8.png ]] || fail "--format: $(ls asformat)"
checked "--format png content" filter rgb8.npy asformat/rgb8.png kernel=box:3
mkdir -p one two
cp g8.npy one/same.npy
cp g32.npy two/same.npy
bad "two inputs, one name" 1 clash/none.npy filter one/same.npy two/same.npy -k box:3 -o clash/
has "two inputs, one name" err.txt "earlier input"
checked "two inputs, one name: first written" filter one/same.npy clash/same.npy kernel=box:3
bad "unwritable extension" 2 out.xyz filter g8.npy -k box:3 -o out.xyz
has "unwritable extension lists formats" err.txt "png"
ok "--format with an odd name" filter g8.npy -k box:3 --format npy -o odd.name
checked "--format with an odd name" filter g8.npy odd.name kernel=box:3

# ------------------------------------------ round trips through each format
roundtrip() { # NAME ARRAY EXT MAXDIFF [TESSEL OPTIONS]
    local name=$1 array=$2 ext=$3 maxdiff=$4
    shift 4
    ok "$name: write" filter "$array" -k identity -o "rt_$name.$ext" "$@" &&
        ok "$name: read" filter "rt_$name.$ext" -k identity -o "rt_$name.back.npy" &&
        checked "$name: samples" same "$array" "rt_$name.back.npy" maxdiff="$maxdiff"
}
make random rt_g8.npy 23 17 1 u8 11
make random rt_ga8.npy 23 17 2 u8 12
make random rt_rgb8.npy 23 17 3 u8 13
make random rt_rgba8.npy 23 17 4 u8 14
make random rt_g16.npy 23 17 1 u16 15
make random rt_rgb16.npy 23 17 3 u16 16
make random rt_g32.npy 23 17 1 f32 17
for c in g8 ga8 rgb8 rgba8 g16 rgb16; do roundtrip "png_$c" "rt_$c.npy" png 0; done
for c in g8 rgb8 rgba8; do roundtrip "tga_$c" "rt_$c.npy" tga 0; done
for c in rgb8 rgba8; do roundtrip "bmp_$c" "rt_$c.npy" bmp 0; done
for c in g8 rgb8 rgba8 g16 rgb16 g32; do roundtrip "npy_$c" "rt_$c.npy" npy 0; done
roundtrip csv_g32 rt_g32.npy csv 0
roundtrip csv_g8 rt_g8.npy csv 0
# JPEG is lossy: a smooth picture comes back within a few levels.
ok "jpeg source" filter "$photo" -k gaussian:sigma=6 --stride 4 -o smooth.npy
roundtrip jpeg_rgb smooth.npy jpg 10 --quality 95
ok "jpeg quality 10" filter smooth.npy -k identity -o q10.jpg --quality 10
cases=$((cases + 1))
if ! [[ -f q10.jpg && -f rt_jpeg_rgb.jpg ]] ||
    (($(stat -c %s q10.jpg) >= $(stat -c %s rt_jpeg_rgb.jpg))); then
    fail "--quality 10 is not smaller than 95"
fi
ok "jpeg extension" filter smooth.npy -k identity -o smooth.jpeg
# Reading the photograph itself (PNG) and a float result into an 8-bit file.
fcase "$photo" "-k gaussian:sigma=1.5 --stride 3" "kernel=gaussian:sigma=1.5 stride=3"
ok "float to png" filter g32.npy -k box:3 --scale 100 --offset 100 -o f2png.png
checked "float to png" filter g32.npy f2png.png kernel=box:3 scale=100 offset=100 dtype=u8
ok "pgm input" filter "$source_dir/examples/data/camera.pgm" -k box:3 --stride 4 -o cam.png
bad "pgm in a folder needs --format" 1 pgmdir/camera.pgm filter \
    "$source_dir/examples/data/camera.pgm" g8.npy -k box:3 -o pgmdir/
has "pgm needs --format" err.txt "camera.pgm.*--format"

# ---------------------------------------------------------------- signal
ok "signal by name" signal daily.csv --column temperature -k box:7x1 --border nearest -o avg.csv
checked "signal by name" signal daily.csv avg.csv column=temperature kernel=box:7x1 border=nearest
has "signal csv header" avg.csv "^value$"
ok "signal by index" signal daily.csv --column 2 -k gaussian:sigma=2,size=13x1 --mode full \
    --border constant -o rain.npy
checked "signal by index" signal daily.csv rain.npy column=2 kernel=gaussian:sigma=2,size=13x1 \
    mode=full border=constant
ok "signal npy input" signal rain.npy -k box:5x1 --border wrap -o rain2.csv
checked "signal npy input" signal rain.npy rain2.csv kernel=box:5x1 border=wrap
printf '0.2\n0.5\n0.3\n' >col.csv
ok "signal column kernel file" signal rain.npy -k col.csv --mode valid --stride 3 --correlate \
    -o rain3.csv
checked "signal column kernel file" signal rain.npy rain3.csv kernel=col.csv mode=valid stride=3 \
    correlate=1
ok "signal anchor cval method" signal daily.csv --column 1 -k box:4x1 --anchor 0 --border constant \
    --cval 10 --method direct --device cpu --threads 1 -o anchored.csv -v
checked "signal anchor" signal daily.csv anchored.csv column=1 kernel=box:4x1 anchor=0,0 \
    border=constant cval=10 method=direct
has "signal verbose" err.txt "120 samples.*backend"
ok "signal scale offset abs" signal daily.csv --column 1 -k col.csv --scale -2 --offset 5 --abs \
    -o sabs.csv
checked "signal scale offset abs" signal daily.csv sabs.csv column=1 kernel=col.csv scale=-2 \
    offset=5 abs=1
ok "signal --dtype" signal daily.csv --column 1 -k box:3x1 --dtype u8 -o s8.npy -q
[[ -s err.txt ]] && fail "signal -q printed: $(cat err.txt)"
checked "signal --dtype" signal daily.csv s8.npy column=1 kernel=box:3x1 dtype=u8
bad "signal existing output" 1 none.csv signal daily.csv -k box:3x1 -o avg.csv
ok "signal --force" signal daily.csv -k box:3x1 -o avg.csv --force
bad "signal 2-D kernel" 2 sig2d.csv signal daily.csv -k box:3 -o sig2d.csv
has "signal 2-D kernel" err.txt "1-D kernel"
bad "signal two inputs" 2 sig2.csv signal daily.csv daily.csv -k box:3x1 -o sig2.csv
bad "signal image output" 2 sig.png signal daily.csv -k box:3x1 -o sig.png
bad "signal unknown column" 1 nocol.csv signal daily.csv --column nosuch -k box:3x1 -o nocol.csv
bad "signal --filter-alpha" 2 sfa.csv signal daily.csv -k box:3x1 --filter-alpha -o sfa.csv
bad "signal valid, kernel too long" 1 long.csv signal col.csv -k box:9x1 --mode valid -o long.csv

# ------------------------------------------------ usage errors (exit 2)
bad "no kernel" 2 u.npy filter g8.npy -o u.npy
has "no kernel" err.txt "-k"
bad "no output" 2 u.npy filter g8.npy -k box:3
bad "no input" 2 u.npy filter -k box:3 -o u.npy
bad "unknown option" 2 u.npy filter g8.npy -k box:3 -o u.npy --blur
has "unknown option named" err.txt "--blur"
bad "missing value" 2 u.npy filter g8.npy -o u.npy -k
bad "flag with a value" 2 u.npy filter g8.npy -k box:3 -o u.npy --abs=1
bad "option of another command" 2 u.npy filter g8.npy -k box:3 -o u.npy --column 2
bad "unknown kernel" 2 u.npy filter g8.npy -k nosuch -o u.npy
has "unknown kernel named" err.txt "nosuch"
bad "bad kernel parameter" 2 u.npy filter g8.npy -k gaussian:sigma=-1 -o u.npy
bad "unknown border" 2 u.npy filter g8.npy -k box:3 --border sideways -o u.npy
has "unknown border lists" err.txt "--border.*sideways.*constant, nearest, reflect, mirror, wrap"
bad "unknown mode" 2 u.npy filter g8.npy -k box:3 --mode half -o u.npy
has "unknown mode lists" err.txt "same, full, valid"
bad "unknown method" 2 u.npy filter g8.npy -k box:3 --method magic -o u.npy
bad "unknown dtype" 2 u.npy filter g8.npy -k box:3 --dtype f64 -o u.npy
has "unknown dtype lists" err.txt "keep, u8, u16, f32"
bad "unknown format" 2 u.npy filter g8.npy -k box:3 --format webp -o u.npy
bad "stride 0" 2 u.npy filter g8.npy -k box:3 --stride 0 -o u.npy
has "stride 0 named" err.txt "--stride"
bad "stride 2,0" 2 u.npy filter g8.npy -k box:3 --stride 2,0 -o u.npy
bad "stride text" 2 u.npy filter g8.npy -k box:3 --stride two -o u.npy
bad "anchor outside" 2 u.npy filter g8.npy -k box:3 --anchor 3,0 -o u.npy
bad "anchor in full mode" 2 u.npy filter g8.npy -k box:3 --anchor 1,1 --mode full -o u.npy
bad "cval not a number" 2 u.npy filter g8.npy -k box:3 --cval x -o u.npy
bad "cval nan" 2 u.npy filter g8.npy -k box:3 --cval nan -o u.npy
bad "scale 0" 2 u.npy filter g8.npy -k box:3 --scale 0 -o u.npy
bad "threads 0" 2 u.npy filter g8.npy -k box:3 --threads 0 -o u.npy
bad "quality 101" 2 u.jpg filter g8.npy -k box:3 --quality 101 -o u.jpg
bad "magnitude of different sizes" 2 u.npy filter g8.npy -k box:3 -k box:5 -o u.npy

# ------------------------------------------ bad files (exit 1, no output)
head -c 300 "$photo" >truncated.png
make noise random.png 4000 21
make noise random.npy 4000 22
make lying-npy lying.npy
make nan-kernel nan_kernel.npy
printf '0.25,0.5,0.25\n1,nan,-1\n' >nan_kernel.csv
printf '0.25 0.5\nNaN 1\n' >nan_kernel.txt
touch somefile
make random tiny.npy 3 4 1 f32 23
bad "missing file" 1 missing.npy filter nothere.png -k box:3 -o missing.npy
has "missing file named" err.txt "nothere.png"
bad "truncated png" 1 trunc.npy filter truncated.png -k box:3 -o trunc.npy
has "truncated png named" err.txt "truncated.png"
bad "random bytes .png" 1 rnd.npy filter random.png -k box:3 -o rnd.npy
has "random bytes named" err.txt "random.png"
bad "random bytes .npy" 1 rnd2.npy filter random.npy -k box:3 -o rnd2.npy
bad "lying npy" 1 lie.npy filter lying.npy -k box:3 -o lie.npy
has "lying npy named" err.txt "lying.npy"
bad "lying npy as a signal" 1 lie.csv signal lying.npy -k box:3x1 -o lie.csv
bad "lying npy as a kernel" 2 lie2.npy filter g8.npy -k lying.npy -o lie2.npy
for f in nan_kernel.npy nan_kernel.csv nan_kernel.txt; do
    bad "NaN in $f" 2 nan.npy filter g8.npy -k "$f" -o nan.npy
    has "NaN in $f named" err.txt "$f.*NaN"
done
bad "missing kernel file" 2 nk.npy filter g8.npy -k nothere.csv -o nk.npy
bad "valid, kernel larger than the image" 1 big.npy filter tiny.npy -k box:5 --mode valid -o big.npy
has "valid, kernel larger" err.txt "tiny.npy.*larger"
bad "unwritable folder" 1 somefile/out/g8.npy filter g8.npy rgb8.npy -k box:3 -o somefile/out/
has "unwritable folder named" err.txt "somefile/out"
bad "unwritable file path" 1 somefile/out.npy filter g8.npy -k box:3 -o somefile/out.npy
has "unwritable file path named" err.txt "somefile/out.npy"
bad "signal unwritable" 1 somefile/s.csv signal daily.csv -k box:3x1 -o somefile/s.csv
bad "signal missing file" 1 sm.csv signal nothere.csv -k box:3x1 -o sm.csv

# --------------------------- batch: one bad file among good ones goes on
mkdir -p batch
cp g8.npy batch/a.npy
cp rgb8.npy batch/b.npy
cp random.npy batch/c.npy
cp rgba8.npy batch/d.npy
bad "batch with a bad file" 1 batch_out/c.npy filter batch/a.npy batch/b.npy batch/c.npy \
    batch/d.npy -k gaussian:sigma=1 -o batch_out/
has "batch names the bad file" err.txt "\"batch/c.npy\""
has "batch summary" err.txt "^tessel: 1 of 4 files failed, 3 written"
for f in a b d; do
    checked "batch good $f written" filter batch/$f.npy batch_out/$f.npy kernel=gaussian:sigma=1
done

echo "test_cli: $cases checks, $failures failed"
if ((failures == 0)); then
    cd / && rm -rf "$scratch"
fi
exit $((failures > 100 ? 100 : failures))
