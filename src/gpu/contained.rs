//! A panic inside wgpu or naga, caught and returned as the panic's message: one kernel the
//! compiler cannot build must not end a run with the cases after it unmeasured. The message is
//! not printed by the default hook while it is caught (it comes back in the error instead);
//! panics anywhere else print as before.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    static CATCHING: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f`; a panic in it comes back as `Err` with its message.
pub fn contained<R>(f: impl FnOnce() -> R) -> Result<R, String> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !CATCHING.with(Cell::get) {
                previous(info);
            }
        }));
    });
    let was = CATCHING.with(|c| c.replace(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    CATCHING.with(|c| c.set(was));
    result.map_err(|payload| {
        payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_string()))
            .unwrap_or_else(|| "no message".into())
    })
}

#[cfg(test)]
mod tests {
    use super::contained;

    #[test]
    fn a_panic_comes_back_with_its_message_and_a_value_passes_through() {
        assert_eq!(contained(|| 7), Ok(7));
        let err = contained(|| -> u32 { panic!("Expression [{}] is not cached!", 324) });
        assert_eq!(err, Err("Expression [324] is not cached!".to_string()));
        assert_eq!(
            contained(|| -> u32 { std::panic::panic_any(5u8) }),
            Err("no message".into())
        );
    }
}
