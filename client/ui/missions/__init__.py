""" "Saisie états de frais mission": the intervenant's missions, their detail and recaps."""
