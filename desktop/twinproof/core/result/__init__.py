"""The typed analysis result: the model, its JSON codec and upgrades, the measurement
descriptors, the one judging rule, and the rows every reader shows."""

from twinproof.core.result.codec import DecodeError
from twinproof.core.result.descriptors import BY_PATH, DESCRIPTORS, Descriptor, descriptor
from twinproof.core.result.judge import breach, judge, limits_text
from twinproof.core.result.model import (
    SCHEMA_VERSION,
    AnalysisInfo,
    AnalysisResult,
    ImageInfo,
    PolicyInfo,
    RegistrationInfo,
)
from twinproof.core.result.rows import Row, Status, rows, unjoined
from twinproof.core.result.types import Box, Category, Direction, Flag, Mode, Severity, Unmeasured, Verdict, worst

__all__ = [
    "BY_PATH", "DESCRIPTORS", "SCHEMA_VERSION", "AnalysisInfo", "AnalysisResult", "Box", "Category",
    "DecodeError", "Descriptor", "Direction", "Flag", "ImageInfo", "Mode", "PolicyInfo", "RegistrationInfo",
    "Row", "Severity", "Status", "Unmeasured", "Verdict", "breach", "descriptor", "judge", "limits_text",
    "rows", "unjoined", "worst",
]
