-- flopledger ledger, schema version 2. The fleet report reads every case's results in (case,
-- report) order: this covering index holds them in that order with the columns the report
-- needs, so the read neither looks up the table row by row nor sorts (0.8 s of SQLite sorting
-- for 320,000 results otherwise). It replaces v1's narrower index on case_id, whose work (a
-- `ledger list --case` lookup) its leading columns still do.
DROP INDEX cases_case;
CREATE INDEX cases_by_case ON cases (
    case_id, report_id, verified, flop_per_s, bytes_per_s, flop_per_j, energy_grade, workload,
    dtype
);
