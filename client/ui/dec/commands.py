"""The DEC's actions on statements, declared once.

Each `Command` says everything the screens show of an action: the toolbar button and its
mnemonic, the tooltip, the keyboard shortcuts (one letter while the list has the focus, and
Ctrl combinations), its words in the help line, its button on the statement's detail pane and
the flag of the statement's `actions` that allows it there. The workstation and the detail
pane derive their buttons, tooltips, shortcuts and help from this list: a new action, or a new
key, is written here only.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeySequence

from client.api.dec_models import DecActions

_tr = QCoreApplication.translate

CTRL, SHIFT = Qt.Modifier.CTRL, Qt.Modifier.SHIFT


@dataclass(frozen=True)
class Command:
    key: str
    text: str  # the toolbar button, with its mnemonic
    tip: str  # what it does (the tooltip, followed by its keys)
    slot: str  # the workstation's method that carries it out
    letter: str = ""  # one key while the list has the focus
    shortcuts: tuple[QKeySequence, ...] = ()
    help: str = ""  # its words in the help line; empty: not there
    detail: str = ""  # its button on the detail pane; empty: not there
    allowed: str = ""  # the `DecActions` flag allowing it on the statement shown
    rare: bool = False  # after the space in the toolbar

    def key_names(self) -> list[str]:
        """Its keys as the French keyboard names them, the letter first."""
        combos = [french_keys(s) for s in self.shortcuts]
        return list(dict.fromkeys([self.letter, *combos] if self.letter else combos))

    def tooltip(self) -> str:
        keys = ", ".join(self.key_names())
        return f"{self.tip} ({keys})" if keys else self.tip

    def allowed_by(self, actions: DecActions) -> bool:
        return bool(self.allowed) and bool(getattr(actions, self.allowed))


_KEY_NAMES = {
    "Ctrl": "Ctrl",
    "Shift": "Maj",
    "Return": "Entrée",
    "Enter": "Entrée",
    "Del": "Suppr",
    "Delete": "Suppr",
    "Up": "↑",
    "Down": "↓",
}


def french_keys(sequence: QKeySequence) -> str:
    """`Ctrl+Shift+C` → `Ctrl+Maj+C`, whatever translations Qt has loaded."""
    portable = sequence.toString(QKeySequence.SequenceFormat.PortableText)
    return "+".join(_KEY_NAMES.get(part, part) for part in portable.split("+"))


def commands() -> tuple[Command, ...]:
    return (
        Command(
            "approve",
            _tr("dec", "&Valider"),
            _tr("dec", "Valider la sélection"),
            "on_approve",
            letter="V",
            shortcuts=(
                QKeySequence(CTRL | Qt.Key.Key_Return),
                QKeySequence(CTRL | Qt.Key.Key_Enter),
            ),
            help=_tr("dec", "valider"),
            detail=_tr("dec", "Valider"),
            allowed="approve",
        ),
        Command(
            "return",
            _tr("dec", "Ren&voyer…"),
            _tr("dec", "Renvoyer la sélection à l'intervenant avec un motif"),
            "on_return",
            letter="R",
            shortcuts=(QKeySequence(CTRL | Qt.Key.Key_R),),
            help=_tr("dec", "renvoyer"),
            detail=_tr("dec", "Renvoyer"),
            allowed="return_",
        ),
        Command(
            "correct",
            _tr("dec", "&Corriger…"),
            _tr("dec", "Corriger le décompte (commentaire obligatoire)"),
            "on_correct",
            letter="C",
            shortcuts=(QKeySequence(CTRL | SHIFT | Qt.Key.Key_C),),
            help=_tr("dec", "corriger"),
            detail=_tr("dec", "Corriger…"),
            allowed="correct",
        ),
        Command(
            "indemnity",
            _tr("dec", "&Indemnité…"),
            _tr("dec", "Saisir l'indemnité (surveillance, sujets, délibération)"),
            "on_indemnity",
            letter="I",
            shortcuts=(QKeySequence(CTRL | Qt.Key.Key_I),),
            help=_tr("dec", "indemnité"),
            detail=_tr("dec", "Saisir l'indemnité…"),
            allowed="enter_indemnity",
        ),
        Command(
            "service_done",
            _tr("dec", "Service &fait…"),
            _tr("dec", "Constater le service fait des missions sélectionnées"),
            "on_service_done",
            letter="S",
            shortcuts=(QKeySequence(CTRL | Qt.Key.Key_D),),
            help=_tr("dec", "service fait"),
        ),
        Command(
            "cancel",
            _tr("dec", "A&nnuler…"),
            _tr("dec", "Annuler la sélection avec un motif"),
            "on_cancel",
            shortcuts=(QKeySequence(CTRL | Qt.Key.Key_Delete),),
            detail=_tr("dec", "Annuler le dossier…"),
            allowed="cancel",
            rare=True,
        ),
        Command(
            "uncancel",
            _tr("dec", "Ré&tablir…"),
            _tr("dec", "Rétablir les états de frais annulés"),
            "on_uncancel",
            detail=_tr("dec", "Rétablir…"),
            allowed="uncancel",
            rare=True,
        ),
        Command(
            "export",
            _tr("dec", "E&xporter…"),
            _tr("dec", "Exporter la liste filtrée en CSV"),
            "on_export",
            shortcuts=(QKeySequence(CTRL | Qt.Key.Key_E),),
            help=_tr("dec", "exporter"),
            rare=True,
        ),
    )


def help_line(listed: tuple[Command, ...]) -> str:
    """The shortcuts line under the list: each command's first keys, then moving around."""
    parts = [
        f"{' ou '.join(c.key_names()[:2])} {c.help}" for c in listed if c.help and c.key_names()
    ]
    parts += [
        _tr("dec", "J/K ou Ctrl+↓/↑ suivant/précédent"),
        _tr("dec", "Maj/Ctrl+clic ou Ctrl+A sélection multiple"),
        _tr("dec", "Ctrl+F rechercher"),
        _tr("dec", "F5 actualiser"),
    ]
    return _tr("dec", "Raccourcis : {0}").format(" · ".join(parts))
