-- flopledger ledger, schema version 1. One row per report file (by content hash) and one per
-- measured case. The report files stay the record; these rows index them and keep their numbers.
CREATE TABLE ledger_schema (
    version    INTEGER PRIMARY KEY,
    applied_at TEXT NOT NULL
);
CREATE TABLE reports (
    id                    INTEGER PRIMARY KEY,
    -- SHA-256 of the file's bytes: the same report twice is one entry.
    content_sha256        TEXT NOT NULL UNIQUE,
    -- One run rewrites its report after every case; the most complete version is kept.
    run_key               TEXT NOT NULL UNIQUE,
    path                  TEXT NOT NULL,
    ingested_at           TEXT NOT NULL,
    report_schema_version INTEGER NOT NULL,
    tool_version          TEXT NOT NULL,
    started_at            TEXT NOT NULL,
    complete              INTEGER NOT NULL,
    cases_measured        INTEGER NOT NULL,
    hostname              TEXT,
    -- The scheduler's node name, else the host name.
    node                  TEXT NOT NULL,
    adapter_name          TEXT NOT NULL,
    adapter_index         INTEGER NOT NULL,
    backend               TEXT NOT NULL,
    driver                TEXT,
    gpu_uuid              TEXT,
    pci_bus_id            TEXT,
    -- The GPU: UUID, else node + PCI bus id, else node + adapter index.
    gpu_key               TEXT NOT NULL,
    -- Catalog chip the run matched, else the adapter name.
    chip                  TEXT NOT NULL,
    power_limit_w         REAL,
    scheduler             TEXT,
    job_id                TEXT,
    task_id               TEXT,
    local_id              TEXT
);
CREATE INDEX reports_gpu ON reports (gpu_key, started_at);
CREATE INDEX reports_node ON reports (node);
CREATE INDEX reports_job ON reports (job_id);
CREATE INDEX reports_chip ON reports (chip);
CREATE INDEX reports_started ON reports (started_at);
CREATE TABLE cases (
    report_id      INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    case_id        TEXT NOT NULL,
    workload       TEXT NOT NULL,
    dtype          TEXT NOT NULL,
    verified       INTEGER NOT NULL,
    median_ns      REAL NOT NULL,
    min_ns         REAL NOT NULL,
    flop_per_s     REAL NOT NULL,
    bytes_per_s    REAL NOT NULL,
    flop_per_j     REAL,
    energy_grade   TEXT,
    PRIMARY KEY (report_id, case_id)
) WITHOUT ROWID;
CREATE INDEX cases_case ON cases (case_id);
