"""Every failure the user can meet, turned into one French sentence: what happened, what to do.

The server already words its refusals in French (`detail`); this is the one place that decides
what the client shows for each error type, including the ones the server never sees.
"""

from __future__ import annotations

import httpx
from PySide6.QtCore import QCoreApplication

from client.api import errors

_tr = QCoreApplication.translate


def message_for(error: BaseException) -> str:
    if isinstance(error, errors.ServerUnreachable):
        return _tr(
            "errors",
            "Le serveur IMAG'IN est injoignable. Vérifiez votre connexion : votre saisie est "
            "conservée sur ce poste et sera enregistrée dès le retour du réseau.",
        )
    if isinstance(error, errors.SessionExpired):
        return _tr("errors", "Votre session a expiré. Reconnectez-vous pour continuer.")
    if isinstance(error, errors.ServerUnavailable):
        return error.detail
    if isinstance(error, errors.ServerError):
        return _tr(
            "errors",
            "Le serveur a rencontré une erreur inattendue. Réessayez dans quelques instants ; "
            "si le problème persiste, contactez l'assistance de la DEC.",
        )
    if isinstance(error, errors.ApiError):
        return error.detail
    if isinstance(error, httpx.HTTPError):
        return _tr("errors", "La communication avec le serveur a échoué. Réessayez.")
    if isinstance(error, OSError):
        return _tr("errors", "Le fichier n'a pas pu être écrit : {0}").format(
            error.strerror or error
        )
    return _tr(
        "errors",
        "Une erreur inattendue est survenue. Elle a été consignée dans le journal de "
        "l'application.",
    )


def field_messages(error: BaseException) -> dict[str, str]:
    """Messages to show beside fields (dotted paths, as the server names them)."""
    if isinstance(error, errors.ApiError):
        return dict(error.fields)
    return {}
