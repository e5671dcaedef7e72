//! A synthetic service model of any size, for scale tests and benchmarks:
//! the generator must handle models far larger than Proton (AWS has awsJson
//! services with hundreds of operations and thousands of shapes).
//!
//! The model is deterministic and uses every shape kind the generator
//! supports, interlinked the way real models are (shared nested structures,
//! lists and maps of them, enums, unions, a recursive structure).

use serde_json::{json, Map, Value};

/// A JSON AST model with `operations` operations and at least `shapes` shapes.
pub fn model(operations: usize, shapes: usize) -> String {
    let ns = "example.synthetic";
    let id = |name: &str| format!("{ns}#{name}");
    let mut out = Map::new();
    // Shared building blocks: a pool of structures referencing each other,
    // enums, lists and maps, sized so the total reaches `shapes`.
    let per_op = 3; // operation + input + output
    let fixed = 5; // Node, NodeList, Choice, Failure, the service
    let pool = shapes.saturating_sub(operations * per_op + fixed).max(16);
    let structs = pool / 4;
    let enums = pool / 4;
    let lists = pool / 4;
    let maps = pool - structs - enums - lists;
    for i in 0..enums {
        let mut members = Map::new();
        for v in 0..4 {
            members.insert(
                format!("VALUE_{v}"),
                json!({"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": format!("value-{i}-{v}")}}),
            );
        }
        out.insert(
            id(&format!("Kind{i}")),
            json!({"type": "enum", "members": members}),
        );
    }
    for i in 0..structs {
        let mut members = Map::new();
        members.insert(
            "name".into(),
            json!({"target": "smithy.api#String", "traits": {"smithy.api#required": {}}}),
        );
        members.insert("count".into(), json!({"target": "smithy.api#Long"}));
        members.insert("ratio".into(), json!({"target": "smithy.api#Double"}));
        members.insert(
            "createdAt".into(),
            json!({"target": "smithy.api#Timestamp"}),
        );
        members.insert(
            "kind".into(),
            json!({"target": id(&format!("Kind{}", i % enums))}),
        );
        // Chains of nested structures a few levels deep, as in real models
        // (thousand-level inline nesting would overflow rustc's drop check).
        if i % 8 != 0 {
            members.insert(
                "parent".into(),
                json!({"target": id(&format!("Thing{}", i - 1))}),
            );
        }
        members.insert(
            "tags".into(),
            json!({"target": id(&format!("Map{}", i % maps))}),
        );
        out.insert(
            id(&format!("Thing{i}")),
            json!({"type": "structure", "members": members,
                   "traits": {"smithy.api#documentation": format!("<p>Synthetic thing <code>{i}</code>.</p>")}}),
        );
    }
    for i in 0..lists {
        out.insert(
            id(&format!("List{i}")),
            json!({"type": "list", "member": {"target": id(&format!("Thing{}", i % structs))}}),
        );
    }
    for i in 0..maps {
        out.insert(
            id(&format!("Map{i}")),
            json!({"type": "map", "key": {"target": "smithy.api#String"}, "value": {"target": "smithy.api#String"}}),
        );
    }
    out.insert(
        id("Node"),
        json!({"type": "structure", "members": {
            "children": {"target": id("NodeList")}, "value": {"target": "smithy.api#Integer"}}}),
    );
    out.insert(
        id("NodeList"),
        json!({"type": "list", "member": {"target": id("Node")}}),
    );
    out.insert(
        id("Choice"),
        json!({"type": "union", "members": {
            "text": {"target": "smithy.api#String"}, "thing": {"target": id("Thing0")},
            "data": {"target": "smithy.api#Blob"}, "none": {"target": "smithy.api#Unit"}}}),
    );
    out.insert(
        id("Failure"),
        json!({"type": "structure", "traits": {"smithy.api#error": "client"},
               "members": {"message": {"target": "smithy.api#String"}}}),
    );
    let mut ops = Vec::new();
    for i in 0..operations {
        let name = format!("Operation{i}");
        let thing = id(&format!("Thing{}", i % structs));
        let list = id(&format!("List{}", i % lists));
        out.insert(
            id(&format!("{name}Input")),
            json!({"type": "structure", "members": {
                "id": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}}},
                "thing": {"target": thing},
                "choice": {"target": id("Choice")},
                "nextToken": {"target": "smithy.api#String"},
                "maxResults": {"target": "smithy.api#Integer"}}}),
        );
        out.insert(
            id(&format!("{name}Output")),
            json!({"type": "structure", "members": {
                "items": {"target": list, "traits": {"smithy.api#required": {}}},
                "tree": {"target": id("Node")},
                "nextToken": {"target": "smithy.api#String"}}}),
        );
        let mut traits = Map::new();
        traits.insert(
            "smithy.api#documentation".into(),
            Value::from(format!("<p>Synthetic operation {i}.</p>")),
        );
        if i % 3 == 0 {
            traits.insert(
                "smithy.api#paginated".into(),
                json!({"inputToken": "nextToken", "outputToken": "nextToken", "items": "items", "pageSize": "maxResults"}),
            );
        }
        out.insert(
            id(&name),
            json!({"type": "operation", "input": {"target": id(&format!("{name}Input"))},
                   "output": {"target": id(&format!("{name}Output"))},
                   "errors": [{"target": id("Failure")}], "traits": traits}),
        );
        ops.push(json!({"target": id(&name)}));
    }
    out.insert(
        id("SyntheticService"),
        json!({"type": "service", "version": "2024-01-01", "operations": ops,
               "traits": {"aws.protocols#awsJson1_0": {}, "aws.auth#sigv4": {"name": "synthetic"},
                          "aws.api#service": {"sdkId": "Synthetic"}}}),
    );
    json!({"smithy": "2.0", "shapes": out}).to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn has_the_requested_size_and_loads() {
        let text = super::model(300, 2000);
        let model = crate::Model::from_json(&text, "synthetic").unwrap();
        let ops = model
            .shapes
            .values()
            .filter(|s| matches!(s.kind, crate::model::ShapeKind::Operation { .. }))
            .count();
        assert_eq!(ops, 300);
        let own = model
            .shapes
            .keys()
            .filter(|id| id.namespace() == "example.synthetic")
            .count();
        assert!(own >= 2000, "{own} shapes");
    }
}
