"""The converter's generic parts that conversations brought: models whose objects come in
kinds (parsed as the subclass each names, wherever the model is asked for), and open words
(``Literal[...] | str``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import attrs
import pytest

from tavus_async import ResponseValidationError
from tavus_async._core.convert import structure
from tavus_async._core.models import Model


@attrs.frozen(kw_only=True)
class Note(Model):
    kind: str | None = None
    tone: Literal["low", "high"] | str | None = None
    extra: dict[str, Any] = attrs.field(factory=dict, hash=False)

    @classmethod
    def _parsed_as(cls, data: Mapping[str, Any]) -> type[Model]:
        return {"loud": LoudNote, "alien": Stranger}.get(data.get("kind"), cls)  # type: ignore[arg-type]


@attrs.frozen(kw_only=True)
class LoudNote(Note):
    pass


@attrs.frozen(kw_only=True)
class Stranger(Model):
    extra: dict[str, Any] = attrs.field(factory=dict, hash=False)


@attrs.frozen(kw_only=True)
class Score(Model):
    score_id: str
    first: Note | None = None
    notes: tuple[Note, ...] | None = None
    extra: dict[str, Any] = attrs.field(factory=dict, hash=False)


def test_an_object_is_parsed_as_the_subclass_its_model_names() -> None:
    """Alone, in a field and in an array, a loud note is a LoudNote; others stay Notes."""
    score = structure(
        {
            "score_id": "s1",
            "first": {"kind": "loud"},
            "notes": [{"kind": "soft"}, {"kind": "loud"}],
        },
        Score,
    )

    assert type(Note.from_dict({"kind": "loud", "x": 1})) is LoudNote
    assert type(score.first) is LoudNote
    assert [type(n) for n in score.notes or ()] == [Note, LoudNote]
    assert Score.from_dict(score.to_dict()) == score


def test_a_class_outside_the_models_family_is_not_taken() -> None:
    """A named class that is not a subclass of the model asked for is ignored."""
    assert type(Note.from_dict({"kind": "alien"})) is Note


@pytest.mark.parametrize(
    ("tone", "parsed"), [("low", "low"), ("shrill", "shrill"), (3, "3"), (None, None)]
)
def test_open_words_take_any_word(tone: object, parsed: str | None) -> None:
    """A field typed Literal[...] | str takes a documented word, a new one, a number's text."""
    assert Note.from_dict({"tone": tone}).tone == parsed


@pytest.mark.parametrize("tone", [True, [1], {"a": 1}])
def test_open_words_refuse_what_is_no_word(tone: object) -> None:
    """A boolean, a list or an object where a word belongs does not fit."""
    with pytest.raises(ResponseValidationError, match="tone"):
        Note.from_dict({"tone": tone})
