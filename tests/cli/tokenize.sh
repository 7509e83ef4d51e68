#!/usr/bin/env bash
# lede tokenize: golden tokens and sentences of a fixed text, offsets that
# point at the token text, pieces of a large input that join seamlessly.
source "$(dirname "$0")/lib/common.bash"

input=$FIXTURES/tokenize.txt
run 0 "$LEDE" tokenize <"$input"
golden tokenize.tsv <"$TMP/out"
cp "$TMP/out" "$TMP/tokens"
run 0 "$LEDE" tokenize --sentences <"$input"
golden tokenize-sentences.txt <"$TMP/out"
run 0 "$LEDE" tokenize --lang en --sentences <"$input"
golden tokenize-sentences.txt <"$TMP/out"

# Five tab-separated fields, and START..END of clean NFC input is the token text.
python3 - "$input" "$TMP/tokens" <<'PY' || fail "token offsets do not match the input"
import sys
text = open(sys.argv[1], "rb").read()
kinds = {"word", "number", "punct", "open_quote", "close_quote", "ambig_quote", "dash",
         "symbol", "url", "email", "hashtag", "mention"}
last = 0
for n, line in enumerate(open(sys.argv[2], "rb").read().split(b"\n")[:-1], 1):
    f = line.split(b"\t")
    assert len(f) == 5, f"line {n}: {len(f)} fields"
    start, end = int(f[0]), int(f[1])
    assert last <= start < end, f"line {n}: offsets {start} {end} after {last}"
    assert text[start:end] == f[4], f"line {n}: {text[start:end]!r} != {f[4]!r}"
    assert f[2].decode() in kinds, f"line {n}: kind {f[2]!r}"
    last = end
PY

# Empty input: no output.  No final newline: the last line still counts.
run 0 "$LEDE" tokenize </dev/null
[[ ! -s $TMP/out ]] || fail "tokenize of empty input printed something"
printf 'No newline at the end' | "$LEDE" tokenize --sentences >"$TMP/out" || fail "tokenize without a final newline"
same "sentence without a final newline" "$(cat "$TMP/out")" "No newline at the end"

# Invalid UTF-8 is repaired, not fatal.
printf 'caf\xe9 au lait\n' | "$LEDE" tokenize >"$TMP/out" || fail "tokenize of invalid UTF-8 failed"
contains "$TMP/out" $'\t\xef\xbf\xbd$'
contains "$TMP/out" $'\tlait$'

# A large input is analysed in pieces of whole lines: the tokens of many
# copies are the tokens of one copy, shifted by its length each time.
python3 -c '
import sys
one = open(sys.argv[1], "rb").read()
sys.stdout.buffer.write(one * 9000)' "$input" >"$TMP/big.txt"
"$LEDE" tokenize <"$TMP/big.txt" >"$TMP/big.tsv" || fail "tokenize of a large input failed"
python3 - "$input" "$TMP/tokens" "$TMP/big.tsv" <<'PY' || fail "tokens of a large input differ from those of its parts"
import sys
size = len(open(sys.argv[1], "rb").read())
one = [l.split(b"\t") for l in open(sys.argv[2], "rb").read().split(b"\n")[:-1]]
big = open(sys.argv[3], "rb").read().split(b"\n")[:-1]
assert len(big) == 9000 * len(one), f"{len(big)} tokens, want {9000 * len(one)}"
for i, line in enumerate(big):
    copy, k = divmod(i, len(one))
    f = one[k]
    want = b"\t".join([str(int(f[0]) + copy * size).encode(), str(int(f[1]) + copy * size).encode()] + f[2:])
    assert line == want, f"token {i}: {line!r} != {want!r}"
PY

# A closed pipe ends the job without an error message.
{ "$LEDE" tokenize <"$TMP/big.txt" 2>"$TMP/err" || true; } | head -1 >/dev/null
lacks "$TMP/err" 'error'

finish
