"""Dataclasses to JSON values and back, driven by their type hints.

Hand-written on purpose rather than pydantic: the result model is plain frozen dataclasses,
the codec is a hundred lines with no import cost (the cold start of ``twinproof analyze`` is
budgeted) and its rules are the two the result needs: ``Unmeasured`` is written as
``{"value": null, "reason": …}``, and fields marked ``OMIT`` disappear when None. Decoding
checks every type and names the path of what is wrong; unknown keys are ignored, so a newer
writer's additions do not break an older reader.
"""

from __future__ import annotations

import dataclasses
import math
import types
import typing
from enum import Enum
from functools import cache
from typing import Any, TypeVar

import numpy as np

from twinproof.core.result.types import Unmeasured

T = TypeVar("T")
#: Field metadata: leave the key out of the JSON when the value is None.
OMIT: dict[str, bool] = {"omit_none": True}


class DecodeError(ValueError):
    """A stored result does not match the model; the message names where."""


class _NotANumber(Exception):
    """A NaN or infinity where the model wants a number; ``where``: its path below the value
    being encoded (``.value``, ``[2]``; "" for the value itself), as the decoder writes paths."""

    def __init__(self, where: str) -> None:
        super().__init__(where)
        self.where = where


def not_a_number(where: str) -> Unmeasured:
    """The honest record of a number the analysis produced as NaN (or infinity): not
    measured, saying which part (JSON has no NaN: it used to be written as a bare null, which
    the decoder then refused, losing the whole stored analysis)."""
    return Unmeasured(f"could not be measured: {where} came out as no number (NaN)")


def encode(obj: Any) -> Any:
    """A JSON-ready value (dicts, lists, str, int, float, bool, None). A NaN or infinity turns
    the nearest enclosing measurement that may be ``Unmeasured`` into one, with the reason
    (:func:`not_a_number`); a field that may be None becomes None; with neither (a flag, the
    registration) it is written as null, as before."""
    return _encode(obj, catchable=False)


def _encode(obj: Any, catchable: bool) -> Any:
    """``catchable``: an enclosing field may be ``Unmeasured``, so a NaN raises up to it."""
    if isinstance(obj, Unmeasured):
        missing: dict[str, Any] = {"value": None, "reason": obj.reason}
        return {**missing, "not_applicable": True} if obj.not_applicable else missing
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        out: dict[str, Any] = {}
        hints = _hints(type(obj))
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            allowed = _allowed(hints.get(f.name, Any))
            if _non_finite(value) and type(None) in allowed and Unmeasured not in allowed:
                value = None  # an optional number (``hue_change``): absent, as None says
            if value is None and f.metadata.get("omit_none"):
                continue
            try:
                out[f.name] = _encode(value, catchable or Unmeasured in allowed)
            except _NotANumber as exc:
                if Unmeasured not in allowed:
                    raise _NotANumber(f".{f.name}{exc.where}") from None
                out[f.name] = _encode(not_a_number(f"{f.name}{exc.where}"), catchable)
        return out
    if isinstance(obj, Enum):
        return obj.value
    if isinstance(obj, bool | str) or obj is None:
        return obj
    if isinstance(obj, int | np.integer):
        return int(obj)
    if isinstance(obj, float | np.floating):
        if math.isfinite(obj):
            return float(obj)
        if catchable:
            raise _NotANumber("")
        return None
    if isinstance(obj, dict):
        return {str(k): _item(v, f".{k}", catchable) for k, v in obj.items()}
    if isinstance(obj, list | tuple | np.ndarray):
        return [_item(v, f"[{i}]", catchable) for i, v in enumerate(obj)]
    raise TypeError(f"cannot encode {type(obj).__name__} in an analysis result")


def _item(value: Any, key: str, catchable: bool) -> Any:
    try:
        return _encode(value, catchable)
    except _NotANumber as exc:
        raise _NotANumber(f"{key}{exc.where}") from None


def _non_finite(value: Any) -> bool:
    return isinstance(value, float | np.floating) and not math.isfinite(value)


def _allowed(hint: Any) -> tuple[Any, ...]:
    """The types a field's hint allows (its members for a union)."""
    if typing.get_origin(hint) is typing.Union or isinstance(hint, types.UnionType):
        return typing.get_args(hint)
    return (hint,)


@cache
def _hints(cls: type) -> dict[str, Any]:
    try:
        return typing.get_type_hints(cls)
    except NameError:  # a writer's own dataclass with hints this module cannot resolve
        return {}


def decode(tp: type[T], data: Any, where: str = "$") -> T:
    """``data`` (parsed JSON) as an instance of ``tp``; DecodeError names the first mismatch."""
    return typing.cast(T, _decode(tp, data, where))


def _decode(tp: Any, data: Any, where: str) -> Any:
    if tp is Any:
        return data
    origin = typing.get_origin(tp)
    if origin is typing.Union or isinstance(tp, types.UnionType):
        return _union(typing.get_args(tp), data, where)
    if tp is Unmeasured:
        if isinstance(data, dict) and data.get("value", 0) is None and isinstance(data.get("reason"), str):
            return Unmeasured(data["reason"], data.get("not_applicable") is True)
        raise DecodeError(f"{where}: expected {{value: null, reason}}, got {_short(data)}")
    if dataclasses.is_dataclass(tp):
        return _dataclass(tp, data, where)
    if origin in (list, tuple):
        if not isinstance(data, list | tuple):
            raise DecodeError(f"{where}: expected a list, got {_short(data)}")
        args = typing.get_args(tp)
        if origin is tuple and args and args[-1] is not Ellipsis:
            if len(args) != len(data):
                raise DecodeError(f"{where}: expected {len(args)} items, got {len(data)}")
            return tuple(_decode(a, v, f"{where}[{i}]") for i, (a, v) in enumerate(zip(args, data, strict=True)))
        item = args[0] if args else Any
        seq = [_decode(item, v, f"{where}[{i}]") for i, v in enumerate(data)]
        return tuple(seq) if origin is tuple else seq
    if origin is dict:
        if not isinstance(data, dict):
            raise DecodeError(f"{where}: expected an object, got {_short(data)}")
        _key, value_type = typing.get_args(tp) or (str, Any)
        return {str(k): _decode(value_type, v, f"{where}.{k}") for k, v in data.items()}
    if isinstance(tp, type) and issubclass(tp, Enum):
        try:
            return tp(data)
        except ValueError:
            raise DecodeError(f"{where}: {_short(data)} is not one of {[e.value for e in tp]}") from None
    return _scalar(tp, data, where)


def _union(args: tuple[Any, ...], data: Any, where: str) -> Any:
    if data is None and type(None) in args:
        return None
    if Unmeasured in args and isinstance(data, dict) and data.get("value", 0) is None and "reason" in data:
        return _decode(Unmeasured, data, where)
    candidates = [a for a in args if a is not type(None) and a is not Unmeasured]
    errors: list[DecodeError] = []
    for candidate in candidates:
        try:
            return _decode(candidate, data, where)
        except DecodeError as exc:
            errors.append(exc)
    if not errors:
        raise DecodeError(f"{where}: {_short(data)} matches none of its types")
    if Unmeasured in args:  # a NaN an earlier release wrote as a bare null: not measured
        null = next((e for e in errors if isinstance(e, _NullNumber)), None)
        if null is not None:
            inside = null.where[len(where):] if null.where.startswith(where) else ""
            return not_a_number(where.rsplit(".", 1)[-1] + inside)
    # the candidate that got furthest into the data names the real problem
    raise max(errors, key=lambda e: len(str(e).split(":", 1)[0]))


def _dataclass(tp: Any, data: Any, where: str) -> Any:
    if not isinstance(data, dict):
        raise DecodeError(f"{where}: expected an object, got {_short(data)}")
    hints = _hints(tp)
    kwargs = {}
    for f in dataclasses.fields(tp):
        if f.name in data:
            kwargs[f.name] = _decode(hints[f.name], data[f.name], f"{where}.{f.name}")
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            if type(None) in typing.get_args(hints[f.name]):
                kwargs[f.name] = None
            else:
                raise DecodeError(f"{where}: {f.name} is missing")
    return tp(**kwargs)


class _NullNumber(DecodeError):
    """A null where a number belongs: how a NaN was written before it became Unmeasured."""

    def __init__(self, where: str) -> None:
        super().__init__(f"{where}: expected a number, got None (a NaN the analysis produced)")
        self.where = where


def _scalar(tp: Any, data: Any, where: str) -> Any:
    if tp is float:
        if isinstance(data, int | float) and not isinstance(data, bool) and math.isfinite(data):
            return float(data)
        if data is None:
            raise _NullNumber(where)
        raise DecodeError(f"{where}: expected a number, got {_short(data)}")
    if tp is int:
        if isinstance(data, int) and not isinstance(data, bool):
            return data
        raise DecodeError(f"{where}: expected a whole number, got {_short(data)}")
    if tp is bool or tp is str:
        if isinstance(data, tp):
            return data
        raise DecodeError(f"{where}: expected {'true/false' if tp is bool else 'text'}, got {_short(data)}")
    raise DecodeError(f"{where}: cannot read a value of type {tp}")


def _short(data: Any) -> str:
    text = repr(data)
    return text if len(text) <= 60 else text[:57] + "..."
