//! `cargo xtask codegen --check` as a test: checked-in generated code (the
//! client crate, its generated per-operation tests, and the runtime's
//! partition table) must be exactly what the model and the generator give.

use std::sync::OnceLock;

fn generated() -> &'static xtask::Generated {
    static GENERATED: OnceLock<xtask::Generated> = OnceLock::new();
    GENERATED.get_or_init(|| {
        xtask::generate(&xtask::project_root(), None, None).unwrap_or_else(|e| panic!("{e:#}"))
    })
}

#[test]
fn checked_in_generated_code_is_up_to_date() {
    let root = xtask::project_root();
    let stale = xtask::check(&root, generated()).unwrap();
    assert!(
        stale.is_empty(),
        "generated code is stale; run `cargo xtask codegen` and review the diff:\n  {}",
        stale.join("\n  ")
    );
}

/// The generated operation and response tests are files among hand-written
/// tests: a stale or missing copy is reported, and nothing else there is
/// pruned.
#[test]
fn a_stale_operation_test_file_is_reported() {
    let out = generated()
        .outputs
        .iter()
        .find(|o| o.files.contains_key(xtask::OPERATION_TESTS))
        .expect("the operation tests are generated");
    assert!(!out.prune, "tests/ holds hand-written files too");
    assert_eq!(out.dir, xtask::project_root());

    let root = tempfile::tempdir().unwrap();
    let copy = xtask::Generated {
        model: generated().model.clone(),
        outputs: vec![xtask::Output {
            dir: root.path().to_path_buf(),
            files: out.files.clone(),
            prune: out.prune,
        }],
        elapsed: generated().elapsed,
        skipped: Vec::new(),
        stale_endpoint_tests: Vec::new(),
    };
    let written = codegen::output::write(root.path(), &out.files, out.prune).unwrap();
    assert_eq!(written.missing.len(), out.files.len());
    let hand_written = root.path().join("tests/tests/hand_written.rs");
    std::fs::write(&hand_written, "// mine\n").unwrap();
    assert_eq!(
        xtask::check(root.path(), &copy).unwrap(),
        Vec::<String>::new()
    );

    let path = root.path().join(xtask::OPERATION_TESTS);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replacen("#[tokio::test]", "#[test]", 1)).unwrap();
    assert_eq!(
        xtask::check(root.path(), &copy).unwrap(),
        [format!("changed: {}", xtask::OPERATION_TESTS)]
    );

    std::fs::remove_file(&path).unwrap();
    assert_eq!(
        xtask::check(root.path(), &copy).unwrap(),
        [format!("missing: {}", xtask::OPERATION_TESTS)]
    );
    codegen::output::write(root.path(), &out.files, out.prune).unwrap();
    assert!(xtask::check(root.path(), &copy).unwrap().is_empty());

    // The response property tests sit beside them, checked the same way.
    let path = root.path().join(xtask::RESPONSE_TESTS);
    let text = std::fs::read_to_string(&path).expect("the response tests are generated");
    std::fs::write(&path, text.replacen("#[test]", "#[ignore]", 1)).unwrap();
    assert_eq!(
        xtask::check(root.path(), &copy).unwrap(),
        [format!("changed: {}", xtask::RESPONSE_TESTS)]
    );
    codegen::output::write(root.path(), &out.files, out.prune).unwrap();
    assert!(xtask::check(root.path(), &copy).unwrap().is_empty());
    assert!(hand_written.exists(), "hand-written tests are never pruned");
}
