"""What one part of the rules produces: lines, problems and notes, gathered in order."""

from __future__ import annotations

from dataclasses import dataclass, field

from server_stub.rules.model import Line, Problem, TravelMode


@dataclass
class Outcome:
    lines: list[Line] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # Personal vehicles that produced a kilometric line: they decide the supporting documents.
    vehicle_modes: set[TravelMode] = field(default_factory=set)

    def problem(self, path: str, message: str) -> None:
        self.problems.append(Problem(field=path, message=message))

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def merge(self, other: Outcome) -> None:
        self.lines.extend(other.lines)
        self.problems.extend(other.problems)
        for text in other.notes:
            self.note(text)
        self.vehicle_modes |= other.vehicle_modes
