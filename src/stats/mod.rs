//! Pure numeric kernels: no I/O, no polars, each tested against independent references.

pub mod agreement;
pub mod bootstrap;
pub mod change;
pub mod effects;
pub mod ols;
pub mod reliability;
pub mod summary;
