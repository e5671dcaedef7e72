//! `cargo xtask codegen --check` as a test: checked-in generated code (the
//! client crate and the runtime's partition table) must be exactly what the
//! model and the generator give.

#[test]
fn checked_in_generated_code_is_up_to_date() {
    let root = xtask::project_root();
    let generated = xtask::generate(&root, None, None).unwrap_or_else(|e| panic!("{e:#}"));
    let stale = xtask::check(&root, &generated).unwrap();
    assert!(
        stale.is_empty(),
        "generated code is stale; run `cargo xtask codegen` and review the diff:\n  {}",
        stale.join("\n  ")
    );
}
