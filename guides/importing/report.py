"""What an import did: which part of the article became which block or field,
what was guessed, and what an editor must look at."""

from dataclasses import dataclass, field

MAPPED = "mapped"  # placed as expected
GUESSED = "guessed"  # placed by a guess an editor should confirm
CHECK = "check"  # needs an editor: not placed, dropped, or invalid until fixed


@dataclass
class Line:
    kind: str
    text: str

    @property
    def needs_attention(self):
        return self.kind in (GUESSED, CHECK)


@dataclass
class ImportReport:
    file_name: str
    lines: list[Line] = field(default_factory=list)
    guide: object = None
    created: bool = False
    block_count: int = 0
    error: str = ""

    def mapped(self, text):
        self.lines.append(Line(MAPPED, text))

    def guessed(self, text):
        self.lines.append(Line(GUESSED, text))

    def check(self, text):
        self.lines.append(Line(CHECK, text))

    @property
    def to_check(self):
        return [line for line in self.lines if line.needs_attention]

    @property
    def ok(self):
        return not self.error and self.guide is not None

    def summary(self):
        if self.error:
            return f"failed: {self.error}"
        action = "created draft" if self.created else "updated draft"
        return (
            f"{action} '{self.guide.title}' (id {self.guide.pk}), "
            f"{self.block_count} blocks, {len(self.to_check)} to check"
        )

    def as_text(self):
        """The whole report, one line per finding, for the command's output."""
        labels = {MAPPED: "  ", GUESSED: "? ", CHECK: "! "}
        return "\n".join(f"    {labels[line.kind]}{line.text}" for line in self.lines)
