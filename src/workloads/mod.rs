//! Workloads: what each kernel computes, what it counts, and its CPU reference.

pub mod kind;
