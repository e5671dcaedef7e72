//! Snapshots of what the generator emits for each hard case, and of the
//! Proton API surface. Review changes with `cargo insta review`; CI never
//! accepts them (`INSTA_UPDATE=no`).

mod common;

macro_rules! fixture_snapshots {
    ($($name:ident),* $(,)?) => {$(
        #[test]
        fn $name() {
            insta::assert_snapshot!(common::generate_fixture(stringify!($name)));
        }
    )*};
}

fixture_snapshots!(
    keywords,
    recursion,
    unions,
    enums,
    sensitive,
    primitives,
    collisions,
    resources,
    v1,
    features,
    pagination,
    reserved,
    compatibility
);

#[test]
fn proton_api_surface() {
    // The model `cargo xtask codegen` uses: `model/` in the project first, so a
    // maintainer trying a new model there sees its API diff in `cargo insta review`.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let path = codegen::find_model(&root, "proton-2020-07-20").unwrap_or_else(|e| panic!("{e}"));
    let model = codegen::Model::load(&path).unwrap();
    let shape = codegen::ir::select_service(&model, None).unwrap();
    let service = codegen::ir::build(&model, shape).unwrap();
    insta::assert_snapshot!(codegen::summary::summary(&service));
}
