/* Reported clauses of the quote extractor: the indirect quotes of a
 * paragraph's cue events ("X said (that) CLAUSE", "CLAUSE, X said.",
 * "according to X, CLAUSE", "X urged Y to DO"), each clause bounded by the
 * sentence or by the next attribution coordinated with it. */
#ifndef LEDE_QUOTECLAUSE_H
#define LEDE_QUOTECLAUSE_H

#include "quoteart.h"

/* Finds the reported clauses of the n events of block b (events the
 * block's quotes claimed report none) and records them as indirect
 * quotes; sets each event's clause [cl_a, cl_z]. */
void qcl_indirect(article *ar, const block *b, event *events, int n);

#endif
