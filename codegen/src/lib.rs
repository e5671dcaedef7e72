//! codegen

pub mod endpoint_rules;
pub mod partitions;
