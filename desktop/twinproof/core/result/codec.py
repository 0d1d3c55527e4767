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


def encode(obj: Any) -> Any:
    """A JSON-ready value (dicts, lists, str, int, float, bool, None); NaN/inf become None."""
    if isinstance(obj, Unmeasured):
        missing: dict[str, Any] = {"value": None, "reason": obj.reason}
        return {**missing, "not_applicable": True} if obj.not_applicable else missing
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        out: dict[str, Any] = {}
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            if value is None and f.metadata.get("omit_none"):
                continue
            out[f.name] = encode(value)
        return out
    if isinstance(obj, Enum):
        return obj.value
    if isinstance(obj, bool | str) or obj is None:
        return obj
    if isinstance(obj, int | np.integer):
        return int(obj)
    if isinstance(obj, float | np.floating):
        return float(obj) if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {str(k): encode(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple | np.ndarray):
        return [encode(v) for v in obj]
    raise TypeError(f"cannot encode {type(obj).__name__} in an analysis result")


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


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
    errors = []
    for candidate in candidates:
        try:
            return _decode(candidate, data, where)
        except DecodeError as exc:
            errors.append(str(exc))
    raise DecodeError(errors[0] if len(errors) == 1 else f"{where}: {_short(data)} matches none of its types")


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


def _scalar(tp: Any, data: Any, where: str) -> Any:
    if tp is float:
        if isinstance(data, int | float) and not isinstance(data, bool) and math.isfinite(data):
            return float(data)
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
