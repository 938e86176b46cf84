"""Each model's quick structure function, generated once from the converter's own hooks.

cattrs's generated function for a model keeps every field's error: it tries each field
on its own, gathers the results in a dict and hands that to the class as ``**kwargs``.
That is what a body that does not fit needs, and almost none does. The function made
here builds the model in one call of its own ``__init__`` (attrs's: defaults, converters
and ``__attrs_post_init__`` run as they do under cattrs), each field read by the hook
cattrs would use. Hooks the converter names are written inline (a text field holding a
string calls nothing), and so is a null in a field whose hook gives None for it. When
the quick function raises, the converter runs cattrs's function instead, which says
what did not fit exactly as it always did.
"""

from __future__ import annotations

import linecache
from collections.abc import Callable, Mapping
from typing import Any

import attrs

__all__ = ["Build", "Hook", "make_build"]

#: A model from a JSON object and the object's unknown fields (its ``extra``).
Build = Callable[[Mapping[str, Any], dict[str, Any]], Any]
#: A converter hook: a value and the type to make of it.
Hook = Callable[[Any, Any], Any]

_PROBE = object()


def make_build(
    cls: type[Any], *, hook_of: Callable[[Any], Hook], inline: Mapping[Hook, str]
) -> Build | None:
    """The quick function for the attrs class ``cls``, or None where it cannot have one.

    ``hook_of(type)`` is the converter's hook for a field's type, and ``inline`` maps
    hooks to an expression of ``v`` (the field's value) to write in their place, where
    ``{hook}`` calls the hook itself and ``{type}`` names the field's type.
    """
    fields = [a for a in attrs.fields(attrs.resolve_types(cls)) if a.init]
    if any(a.type is None for a in fields):
        return None  # a field without a type: cattrs's own rules apply
    names: dict[str, Any] = {"cls": cls}
    lines, given, args = [], [], []  # given: the fields passed only when their key is there
    for n, a in enumerate(fields):
        if a.name == "extra":
            args.append(f"{a.alias}=extra")
            continue
        hook = hook_of(a.type)
        names[f"h{n}"], names[f"t{n}"] = hook, a.type
        value = inline.get(hook, "{hook}(v, {type})").format(hook=f"h{n}", type=f"t{n}")
        if a.type is Any and hook(_PROBE, Any) is _PROBE:
            value = "v"  # cattrs hands a value typed Any back as it is
        if a.default is attrs.NOTHING:  # required: a missing key fails, as under cattrs
            lines += [f"    v = o[{a.name!r}]", f"    f{n} = {value}"]
        elif a.default is None and _none_gives_none(hook, a.type):
            # Leaving the key out and sending null give the same field: None.
            if value != "v" and hook not in inline:
                value = f"None if v is None else {value}"
            lines += [f"    v = g({a.name!r})", f"    f{n} = {value}"]
        else:  # any other default stays unless the key is there
            given += [f"    if {a.name!r} in o:", f"        v = o[{a.name!r}]"]
            given += [f"        kw[{a.alias!r}] = {value}"]
            continue
        args.append(f"{a.alias}=f{n}")
    if given:
        lines += ["    kw = {}", *given]
        args.append("**kw")
    lines = [f"def structure_{cls.__name__}(o, extra):", "    g = o.get", *lines]
    lines.append(f"    return cls({', '.join(args)})")
    source = "\n".join(lines) + "\n"
    filename = f"<tavus_async structure {cls.__module__}.{cls.__qualname__}>"
    exec(compile(source, filename, "exec"), names)  # the source is the lines made above
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    build: Build = names[f"structure_{cls.__name__}"]
    return build


def _none_gives_none(hook: Hook, type_: Any) -> bool:
    """Whether a null is None for this field (an optional one), as its default is.

    The converter's hooks have no side effects for a null (a timestamp's logs only a
    value it cannot read), so asking costs nothing but the call.
    """
    try:
        return hook(None, type_) is None
    except Exception:
        return False
