"""The values every filter returns (re-exported by the package)."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    """A part of the original text (offsets into it, not into any normalised copy)."""
    start: int
    end: int
    kind: str   # "phone", "email", "address", "id_number", "dob", "name", "drug", "remedy", "change",
    #             "method", "profanity", "insult", "link"


@dataclass(frozen=True)
class FilterVerdict:
    filter: str
    labels: tuple[str, ...]
    actions: tuple[str, ...]
    spans: tuple[Span, ...]
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Decision:
    labels: tuple[str, ...]
    actions: frozenset[str]
    verdicts: tuple[FilterVerdict, ...]
    scores: dict | None = None     # the classifier's, per head, when it ran (community.moderation.judge)
    language: str = "en"
