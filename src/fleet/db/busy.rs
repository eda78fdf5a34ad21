//! Waiting for another process's lock on the ledger, and saying so. SQLite's own busy timeout
//! waits without a word: a `ledger add` behind another process's long write sat silent for up
//! to a minute before its exit-3 message (a helper's sweep of 7 December 2026).

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// After this long behind a lock, the wait is said on stderr (once per wait).
pub(super) const ANNOUNCE_AFTER: Duration = Duration::from_secs(2);

/// The wait of the connection whose statement is busy on this thread: SQLite's busy handler
/// is a plain function (no state of its own), and it runs on the thread of the statement.
struct Wait {
    path: PathBuf,
    limit: Duration,
    since: Option<Instant>,
    announced: bool,
}

thread_local! {
    static WAIT: RefCell<Option<Wait>> = const { RefCell::new(None) };
}

/// Makes `conn` wait up to `limit` for another process's lock on the ledger at `path`, saying
/// so on stderr once the wait passes [`ANNOUNCE_AFTER`]. The last connection set on a thread
/// names the path and limit of every wait on that thread (a command opens one ledger).
pub(super) fn wait_for_locks(
    conn: &rusqlite::Connection,
    path: &Path,
    limit: Duration,
) -> rusqlite::Result<()> {
    WAIT.with(|w| {
        *w.borrow_mut() = Some(Wait {
            path: path.to_path_buf(),
            limit,
            since: None,
            announced: false,
        })
    });
    conn.busy_handler(Some(busy))
}

/// SQLite's busy handler: `count` is the number of times it was called for this wait (0 on a
/// new one). Sleeps a little and asks SQLite to try again until the limit is reached.
fn busy(count: i32) -> bool {
    let now = Instant::now();
    let (waited, limit, announce) = WAIT.with(|w| {
        let mut w = w.borrow_mut();
        let Some(w) = w.as_mut() else {
            return (Duration::ZERO, Duration::ZERO, None);
        };
        let since = match w.since {
            Some(s) if count > 0 => s,
            _ => {
                w.since = Some(now);
                w.announced = false;
                now
            }
        };
        let waited = now - since;
        let announce = (waited >= ANNOUNCE_AFTER && !w.announced).then(|| {
            w.announced = true;
            (w.path.clone(), w.limit)
        });
        (waited, w.limit, announce)
    });
    if waited >= limit {
        return false;
    }
    if let Some((path, limit)) = announce {
        crate::term::note(&format!(
            "waiting for {}: another process holds its lock (another `flopledger ledger add`, \
             or a program that has the file open); this waits up to {} s in all",
            path.display(),
            limit.as_secs_f64()
        ));
    }
    // SQLite's own handler sleeps 1 to 100 ms; short steps keep a queue of writers moving.
    let step = Duration::from_millis(if count < 10 { 5 } else { 25 });
    std::thread::sleep(step.min(limit - waited));
    true
}
