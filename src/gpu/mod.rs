//! The only place wgpu setup, buffers, polling and timestamp queries live.

pub mod adapters;
pub mod backend;
pub mod coop;
pub mod device;
pub mod info;
pub mod program;
pub mod test_hooks;

pub use adapters::{choose, enumerate, FoundAdapter};
pub use backend::Backend;
pub use device::Gpu;
pub use program::{Dispatch, GpuExecutor, Program};
