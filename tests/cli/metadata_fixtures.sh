#!/usr/bin/env bash
# Stock plugin `metadata` on small hand-written pages (our own words, shaped
# like scraped news): headline, publication date against a "today" banner,
# event date, dateline, agencies, outlet, byline, metadata given at ingest,
# and the `date` layer.  Exact values are checked field by field.
source "$(dirname "$0")/lib/common.bash"

mkdir -p "$TMP/pages"
cd "$TMP/pages"

# A page saved months after the story: weekday banner, Published line, dateline with agency.
cat >harbour.txt <<'TXT'
Skip to main content
The Lantern Gazette
News | World | Sport
Saturday, 9 November 2024
World | Islands

Ferry strike ends as crews accept new pay offer

Union leaders say the deal covers every route in the archipelago.

By Nora Pell, Transport Correspondent
Published 14 February 2024, 07:30 GMT

Crews return to the quay at Port Mallow on Tuesday. / RPA PHOTO / JON ELD

PORT MALLOW, Islands (RPA) — Ferry crews voted on Tuesday to accept a new pay offer, ending a strike that had stranded thousands of islanders since January, their union said.

The vote was 412 to 87, the union said.

With reporting by Alis Brann in Port Mallow

© 2024 Lantern Gazette Media Ltd. All rights reserved.
TXT

# A page whose only date line is the day it was saved, years after the story.
cat >saved.txt <<'TXT'
Wednesday, 6th March 2024
To lanternpost.ng
Search

Rivals agree to reopen the mountain border crossing

Officials of both countries met for a second day on Friday to settle the last details.
Officials shake hands at the crossing, on June 10, 2016. / AFP PHOTO / KAI MORR

Officials of both countries met for a second day on Friday to settle the last details.

The crossing has been closed since 2012, when a dispute over customs duties flared.
TXT

# No date line at all: the year follows from the age of the war and the year it began.
cat >war.txt <<'TXT'
Accessibility links
Breaking News

Envoys Discuss Prisoner Exchange To End Long Siege

Envoys met behind closed doors to discuss an exchange of prisoners.

The envoy said on June 3 that the six-year war had reached "a turning point", and that talks would resume within weeks.

The war began in April 2014 after the collapse of a ceasefire.

With reporting by AFP and Reuters
TXT

# Timestamp banner, leap day without a year, colon dateline, agency line.
cat >quake.txt <<'TXT'
icon menuicon searchicon shareicon closeicon usericon bellicon hearticon playicon pauseicon printicon
Northern Wire
1 Mar, 2024 09:12

Aftershocks rattle the coast a day after strong quake

VELMO: Strong aftershocks shook the coast on Friday morning, a day after the earthquake of February 29 damaged the harbour, the coast guard said.

Rescue teams searched the old town through the night.

Northern Wire with GNS
Follow Northern Wire on Telegram
TXT

# Spanish page furniture: weekday banner, d/m/y Publicado line, hyphen dateline, credit with "con información de".
cat >lluvias.txt <<'TXT'
Ir al contenido
Diario del Valle
martes, 2 de julio de 2024

River bursts its banks in the lower valley

Por Redacción DV | con información de APX
Publicado: 04/03/2024 - 08:30 | Actualizado: 04/03/2024 - 13:05

SAN ROQUE - The river burst its banks on Sunday night, flooding the lower town, the mayor said.

Hundreds of people spent the night in the sports hall.

Descarga la app de Diario del Valle
TXT

# A story whose lead names an older event first, then the day of the news.
cat >toll.txt <<'TXT'
Radio Meridian
Listen Live | Languages | Search

Landslide Toll Passes 40 As Rescuers Reach Cut-Off Villages

By Radio Meridian's Hill Service
April 05, 2024 16:40 GMT

The landslide that buried part of Tarvo on April 1 has killed at least 40 people, the interior ministry said on Friday.

Rescuers reached the last cut-off villages on Thursday, officials told Radio Meridian.
TXT

# A topic label above the headline; only an Updated line.
cat >label.txt <<'TXT'
Home | News | World
Westland harbour dispute
Dockers and port owners trade blame as harbour dispute drags on
The two sides met again without agreement, the mediator said.
By Ivo Marten
Updated 7 May 2013, 16:15 GMT

KELMORE, Westland – Dockers and port owners blamed each other on Tuesday for the failure of a fourth round of talks in the harbour dispute, now in its third week.

The mediator said the next round would be held in June.
TXT

# Month-first written dates make 05/09/2013 read as May 9.
cat >prairie.txt <<'TXT'
The Prairie Ledger
Grain silo fire contained after two days
Posted 05/09/2013 10:20 am

A fire at the county grain silo was contained on May 8, 2013, the fire chief said on Wednesday.

Nobody was hurt, he said.
TXT

# A capitalised place needs its agency; a timestamp with PM.
cat >radar.txt <<'TXT'
Port authority lifts ban on night shipping
By Lena Ostrova
4 min read
March 3, 2024 9:12 PM GMT

Kelmore (Reuters) - The port authority lifted a ban on night shipping on Sunday after new radar equipment was installed, officials said.

Kelmore, a city of 40,000 - the region's largest port - reopened its south quay last year.
TXT

cat >feed.jsonl <<'TXT'
{"id": "wire-1", "source": "The Coast Ledger", "title": "Storm closes ports along the coast", "published": "2024-03-19T18:05:00+01:00", "text": "ARMONT, Coastland (MPA) \u2014 Ports along the coast closed on Monday as a storm approached, port officials said.\n\nShips were told to stay at anchor.\n"}
{"id": "wire-2", "text": "Storm closes ports along the coast\n\nPorts along the coast closed on Monday as a storm approached, port officials said.\n"}
TXT

cd "$TMP"
run 0 "$LEDE" -q ingest pages
run 0 "$LEDE" -q run metadata

# expect NAME KEY JSONPATH WANT: queues a check of one meta field of
# article KEY (a string as it is, anything else as compact JSON, null as
# nothing); verify_fields runs them all with one python3.
: >"$TMP/expect.tsv"
expect() {
    printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$TMP/expect.tsv"
}
verify_fields() {
    "$LEDE" sql --format json "SELECT a.key AS key, an.attrs AS attrs FROM annotation an JOIN article a ON a.id = an.article_id WHERE an.layer = 'meta'" >"$TMP/meta.json"
    python3 - "$TMP/meta.json" "$TMP/expect.tsv" >"$TMP/got.tsv" <<'PY'
import json, re, sys
records = {r["key"]: json.loads(r["attrs"]) for r in json.load(open(sys.argv[1]))}
for line in open(sys.argv[2], encoding="utf-8"):
    name, key, path, want = line.rstrip("\n").split("\t")
    v = records.get(key)
    for part in re.findall(r"\.(\w+)|\[(\d+)\]", path):
        if v is None:
            break
        v = v.get(part[0]) if part[0] else (v[int(part[1])] if int(part[1]) < len(v) else None)
    got = "" if v is None else v if isinstance(v, str) else json.dumps(v, separators=(",", ":"), ensure_ascii=False)
    print(f"{name}\t{got}\t{want}")
PY
    while IFS=$'\t' read -r name got want; do
        same "$name" "$got" "$want"
    done <"$TMP/got.tsv"
}

expect "harbour title" harbour.txt '$.title' "Ferry strike ends as crews accept new pay offer"
expect "harbour published" harbour.txt '$.published' "2024-02-14"
expect "harbour published why" harbour.txt '$.published_why' "labelled as the publication date"
expect "harbour event" harbour.txt '$.event_date' "2024-02-13"
expect "harbour dateline" harbour.txt '$.dateline' "PORT MALLOW, Islands"
expect "harbour agency" harbour.txt '$.agency' '["RPA"]'
expect "harbour outlet" harbour.txt '$.outlet' "The Lantern Gazette"
expect "harbour byline" harbour.txt '$.byline' "Nora Pell, Transport Correspondent"
expect "harbour sources" harbour.txt '$.sources.published' "text"
expect "harbour banner note" harbour.txt '$.notes[0]' "'Saturday, 9 November 2024' set aside as the page's own date: nothing in the story confirms it"

expect "saved title" saved.txt '$.title' "Rivals agree to reopen the mountain border crossing"
expect "saved published" saved.txt '$.published' ""
expect "saved event" saved.txt '$.event_date' "2016-06-10"
expect "saved outlet" saved.txt '$.outlet' "lanternpost.ng"
expect "saved agency" saved.txt '$.agency' "[]"
expect "saved reference" saved.txt '$.reference.date' "2016-06-10"
expect "saved note" saved.txt '$.notes[0]' "'Wednesday, 6th March 2024' set aside as the page's own date: the story's dates are more than a year older"

expect "war title" war.txt '$.title' "Envoys Discuss Prisoner Exchange To End Long Siege"
expect "war event" war.txt '$.event_date' "2020-06-03"
expect "war not_before" war.txt '$.reference.not_before' "2020-04-01"
expect "war agency" war.txt '$.agency' '["AFP","Reuters"]'
expect "war dateline" war.txt '$.dateline' ""
expect "war outlet" war.txt '$.outlet' ""

expect "quake title" quake.txt '$.title' "Aftershocks rattle the coast a day after strong quake"
expect "quake published" quake.txt '$.published' "2024-03-01"
expect "quake event (first dated, not earliest)" quake.txt '$.event_date' "2024-03-01"
expect "quake dateline" quake.txt '$.dateline' "VELMO"
expect "quake agency" quake.txt '$.agency' '["GNS"]'
expect "quake outlet" quake.txt '$.outlet' "Northern Wire"

expect "lluvias published (d/m/y)" lluvias.txt '$.published' "2024-03-04"
expect "lluvias event" lluvias.txt '$.event_date' "2024-03-03"
expect "lluvias dateline" lluvias.txt '$.dateline' "SAN ROQUE"
expect "lluvias agency" lluvias.txt '$.agency' '["APX"]'
expect "lluvias outlet" lluvias.txt '$.outlet' "Diario del Valle"
expect "lluvias byline" lluvias.txt '$.byline' "Redacción DV"

expect "toll published" toll.txt '$.published' "2024-04-05"
expect "toll event (news day, not the older event)" toll.txt '$.event_date' "2024-04-05"
expect "toll outlet" toll.txt '$.outlet' "Radio Meridian"
expect "toll title" toll.txt '$.title' "Landslide Toll Passes 40 As Rescuers Reach Cut-Off Villages"

expect "label title" label.txt '$.title' "Dockers and port owners trade blame as harbour dispute drags on"
expect "label published" label.txt '$.published' "2013-05-07"
expect "label published why" label.txt '$.published_why' "labelled as an update (no publication label)"
expect "label event" label.txt '$.event_date' "2013-05-07"
expect "label dateline" label.txt '$.dateline' "KELMORE, Westland"

expect "prairie title" prairie.txt '$.title' "Grain silo fire contained after two days"
expect "prairie published (m/d/y)" prairie.txt '$.published' "2013-05-09"
expect "prairie event" prairie.txt '$.event_date' "2013-05-08"
expect "prairie outlet" prairie.txt '$.outlet' ""

expect "radar published" radar.txt '$.published' "2024-03-03"
expect "radar event" radar.txt '$.event_date' "2024-03-03"
expect "radar dateline" radar.txt '$.dateline' "Kelmore"
expect "radar agency" radar.txt '$.agency' '["Reuters"]'
expect "radar byline" radar.txt '$.byline' "Lena Ostrova"

# Metadata given at ingest wins; the text fills the rest.
expect "wire-1 title" wire-1 '$.title' "Storm closes ports along the coast"
expect "wire-1 published" wire-1 '$.published' "2024-03-19"
expect "wire-1 outlet" wire-1 '$.outlet' "The Coast Ledger"
expect "wire-1 sources" wire-1 '$.sources' '{"agency":"text","dateline":"text","event_date":"text","outlet":"ingest","published":"ingest","title":"ingest"}'
expect "wire-1 event" wire-1 '$.event_date' "2024-03-18"
expect "wire-1 dateline" wire-1 '$.dateline' "ARMONT, Coastland"
expect "wire-2 title from the text" wire-2 '$.title' "Storm closes ports along the coast"
expect "wire-2 title source" wire-2 '$.sources.title' "text: first headline-shaped line whose words recur in the story"

verify_fields

# One record per article, anchored on the headline.
same "meta records" "$("$LEDE" sql --format csv "SELECT count(*) FROM annotation WHERE layer = 'meta'" | sed -n 2p)" "11"
same "meta span" "$("$LEDE" sql --format csv "SELECT substr(a.text, an.start + 1, an.\"end\" - an.start) FROM annotation an JOIN article a ON a.id = an.article_id WHERE an.layer = 'meta' AND a.key = 'toll.txt'" | sed -n 2p)" \
    "Landslide Toll Passes 40 As Rescuers Reach Cut-Off Villages"

# The date layer: every resolved mention, with its ISO date and precision.
"$LEDE" export --layer date --article harbour.txt --format csv >"$TMP/dates.csv"
contains "$TMP/dates.csv" '^harbour.txt,[0-9]+,[0-9]+,"?Saturday, 9 November 2024"?,2024-11-09,day,false,false,1'
contains "$TMP/dates.csv" '^harbour.txt,[0-9]+,[0-9]+,Tuesday,2024-02-13,day,true,false,0.8'
contains "$TMP/dates.csv" '^harbour.txt,[0-9]+,[0-9]+,January,2024-01,month,false,true,0.6'
same "war date layer" "$("$LEDE" export --layer date --article war.txt --format csv | cut -d, -f4-6 | tr '\n' ';')" \
    "text,iso,precision;June 3,2020-06-03,day;April 2014,2014-04,month;"

finish
