//! Cycles in the shape graph, found without recursion: a model may chain
//! tens of thousands of structures (`A` holds a `B`, which holds a `C`,
//! ...), so a walk that recursed once per link could overflow the stack,
//! and one that searched from every shape would be quadratic.

use std::collections::{BTreeMap, BTreeSet};

/// The strongly connected components of the graph reachable from `roots`
/// through `edges`: each node reached, with the number of its component
/// (two nodes share one exactly when each leads to the other). Tarjan's
/// algorithm with an explicit stack: linear in nodes and edges, and the
/// call stack does not grow with the graph.
pub(crate) fn components<N: Ord + Clone>(
    roots: impl IntoIterator<Item = N>,
    mut edges: impl FnMut(&N) -> Vec<N>,
) -> BTreeMap<N, usize> {
    struct Frame<N> {
        node: N,
        successors: Vec<N>,
        next: usize,
    }
    struct State<N> {
        index: BTreeMap<N, usize>,
        low: BTreeMap<N, usize>,
        component: BTreeMap<N, usize>,
        open: Vec<N>,
        components: usize,
    }
    impl<N: Ord + Clone> State<N> {
        fn enter(&mut self, node: N, successors: Vec<N>, frames: &mut Vec<Frame<N>>) {
            let i = self.index.len();
            self.index.insert(node.clone(), i);
            self.low.insert(node.clone(), i);
            self.open.push(node.clone());
            frames.push(Frame {
                node,
                successors,
                next: 0,
            });
        }
        fn lower(&mut self, node: &N, to: usize) {
            if let Some(l) = self.low.get_mut(node) {
                *l = (*l).min(to);
            }
        }
    }
    let mut state = State {
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        component: BTreeMap::new(),
        open: Vec::new(),
        components: 0,
    };
    let mut frames: Vec<Frame<N>> = Vec::new();
    for root in roots {
        if state.index.contains_key(&root) {
            continue;
        }
        let successors = edges(&root);
        state.enter(root, successors, &mut frames);
        while let Some(frame) = frames.last_mut() {
            if let Some(next) = frame.successors.get(frame.next).cloned() {
                frame.next += 1;
                let node = frame.node.clone();
                match state.index.get(&next).copied() {
                    None => {
                        let successors = edges(&next);
                        state.enter(next, successors, &mut frames);
                    }
                    // Still open: on the path or in a component not closed yet.
                    Some(i) if !state.component.contains_key(&next) => state.lower(&node, i),
                    Some(_) => {}
                }
                continue;
            }
            let Some(done) = frames.pop() else { break };
            let done_low = state.low.get(&done.node).copied().unwrap_or(0);
            if let Some(parent) = frames.last() {
                let parent = parent.node.clone();
                state.lower(&parent, done_low);
            }
            if Some(&done_low) == state.index.get(&done.node) {
                while let Some(member) = state.open.pop() {
                    let last = member == done.node;
                    state.component.insert(member, state.components);
                    if last {
                        break;
                    }
                }
                state.components += 1;
            }
        }
    }
    state.component
}

/// The nodes reachable from `roots` that lie on a cycle: each leads back
/// to itself, because its strongly connected component holds another node
/// or it has an edge to itself.
pub(crate) fn on_cycles<N: Ord + Clone>(
    roots: impl IntoIterator<Item = N>,
    mut edges: impl FnMut(&N) -> Vec<N>,
) -> BTreeSet<N> {
    let component = components(roots, &mut edges);
    let mut sizes: BTreeMap<usize, usize> = BTreeMap::new();
    for c in component.values() {
        *sizes.entry(*c).or_default() += 1;
    }
    component
        .iter()
        .filter(|(node, c)| sizes.get(*c).is_some_and(|&n| n > 1) || edges(node).contains(node))
        .map(|(node, _)| node.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{components, on_cycles};
    use std::collections::BTreeMap;

    fn graph(edges: &[(u32, u32)]) -> impl FnMut(&u32) -> Vec<u32> + '_ {
        |n| {
            edges
                .iter()
                .filter(|(a, _)| a == n)
                .map(|(_, b)| *b)
                .collect()
        }
    }

    #[test]
    fn cycles_share_a_component_and_chains_do_not() {
        // 0 → 1 → 2 → 0 is a cycle; 2 → 3 → 4, 4 → 4 a self-loop; 5 alone.
        let edges = [(0, 1), (1, 2), (2, 0), (2, 3), (3, 4), (4, 4)];
        let c = components([0, 5], graph(&edges));
        assert_eq!(c.len(), 6);
        assert_eq!(c[&0], c[&1]);
        assert_eq!(c[&1], c[&2]);
        let distinct: std::collections::BTreeSet<usize> = [c[&0], c[&3], c[&4], c[&5]].into();
        assert_eq!(distinct.len(), 4, "{c:?}");
        let cyclic = on_cycles([0, 5], graph(&edges));
        assert_eq!(cyclic, [0, 1, 2, 4].into());
    }

    #[test]
    fn a_chain_of_a_million_links_needs_no_stack() {
        let n = 1_000_000u32;
        let c: BTreeMap<u32, usize> = std::thread::Builder::new()
            .stack_size(64 << 10)
            .spawn(move || components([0], |&i| if i + 1 < n { vec![i + 1] } else { vec![0] }))
            .expect("a thread")
            .join()
            .expect("no overflow");
        // The last link closes the chain into one cycle.
        assert_eq!(c.len(), n as usize);
        assert!(c.values().all(|&v| v == c[&0]));
    }
}
