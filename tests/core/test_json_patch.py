"""JSON Patch: operations checked before any request, and ``json_patch`` computing them."""

from __future__ import annotations

import copy
import json
import pickle
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tavus_async import PatchOperation, json_patch
from tavus_async._core.json_patch import ABSENT, check_operations, replayable
from tavus_async.testing._patch import PatchError, apply_patch

from _support.json_strategies import FIXED

# JSON values as a client would hold them (finite numbers; booleans next to 0 and 1).
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.sampled_from([0, 1, 0.0, 1.0, -1, "", "0", "true"]),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
)
keys = st.one_of(
    st.sampled_from(["", "/", "~", "~0", "~1", "a/b", "a~b", "-", "0"]), st.text(max_size=5)
)
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5), st.dictionaries(keys, children, max_size=5)
    ),
    max_leaves=30,
)
json_objects = st.dictionaries(keys, json_values, max_size=6)


def json_equal(a: Any, b: Any) -> bool:
    """Equal as JSON: a boolean is not a number, an array is not an object."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(json_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, (dict, list)) or isinstance(b, (dict, list)):
        return False
    return bool(a == b)


def patch_of(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    return [operation.to_dict() for operation in json_patch(before, after)]


@FIXED
@given(json_objects, json_objects)
@example({"a": True}, {"a": 1})
@example({"a": [1, 2, 3]}, {"a": [1]})
@example({"a": [1]}, {"a": [1, {"b": []}, 3]})
@example({"a/b": {"~": 1}}, {"a/b": {"~": 2}, "": None})
@example({"x": {"y": 1}}, {"x": [1]})
def test_applying_the_patch_to_before_gives_after(before: Any, after: Any) -> None:
    """For any two JSON objects, the computed patch turns the first into the second."""
    patch = patch_of(before, after)
    if patch:  # every computed operation passes the checks an update makes
        assert check_operations("operations", patch) == patch
    assert json_equal(apply_patch(before, json.loads(json.dumps(patch))), after)


@FIXED
@given(json_objects)
def test_equal_objects_give_no_operations(document: Any) -> None:
    """An object compared with an equal copy of itself needs no operation at all."""
    assert json_patch(document, copy.deepcopy(document)) == []


def test_a_boolean_replacing_a_number_is_a_change() -> None:
    """True and 1 are different JSON values, though Python finds them equal."""
    assert patch_of({"a": 1}, {"a": True}) == [{"op": "replace", "path": "/a", "value": True}]


def test_pointers_escape_tilde_and_slash() -> None:
    """A key holding '~' or '/' is written with RFC 6901's escapes in the path."""
    assert patch_of({}, {"a/b~c": 1}) == [{"op": "add", "path": "/a~1b~0c", "value": 1}]


def test_an_edited_persona_sends_only_the_difference() -> None:
    """Editing one nested field of a persona's dict gives one replace at its pointer."""
    before = {"persona_id": "p1", "layers": {"llm": {"model": "tavus-llama"}}, "context": "x"}
    after = copy.deepcopy(before)
    after["layers"]["llm"]["model"] = "tavus-gpt-4o"
    assert patch_of(before, after) == [
        {"op": "replace", "path": "/layers/llm/model", "value": "tavus-gpt-4o"}
    ]


def test_json_patch_refuses_what_is_not_an_object() -> None:
    """before and after must be mappings; the message names the one that is not."""
    with pytest.raises(TypeError, match="after must be a JSON object"):
        json_patch({}, [])  # type: ignore[arg-type]


def test_to_dict_leaves_out_an_absent_value_but_sends_null() -> None:
    """A remove has no value; a replace with None sends JSON null."""
    assert PatchOperation(op="remove", path="/a").to_dict() == {"op": "remove", "path": "/a"}
    assert PatchOperation(op="replace", path="/a", value=None).to_dict() == {
        "op": "replace",
        "path": "/a",
        "value": None,
    }
    assert PatchOperation(op="move", path="/b", from_="/a").to_dict() == {
        "op": "move",
        "path": "/b",
        "from": "/a",
    }


def test_patch_operations_pickle_with_their_absent_parts() -> None:
    """A PatchOperation survives pickle, its absent value still absent."""
    operation = pickle.loads(pickle.dumps(PatchOperation(op="remove", path="/a")))
    assert operation.value is ABSENT
    assert operation == PatchOperation(op="remove", path="/a")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"op": "merge", "path": "/a"}, "op must be one of"),
        ({"op": "add", "path": "a"}, "path must be a JSON Pointer"),
        ({"op": "add", "path": "/a~2"}, "path must be a JSON Pointer"),
        ({"op": "add", "path": "/a"}, "needs a value"),
        ({"op": "copy", "path": "/a"}, "needs 'from'"),
        ({"op": "move", "path": "/a", "from_": "x"}, "from must be a JSON Pointer"),
    ],
)
def test_a_malformed_patch_operation_is_refused(kwargs: dict[str, Any], message: str) -> None:
    """A PatchOperation that RFC 6902 would not accept cannot be built."""
    with pytest.raises(ValueError, match=message):
        PatchOperation(**kwargs)


@pytest.mark.parametrize(
    ("operations", "error", "message"),
    [
        ("replace", TypeError, "must be a list of JSON Patch operations"),
        ({"op": "remove", "path": "/a"}, TypeError, "must be a list"),
        ([1], TypeError, r"operations\[0\] must be a mapping or a PatchOperation"),
        ([{"op": "delete", "path": "/a"}], ValueError, r"operations\[0\]: op must be one of"),
        ([{"op": "remove"}], TypeError, r"operations\[0\].path must be a JSON Pointer"),
        ([{"op": "remove", "path": "a"}], ValueError, r"operations\[0\].path must be"),
        ([{"op": "test", "path": "/a"}], ValueError, r"operations\[0\]: a 'test' operation"),
        ([{"op": "move", "path": "/a"}], ValueError, "needs 'from'"),
        ([{"op": "copy", "path": "/a", "from": 3}], TypeError, r"operations\[0\].from"),
        ([{"op": "add", "path": "/a", "value": {1, 2}}], TypeError, "only JSON values"),
        ([{"op": "add", "path": "/a", "value": float("nan")}], TypeError, "only JSON values"),
    ],
)
def test_check_operations_names_the_operation_at_fault(
    operations: Any, error: type[Exception], message: str
) -> None:
    """Each malformed patch is refused before any request, naming the operation."""
    with pytest.raises(error, match=message):
        check_operations("operations", operations)


def test_check_operations_keeps_members_rfc_6902_does_not_define() -> None:
    """Unknown members of an operation are sent as they came: Tavus may read them."""
    operations = [
        {"op": "remove", "path": "/a", "note": "why"},
        PatchOperation(op="test", path="", value={}),
    ]
    assert check_operations("operations", operations) == [
        {"op": "remove", "path": "/a", "note": "why"},
        {"op": "test", "path": "", "value": {}},
    ]


# RFC 6902, appendix A: the fake applies patches as the standard says.
RFC_EXAMPLES = [
    ({"foo": "bar"}, [{"op": "add", "path": "/baz", "value": "qux"}], {"baz": "qux", "foo": "bar"}),
    ({"foo": ["bar", "baz"]}, [{"op": "add", "path": "/foo/1", "value": "qux"}],
     {"foo": ["bar", "qux", "baz"]}),
    ({"baz": "qux", "foo": "bar"}, [{"op": "remove", "path": "/baz"}], {"foo": "bar"}),
    ({"foo": ["bar", "qux", "baz"]}, [{"op": "remove", "path": "/foo/1"}], {"foo": ["bar", "baz"]}),
    ({"baz": "qux", "foo": "bar"}, [{"op": "replace", "path": "/baz", "value": "boo"}],
     {"baz": "boo", "foo": "bar"}),
    ({"foo": {"bar": "baz", "waldo": "fred"}, "qux": {"corge": "grault"}},
     [{"op": "move", "from": "/foo/waldo", "path": "/qux/thud"}],
     {"foo": {"bar": "baz"}, "qux": {"corge": "grault", "thud": "fred"}}),
    ({"foo": ["all", "grass", "cows", "eat"]}, [{"op": "move", "from": "/foo/1", "path": "/foo/3"}],
     {"foo": ["all", "cows", "eat", "grass"]}),
    ({"foo": ["bar"]}, [{"op": "add", "path": "/foo/-", "value": ["abc", "def"]}],
     {"foo": ["bar", ["abc", "def"]]}),
    ({"/": 9, "~1": 10}, [{"op": "test", "path": "/~01", "value": 10}], {"/": 9, "~1": 10}),
    ({"foo": "bar"}, [{"op": "copy", "from": "/foo", "path": "/baz"}],
     {"foo": "bar", "baz": "bar"}),
]  # fmt: skip


@pytest.mark.parametrize(("document", "patch", "result"), RFC_EXAMPLES)
def test_the_fake_applies_rfc_6902s_examples(document: Any, patch: Any, result: Any) -> None:
    """FakeTavus's own JSON Patch gives the RFC's results for its examples."""
    assert apply_patch(document, patch) == result


@pytest.mark.parametrize(
    "patch",
    [
        [{"op": "remove", "path": "/missing"}],
        [{"op": "test", "path": "/foo", "value": "other"}],
        [{"op": "add", "path": "/foo/bar/baz", "value": 1}],
        [{"op": "replace", "path": "/nope", "value": 1}],
        [{"op": "add", "path": "/list/5", "value": 1}],
        [{"op": "move", "from": "/list", "path": "/list/0"}],
    ],
)
def test_the_fake_refuses_a_patch_that_cannot_apply(patch: Any) -> None:
    """A patch naming a missing path, a failed test or a bad index is refused whole."""
    document = {"foo": "bar", "list": [1]}
    with pytest.raises(PatchError):
        apply_patch(document, patch)
    assert document == {"foo": "bar", "list": [1]}


def test_an_empty_patch_is_checked_as_nothing_to_change() -> None:
    """[] (what json_patch gives for equal objects) passes the checks: it changes nothing."""
    assert check_operations("operations", []) == []


@pytest.mark.parametrize(
    ("patch", "again"),
    [
        ([{"op": "replace", "path": "/name", "value": "x"}], True),
        ([{"op": "add", "path": "/layers/llm", "value": {}}], True),
        ([{"op": "test", "path": "/name", "value": "x"}], True),
        ([{"op": "add", "path": "/tags/-", "value": "x"}], False),
        ([{"op": "add", "path": "/tags/0", "value": "x"}], False),
        ([{"op": "remove", "path": "/name"}], False),
        ([{"op": "copy", "path": "/b", "from": "/a"}], False),
        (
            [
                {"op": "test", "path": "/name", "value": "old"},
                {"op": "replace", "path": "/name", "value": "new"},
            ],
            False,
        ),
    ],
)
def test_only_a_patch_that_does_the_same_twice_is_replayable(
    patch: list[dict[str, Any]], again: bool
) -> None:
    """A patch is sent again only if applying it twice does what applying it once does."""
    assert replayable(patch) is again
