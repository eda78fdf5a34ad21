//! Power and energy sources with quality grades (DESIGN §5).

pub mod types;
