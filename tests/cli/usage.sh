#!/usr/bin/env bash
# lede's help, version, command table and usage errors (exit status 2).
source "$(dirname "$0")/lib/common.bash"

run 0 "$LEDE" --version
contains "$TMP/out" '^lede [0-9]+\.[0-9]+\.[0-9]+$'
contains "$TMP/out" '^sqlite [0-9.]+, utf8proc [0-9.]+, jansson [0-9.]+$'

run 0 "$LEDE" --help
contains "$TMP/out" '^usage: lede '
contains "$TMP/out" '^exit codes: '
cp "$TMP/out" "$TMP/help"
run 0 "$LEDE" help
cmp -s "$TMP/out" "$TMP/help" || fail "'lede help' differs from 'lede --help'"

# Every command of the table has a help that starts with its usage line, the
# same whichever way it is asked for.
commands=$(sed -n '/^commands:$/,/^$/p' "$TMP/help" | awk 'NF > 1 { print $1 }')
for required in ingest ls stats show search sql tokenize; do
    grep -qx "$required" <<<"$commands" || fail "'lede --help' does not list $required"
done
for cmd in $commands; do
    [[ $cmd == help ]] && continue
    run 0 "$LEDE" help "$cmd"
    contains "$TMP/out" "^usage: lede $cmd"
    cp "$TMP/out" "$TMP/help.$cmd"
    for flag in --help -h; do
        run 0 "$LEDE" "$cmd" "$flag"
        cmp -s "$TMP/out" "$TMP/help.$cmd" || fail "'lede $cmd $flag' differs from 'lede help $cmd'"
    done
    # --help wins over a missing database and other arguments.
    run 0 "$LEDE" --db "$TMP/none.db" "$cmd" --help
    [[ ! -e $TMP/none.db ]] || fail "'lede $cmd --help' created a database"
done

run 2 "$LEDE"
contains "$TMP/err" '^usage: lede '
run 2 "$LEDE" frobnicate
contains "$TMP/err" "no command 'frobnicate'"
run 2 "$LEDE" help frobnicate
run 2 "$LEDE" --frobnicate ls
contains "$TMP/err" 'unknown option --frobnicate'
run 2 "$LEDE" --db
run 2 "$LEDE" ls --bogus
contains "$TMP/err" '^lede ls: unknown option --bogus'
run 2 "$LEDE" ls -z
run 2 "$LEDE" ls --format xml
contains "$TMP/err" 'table\|json\|jsonl\|csv'
run 2 "$LEDE" ls --limit many
run 2 "$LEDE" ls --limit=-1
run 2 "$LEDE" ls --limit
contains "$TMP/err" 'needs a value'
run 2 "$LEDE" ls --source=a extra
run 2 "$LEDE" ingest
run 2 "$LEDE" ingest --batch 0 x
run 2 "$LEDE" ingest --strict=yes x
contains "$TMP/err" 'takes no value'
run 2 "$LEDE" show
run 2 "$LEDE" show a b
run 2 "$LEDE" search
run 2 "$LEDE" tokenize extra
run 2 "$LEDE" stats --format csv
[[ ! -e $LEDE_DB ]] || fail "a usage error created the database"

# Read-only commands never create a database.
for cmd in ls stats "show x" "search x" "sql SELECT 1"; do
    run 3 "$LEDE" --db "$TMP/none.db" $cmd
    contains "$TMP/err" "^lede: error: no database at $TMP/none.db"
done
[[ ! -e $TMP/none.db ]] || fail "a read-only command created a database"

# Global options work after the command too, and LEDE_DB is the default.
LEDE_DB=$TMP/none.db run 3 "$LEDE" ls
contains "$TMP/err" "none\.db"
run 3 "$LEDE" ls --db "$TMP/other.db"
contains "$TMP/err" "other\.db"
run 3 "$LEDE" ls --db="$TMP/other.db" -q

# A file that is not a database.
echo "not a database, just text" >"$TMP/junk.db"
run 3 "$LEDE" --db "$TMP/junk.db" ls
contains "$TMP/err" '^lede: error: '
run 3 "$LEDE" --db "$TMP/junk.db" sql 'SELECT 1'

finish
