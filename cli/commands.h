/* The table of `lede` commands, one line each: CLI_COMMAND(name, one-line summary).
 * Adding a command is a line here and a file cli/cmd_<name>.c defining
 * cli_run_<name> and cli_usage_<name>.  Included by cli.h and main.c with
 * their own definition of CLI_COMMAND, hence no include guard. */
CLI_COMMAND(ingest, "add text files, directories, JSON Lines or stdin to the database")
CLI_COMMAND(ls, "list articles")
CLI_COMMAND(stats, "summarise the database: articles, sources, sizes, layers, runs")
CLI_COMMAND(show, "show one article: metadata, blocks, sentences, tokens")
CLI_COMMAND(search, "full-text search with ranked snippets")
CLI_COMMAND(sql, "run one read-only SQL statement")
CLI_COMMAND(tokenize, "split stdin into tokens or sentences")
CLI_COMMAND(eval, "score annotation layers against gold files")
CLI_COMMAND(run, "run analysis plugins over the articles (incremental, parallel)")
CLI_COMMAND(analyze, "ingest, then run the plugins, in one step")
CLI_COMMAND(plugins, "list the plugins lede can run, their layers and options")
CLI_COMMAND(export, "write the spans of one layer as JSON Lines, JSON or CSV")
CLI_COMMAND(figures, "list casualty figures, or the tolls tracked across articles (--timeline)")
CLI_COMMAND(quotes, "list quotes with their speakers, kinds and cues (stock plugin quotes)")
CLI_COMMAND(speakers, "list canonical speakers with quote counts, spellings and roles")
CLI_COMMAND(test, "run Lua test files of plugins (assertions, plugins on in-memory articles)")
CLI_COMMAND(stream, "analyse JSON Lines articles from stdin to JSON Lines spans on stdout, no database")
