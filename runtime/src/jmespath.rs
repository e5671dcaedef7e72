//! What compiled waiter paths call: the JMESPath operations that are the
//! same for every model (truthiness, indexes and slices, flattening,
//! comparisons, the functions' arithmetic), over the representation the
//! generator compiles to: every value an `Option` (`None` is `null`) of
//! `bool`, `f64`, `&str`, a reference to a generated type, a
//! `Vec<Option<R>>` (an array) or a key-sorted `Vec<(&str, Option<R>)>`
//! (an object with string keys).
//!
//! Functions returning `Option<…>` for an operation that can fail return
//! `None` where the JMESPath specification raises an error (an element of
//! the wrong type); the generated code then treats the acceptor as not
//! matching. Semantics follow <https://jmespath.org/specification.html>
//! and are checked against its compliance examples (tests below).

use std::cmp::Ordering;

/// JMESPath truthiness of a value: `null`, `false`, `""`, `[]` and `{}`
/// are false; everything else is true.
pub trait Truthy {
    /// Whether the value is truthy.
    fn truthy(&self) -> bool;
}

impl Truthy for Option<()> {
    fn truthy(&self) -> bool {
        false
    }
}

impl Truthy for Option<bool> {
    fn truthy(&self) -> bool {
        *self == Some(true)
    }
}

impl Truthy for Option<f64> {
    fn truthy(&self) -> bool {
        self.is_some()
    }
}

impl Truthy for Option<&str> {
    fn truthy(&self) -> bool {
        self.is_some_and(|s| !s.is_empty())
    }
}

impl<T> Truthy for Option<Vec<T>> {
    fn truthy(&self) -> bool {
        self.as_ref().is_some_and(|v| !v.is_empty())
    }
}

/// Whether `value` is truthy.
pub fn truthy<T: Truthy>(value: &T) -> bool {
    value.truthy()
}

/// The truthiness of a structure without members: `{}`, always false.
pub fn never<T>(_value: &T) -> bool {
    false
}

/// `list[i]` (negative from the end); null out of range or on null.
pub fn index<R>(list: Option<Vec<Option<R>>>, i: i64) -> Option<R> {
    let mut list = list?;
    let len = i64::try_from(list.len()).ok()?;
    let i = if i < 0 { len.checked_add(i)? } else { i };
    if !(0..len).contains(&i) {
        return None;
    }
    list.swap_remove(usize::try_from(i).ok()?)
}

/// `list[start:stop:step]` as the specification's slicing algorithm
/// defines it; null for null. `step` is never 0 (the parser refuses it).
pub fn slice<R>(
    list: Option<Vec<Option<R>>>,
    start: Option<i64>,
    stop: Option<i64>,
    step: Option<i64>,
) -> Option<Vec<Option<R>>> {
    let list = list?;
    let len = i64::try_from(list.len()).ok()?;
    let step = step.unwrap_or(1);
    if step == 0 {
        return None;
    }
    let bound = |value: Option<i64>, default: i64| -> i64 {
        match value {
            None => default,
            Some(v) if v < 0 => {
                let v = v.saturating_add(len);
                if v < 0 {
                    if step < 0 {
                        -1
                    } else {
                        0
                    }
                } else {
                    v
                }
            }
            Some(v) if v >= len => {
                if step < 0 {
                    len - 1
                } else {
                    len
                }
            }
            Some(v) => v,
        }
    };
    let (start, stop) = if step > 0 {
        (bound(start, 0), bound(stop, len))
    } else {
        (bound(start, len - 1), bound(stop, -1))
    };
    let mut slots: Vec<Option<Option<R>>> = list.into_iter().map(Some).collect();
    let mut out = Vec::new();
    let mut i = start;
    while (step > 0 && i < stop) || (step < 0 && i > stop) {
        if let Some(slot) = usize::try_from(i).ok().and_then(|i| slots.get_mut(i)) {
            if let Some(item) = slot.take() {
                out.push(item);
            }
        }
        i = match i.checked_add(step) {
            Some(next) => next,
            None => break,
        };
    }
    Some(out)
}

/// The elements of a projection whose right-hand side is `@`: nulls dropped.
pub fn compact<R>(list: Option<Vec<Option<R>>>) -> Option<Vec<Option<R>>> {
    list.map(|l| l.into_iter().flatten().map(Some).collect())
}

/// `list[]` of a list of lists: the inner lists' elements spliced in; a
/// null element stays (the projection around it drops it).
pub fn flatten<R>(list: Option<Vec<Option<Vec<Option<R>>>>>) -> Option<Vec<Option<R>>> {
    let list = list?;
    let mut out = Vec::new();
    for element in list {
        match element {
            Some(inner) => out.extend(inner),
            None => out.push(None),
        }
    }
    Some(out)
}

/// A map's entries as an object: sorted by key, so equal maps are equal
/// vectors.
pub fn map<'a, R>(
    entries: impl Iterator<Item = (&'a str, Option<R>)>,
) -> Vec<(&'a str, Option<R>)> {
    let mut entries: Vec<_> = entries.collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    entries
}

/// `map.key`.
pub fn get<R: Clone>(map: &Option<Vec<(&str, Option<R>)>>, key: &str) -> Option<R> {
    let map = map.as_ref()?;
    let i = map.binary_search_by(|(k, _)| (*k).cmp(key)).ok()?;
    map[i].1.clone()
}

/// `keys(map)`, in key order.
pub fn keys<'a, R>(map: &[(&'a str, Option<R>)]) -> Vec<Option<&'a str>> {
    map.iter().map(|(k, _)| Some(*k)).collect()
}

/// `values(map)` and `map.*`, in key order.
pub fn values<R>(map: Vec<(&str, Option<R>)>) -> Vec<Option<R>> {
    map.into_iter().map(|(_, v)| v).collect()
}

fn order(a: Option<f64>, b: Option<f64>, holds: fn(Ordering) -> bool) -> Option<bool> {
    Some(holds(a?.partial_cmp(&b?)?))
}

/// `a < b`: null unless both are numbers.
pub fn lt(a: Option<f64>, b: Option<f64>) -> Option<bool> {
    order(a, b, Ordering::is_lt)
}

/// `a <= b`.
pub fn le(a: Option<f64>, b: Option<f64>) -> Option<bool> {
    order(a, b, Ordering::is_le)
}

/// `a > b`.
pub fn gt(a: Option<f64>, b: Option<f64>) -> Option<bool> {
    order(a, b, Ordering::is_gt)
}

/// `a >= b`.
pub fn ge(a: Option<f64>, b: Option<f64>) -> Option<bool> {
    order(a, b, Ordering::is_ge)
}

/// `a == b` for arrays of different element types: both null, or as long
/// as each other with every pair equal by `eq`.
pub fn list_eq<A, B>(a: &Option<Vec<A>>, b: &Option<Vec<B>>, eq: impl Fn(&A, &B) -> bool) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| eq(x, y)),
        _ => false,
    }
}

/// `a == b` for objects of different value types: both null, or the same
/// keys with every pair of values equal by `eq`.
pub fn map_eq<A, B>(
    a: &Option<Vec<(&str, A)>>,
    b: &Option<Vec<(&str, B)>>,
    eq: impl Fn(&A, &B) -> bool,
) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => {
            a.len() == b.len()
                && a.iter()
                    .zip(b)
                    .all(|((ka, va), (kb, vb))| ka == kb && eq(va, vb))
        }
        _ => false,
    }
}

/// `contains(list, search)`: some element equals `search` by `eq`.
pub fn contains<A, B>(list: &[A], search: &B, eq: impl Fn(&A, &B) -> bool) -> bool {
    list.iter().any(|x| eq(x, search))
}

/// `length(string)`: the number of Unicode code points.
pub fn str_length(s: &str) -> f64 {
    s.chars().count() as f64
}

/// `sum(list)`; `None` when an element is null (not a number).
pub fn sum(list: Vec<Option<f64>>) -> Option<f64> {
    list.into_iter().sum()
}

/// `avg(list)`: null for an empty list; `None` when an element is null.
pub fn avg(list: Vec<Option<f64>>) -> Option<Option<f64>> {
    let n = list.len();
    let total = sum(list)?;
    Some((n > 0).then(|| total / n as f64))
}

fn extreme<R: PartialOrd + Copy>(list: Vec<Option<R>>, wanted: Ordering) -> Option<Option<R>> {
    let mut best: Option<R> = None;
    for x in list {
        let x = x?;
        best = match best {
            Some(b) if b.partial_cmp(&x) != Some(wanted.reverse()) => Some(b),
            _ => Some(x),
        };
    }
    Some(best)
}

/// `max(list)` of numbers or strings: null for an empty list; `None` when
/// an element is null.
pub fn max<R: PartialOrd + Copy>(list: Vec<Option<R>>) -> Option<Option<R>> {
    extreme(list, Ordering::Greater)
}

/// `min(list)`.
pub fn min<R: PartialOrd + Copy>(list: Vec<Option<R>>) -> Option<Option<R>> {
    extreme(list, Ordering::Less)
}

/// `sort(list)` of numbers or strings; `None` when an element is null.
pub fn sort<R: PartialOrd>(list: Vec<Option<R>>) -> Option<Vec<Option<R>>> {
    let mut items = list.into_iter().collect::<Option<Vec<R>>>()?;
    items.sort_by(|a, b| a.partial_cmp(b).unwrap_or(Ordering::Equal));
    Some(items.into_iter().map(Some).collect())
}

/// `reverse(list)`.
pub fn reversed<R>(mut list: Vec<Option<R>>) -> Vec<Option<R>> {
    list.reverse();
    list
}

/// `to_number(string)`: the string read as a JSON number, else null.
pub fn to_number(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i > start
    };
    if b.get(i) == Some(&b'0') {
        i += 1;
    } else if !digits(&mut i) {
        return None;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if !digits(&mut i) {
            return None;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !digits(&mut i) {
            return None;
        }
    }
    if i != b.len() {
        return None;
    }
    s.parse().ok().filter(|n: &f64| n.is_finite())
}

#[cfg(test)]
mod tests {
    //! Cases from the JMESPath compliance suite (jmespath/jmespath.test:
    //! `slice.json`, `indices.json`, `functions.json`, `boolean.json`),
    //! on the representation.
    use super::*;

    fn nums(v: &[i64]) -> Option<Vec<Option<f64>>> {
        Some(v.iter().map(|n| Some(*n as f64)).collect())
    }

    #[test]
    fn slices_follow_the_specification() {
        let ten: Vec<i64> = (0..10).collect();
        let slice = |start, stop, step| slice(nums(&ten), start, stop, step);
        // slice.json, `foo[...]` over [0..9]
        assert_eq!(slice(Some(0), Some(5), None), nums(&[0, 1, 2, 3, 4]));
        assert_eq!(slice(None, None, Some(2)), nums(&[0, 2, 4, 6, 8]));
        assert_eq!(
            slice(None, None, Some(-1)),
            nums(&[9, 8, 7, 6, 5, 4, 3, 2, 1, 0])
        );
        assert_eq!(slice(Some(-4), None, None), nums(&[6, 7, 8, 9]));
        assert_eq!(slice(None, Some(-4), None), nums(&[0, 1, 2, 3, 4, 5]));
        assert_eq!(slice(Some(10), None, None), nums(&[]));
        assert_eq!(slice(Some(-10), Some(-5), None), nums(&[0, 1, 2, 3, 4]));
        assert_eq!(slice(Some(8), Some(2), Some(-2)), nums(&[8, 6, 4]));
        assert_eq!(slice(Some(1), Some(100), Some(3)), nums(&[1, 4, 7]));
        assert_eq!(slice(Some(-100), Some(100), Some(-1)), nums(&[]));
        assert_eq!(
            slice(Some(100), Some(-100), Some(-1)),
            nums(&[9, 8, 7, 6, 5, 4, 3, 2, 1, 0])
        );
        assert_eq!(super::slice::<f64>(None, None, None, None), None);
    }

    #[test]
    fn indexes_count_from_either_end() {
        // indices.json: `foo.bar[0]`, `[-1]`, out of range is null
        let l = nums(&[10, 20, 30]);
        assert_eq!(index(l.clone(), 0), Some(10.0));
        assert_eq!(index(l.clone(), -1), Some(30.0));
        assert_eq!(index(l.clone(), -3), Some(10.0));
        assert_eq!(index(l.clone(), 3), None);
        assert_eq!(index(l, -4), None);
        assert_eq!(index::<f64>(None, 0), None);
        assert_eq!(index(Some(vec![Some(1.0)]), i64::MIN), None);
    }

    #[test]
    fn truthiness_is_the_specifications() {
        // boolean.json: `!@` over false, null, "", [], {} is true; over true, 0, "a", [0] false
        assert!(!truthy(&Some(false)));
        assert!(!truthy(&None::<bool>));
        assert!(!truthy(&None::<()>));
        assert!(!truthy(&Some("")));
        assert!(!truthy(&Some(Vec::<Option<f64>>::new())));
        assert!(truthy(&Some(true)));
        assert!(truthy(&Some(0.0)));
        assert!(truthy(&Some("a")));
        assert!(truthy(&nums(&[0])));
        assert!(!truthy(&Some(Vec::<(&str, Option<f64>)>::new())));
    }

    #[test]
    fn ordering_is_for_numbers_and_null_otherwise() {
        // boolean.json: `one < two` true, `one > two` false, `one < null_value` null
        assert_eq!(lt(Some(1.0), Some(2.0)), Some(true));
        assert_eq!(le(Some(2.0), Some(2.0)), Some(true));
        assert_eq!(gt(Some(1.0), Some(2.0)), Some(false));
        assert_eq!(ge(Some(1.0), Some(2.0)), Some(false));
        assert_eq!(lt(Some(1.0), None), None);
        assert_eq!(lt(None, None), None);
    }

    #[test]
    fn deep_equality_across_element_types() {
        // `[] == []` whatever the element types; null == null
        let empty_strings: Option<Vec<Option<&str>>> = Some(vec![]);
        assert!(list_eq(&empty_strings, &nums(&[]), |a, b| a.is_none()
            && b.is_none()));
        assert!(!list_eq(&Some(vec![Some("a")]), &nums(&[1]), |a, b| a
            .is_none()
            && b.is_none()));
        assert!(list_eq(
            &Some(vec![None::<&str>]),
            &Some(vec![None::<f64>]),
            |a, b| a.is_none() && b.is_none()
        ));
        assert!(list_eq::<(), ()>(&None, &None, |_, _| false));
        let a = Some(map([("b", Some(1.0)), ("a", Some(2.0))].into_iter()));
        let b = Some(map([("a", Some(2.0)), ("b", Some(1.0))].into_iter()));
        assert_eq!(a, b, "maps are key-sorted, so equal maps are equal vectors");
        assert!(map_eq(&a, &b, |x, y| x == y));
        assert_eq!(get(&a, "b"), Some(1.0));
        assert_eq!(get(&a, "c"), None);
    }

    #[test]
    fn functions_follow_the_specification() {
        // functions.json
        assert_eq!(str_length("abc"), 3.0);
        assert_eq!(str_length("✓ü"), 2.0, "code points, not bytes");
        assert_eq!(sum(vec![Some(-1.0), Some(3.0), Some(4.0)]), Some(6.0));
        assert_eq!(sum(vec![]), Some(0.0));
        assert_eq!(sum(vec![Some(1.0), None]), None, "invalid-type: an error");
        assert_eq!(
            avg(vec![Some(10.0), Some(15.0), Some(20.0)]),
            Some(Some(15.0))
        );
        assert_eq!(avg(vec![]), Some(None), "avg of [] is null");
        assert_eq!(max(vec![Some(-1.0), Some(3.0), Some(4.0)]), Some(Some(4.0)));
        assert_eq!(min(vec![Some("b"), Some("a"), Some("c")]), Some(Some("a")));
        assert_eq!(max::<f64>(vec![]), Some(None));
        assert_eq!(max(vec![Some(1.0), None]), None);
        assert_eq!(
            sort(vec![Some("b"), Some("a"), Some("c")]),
            Some(vec![Some("a"), Some("b"), Some("c")])
        );
        assert_eq!(sort(vec![Some(1.0), None]), None);
        assert_eq!(
            reversed(vec![Some(1.0), Some(2.0)]),
            vec![Some(2.0), Some(1.0)]
        );
        assert_eq!(to_number("1.0"), Some(1.0));
        assert_eq!(to_number("-1e3"), Some(-1000.0));
        for not_a_number in [
            "", "abc", "1.", ".5", "01", "1e", "+1", " 1", "NaN", "1e999",
        ] {
            assert_eq!(to_number(not_a_number), None, "{not_a_number:?}");
        }
        assert!(contains(&[Some("a"), Some("b")], &Some("b"), |x, y| x == y));
        assert!(!contains(&[Some("a")], &None, |x, y| x == y));
        let m = map([("y", Some(2.0)), ("x", Some(1.0))].into_iter());
        assert_eq!(keys(&m), vec![Some("x"), Some("y")]);
        assert_eq!(values(m), vec![Some(1.0), Some(2.0)]);
    }

    #[test]
    fn flatten_and_compact() {
        // `foo[]` splices nested arrays; a projection drops nulls
        let nested = Some(vec![
            Some(vec![Some(1.0), Some(2.0)]),
            None,
            Some(vec![Some(3.0)]),
        ]);
        assert_eq!(
            flatten(nested),
            Some(vec![Some(1.0), Some(2.0), None, Some(3.0)])
        );
        assert_eq!(
            compact(Some(vec![Some(1.0), None, Some(3.0)])),
            nums(&[1, 3])
        );
    }
}
