"""Mon profil: residences, vehicle, disability and the financial file (IBAN, BIC, holder)."""
