"""Versions of the tariff files added by administrators, merged with the packaged ones."""
