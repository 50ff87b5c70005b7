//! Pure numeric kernels: no I/O, no polars, each tested against independent references.

pub mod summary;
