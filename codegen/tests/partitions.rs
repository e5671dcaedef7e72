//! The runtime's embedded partition table must be exactly what the generator
//! makes of `shared/endpoints/partitions.json`.
//!
//! Run with `UPDATE_PARTITIONS=1` to (re)write the file after changing the table
//! or the generator; `cargo xtask codegen` is meant to take this job over.

use std::path::Path;

const PARTITIONS_JSON: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/endpoints/partitions.json"
);
const EMBEDDED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../runtime/src/endpoint/partitions.rs"
);

#[test]
fn embedded_partition_table_is_up_to_date() {
    let json = std::fs::read_to_string(PARTITIONS_JSON).expect("partitions.json is readable");
    let generated = match codegen::partitions::generate_partitions(&json) {
        Ok(source) => source,
        Err(error) => panic!("{error}"),
    };
    let embedded = std::fs::read_to_string(EMBEDDED).unwrap_or_default();
    if generated == embedded {
        return;
    }
    if std::env::var_os("UPDATE_PARTITIONS").is_some() {
        std::fs::write(Path::new(EMBEDDED), generated).expect("embedded table is writable");
        return;
    }
    panic!(
        "{EMBEDDED} is stale: regenerate it with `UPDATE_PARTITIONS=1 cargo test -p codegen --test partitions`"
    );
}
