//! The only place wgpu setup, buffers, polling and timestamp queries live.

pub mod adapters;
pub mod contained;
pub mod coop;
pub mod device;
pub mod info;
pub mod program;
pub mod test_hooks;

pub use crate::backend::Backend;
pub use adapters::{choose, enumerate, same_chip_note, FoundAdapter};
pub use device::{Gpu, SAFE_TEXTURE_SIDE};
pub use program::{Dispatch, GpuExecutor, Program};
