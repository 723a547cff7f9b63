"""Names, streets, employers and reasons the demonstration data draws from.

Invented people and organisations: any likeness to a real person is a coincidence. Communes are
real (the packaged directory); lycées bear the kind of names French lycées bear.
"""

from __future__ import annotations

FIRST_NAMES = (
    "Élodie", "Nathalie", "Sophie", "Isabelle", "Céline", "Sandrine", "Valérie", "Stéphanie",
    "Aurélie", "Émilie", "Julie", "Camille", "Laure", "Claire", "Anne", "Marie", "Hélène",
    "Virginie", "Delphine", "Caroline", "Christelle", "Karine", "Magali", "Amandine", "Audrey",
    "Pauline", "Mélanie", "Laetitia", "Agnès", "Béatrice", "Françoise", "Martine", "Sylvie",
    "Chloé", "Manon", "Léa", "Inès", "Sarah", "Yasmina", "Fatima", "Nadia", "Samia", "Gaëlle",
    "Maëlle", "Anaïs", "Solène", "Noémie", "Océane", "Marion", "Justine",
    "Thomas", "Nicolas", "Julien", "Sébastien", "Guillaume", "Christophe", "Stéphane", "Frédéric",
    "Laurent", "Olivier", "Philippe", "Pascal", "Thierry", "Éric", "David", "Jérôme", "Cédric",
    "Fabrice", "Franck", "Grégory", "Arnaud", "Benoît", "Vincent", "Xavier", "Yannick", "Hervé",
    "Didier", "Patrick", "Bruno", "Alain", "Jean-Marc", "Jean-François", "Pierre-Yves", "Loïc",
    "Maxime", "Kévin", "Romain", "Antoine", "Hugo", "Lucas", "Mehdi", "Karim", "Rachid", "Youssef",
    "Mamadou", "François", "Jérémy", "Anthony", "Mickaël", "Gaël",
)  # fmt: skip

LAST_NAMES = (
    "Lefebvre", "Leroy", "Dufour", "Caron", "Dubois", "Lemaire", "Lambert", "Fournier", "Petit",
    "Leclercq", "Martin", "Bernard", "Thomas", "Robert", "Richard", "Durand", "Moreau", "Laurent",
    "Simon", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Morel", "Girard",
    "André", "Mercier", "Dupont", "Bonnet", "François", "Legrand", "Garnier", "Faure", "Rousseau",
    "Blanc", "Guérin", "Muller", "Henry", "Roussel", "Nicolas", "Perrin", "Morin", "Mathieu",
    "Clément", "Gauthier", "Dumont", "Lopez", "Fontaine", "Chevalier", "Robin", "Masson",
    "Sanchez", "Gérard", "Nguyen", "Boyer", "Denis", "Lemoine", "Duval", "Joly", "Gaillard",
    "Leblanc", "Brunet", "Lecomte", "Hénon", "Dewailly", "Delattre", "Devaux", "Boulanger",
    "Vasseur", "Lecointe", "Poiret", "Delahaye", "Carpentier", "Dessaint", "Bocquet", "Watel",
    "Hautecoeur", "Levasseur", "Queste", "Mortier", "Bouchez", "Dupuis", "Deneux", "Lenglet",
    "Cordier", "Delcourt", "Flament", "Vandenberghe", "Debeauvais", "Tellier", "Sueur",
    "Leullier", "Obry", "Prévost", "Trouillet", "Lefèvre", "Caudron", "Duchâteau", "Benali",
    "Belkacem", "Haddad", "Diallo", "Traoré", "Da Silva", "Pereira", "Ferreira", "Kowalski",
    "Nowak", "Schmitt", "Le Gall", "Le Roux", "Saint-Amand", "De Oliveira", "Dupont-Martin",
    "Hamel", "Letellier", "Delaporte", "Courtois", "Marchand", "Barbier", "Renaud", "Collet",
    "Guillot", "Huet", "Lebrun", "Cousin", "Maillard", "Roger", "Picard", "Lemaître", "Vérité",
)  # fmt: skip

# Namesakes of lycées professionnels, and the words before them.
LYCEE_NAMESAKES = (
    "Jean Moulin", "Édouard Branly", "Jules Verne", "Marie Curie", "Jean Jaurès", "Victor Hugo",
    "Paul Langevin", "Condorcet", "Jacques Prévert", "Léonard de Vinci", "Pierre Mendès France",
    "Romain Rolland", "Alfred Manessier", "Jean Racine", "Louise Michel", "Simone Veil",
    "Gustave Eiffel", "Jean de La Fontaine", "Alexandre Dumas", "Camille Claudel",
    "Pierre de Coubertin", "Antoine de Saint-Exupéry", "Robert Desnos", "Lavoisier",
    "Gay-Lussac", "Frédéric et Irène Joliot-Curie", "Jean Rostand", "Philéas Lebesgue",
    "Arthur Rimbaud", "Marcel Pagnol", "Jean Monnet", "Charles de Foucauld", "Amédée Ozenfant",
    "Jean-Baptiste Delambre", "Hector Malot", "Henri Matisse", "Auguste Perret",
    "Madeleine Michelis",
    "Lamarck", "Boucher de Perthes", "Paul Doumer", "Marie Laurencin", "Olympe de Gouges",
    "Aristide Briand", "Jean Macé", "Sophie Germain", "Hélène Boucher", "Jean Calvin",
    "Flora Tristan", "Georges Brassens",
)  # fmt: skip
LYCEE_KINDS = (
    "Lycée professionnel",
    "Lycée professionnel",
    "Lycée des métiers",
    "Lycée polyvalent",
)

STREETS = (
    "rue Jules Ferry", "avenue du Général de Gaulle", "rue Victor Hugo", "boulevard de Strasbourg",
    "rue de la République", "rue Jean Jaurès", "rue Pasteur", "rue du 8 Mai 1945",
    "avenue de la Libération", "rue Gambetta", "rue des Écoles", "chemin des Vignes",
    "rue du Moulin", "rue de la Gare", "allée des Tilleuls", "rue Saint-Fuscien",
    "rue Anatole France", "boulevard Carnot", "rue du Maréchal Foch", "rue Roger Salengro",
    "avenue de l'Europe", "rue Georges Clemenceau", "place de l'Hôtel de Ville", "rue du Château",
)  # fmt: skip

TRAINING_ORGANISATIONS = (
    "Institut de formation Picardie Compétences",
    "École privée Sainte-Colette (hors contrat)",
    "Centre de formation Avenir Métiers",
    "Cours privé Hauts-de-France Formation",
    "Institut des métiers de la coiffure",
    "École de commerce et de gestion privée",
    "Centre privé d'enseignement technique",
)

EMPLOYERS = (
    "Enedis, agence d'exploitation",
    "Garage des Trois Vallées",
    "Boulangerie-pâtisserie du Beffroi",
    "Cabinet d'expertise comptable Duval et associés",
    "Crèche multi-accueil Les Petits Pas",
    "Hôtel-restaurant Le Relais de la Somme",
    "Menuiserie Agencement Picard",
    "Carrefour Market",
    "Établissement d'hébergement pour personnes âgées dépendantes Les Hortensias",
    "Salon de coiffure L'Atelier",
    "Maintenance industrielle Oise Services",
    "Électricité générale Vasseur",
    "Centre hospitalier, service logistique",
    "Société de transports Picardie Logistique",
)

# Académies next to Amiens: (INSEE of the commune of the school, the school, its académie).
OTHER_ACADEMY_SCHOOLS = (
    ("59350", "Lycée professionnel Louis Pasteur, Lille", "Lille"),
    ("62041", "Lycée des métiers Jacques Le Caron, Arras", "Lille"),
    ("51454", "Lycée professionnel Gustave Eiffel, Reims", "Reims"),
    ("08105", "Lycée professionnel Armand Malaise, Charleville-Mézières", "Reims"),
    ("76540", "Lycée professionnel Colbert, Rouen", "Normandie"),
    ("95127", "Lycée professionnel Jean Perrin, Cergy", "Versailles"),
    ("77284", "Lycée professionnel Charles Baudelaire, Meaux", "Créteil"),
)

RETURN_REASONS = (
    "Le nombre de copies déclaré dépasse le lot qui vous a été remis : merci de le vérifier.",
    "Billet de train manquant : joignez le justificatif puis validez à nouveau.",
    "Le kilométrage déclaré paraît élevé pour ce trajet : merci de le vérifier.",
    "Le nombre de candidats interrogés ne correspond pas au procès-verbal du centre.",
    "Facture d'hôtel illisible : déposez une copie lisible.",
)
NOT_PERFORMED_REASONS = (
    "Arrêt maladie.",
    "Empêchement familial, prévenu la DEC par courriel.",
    "Remplacé par un collègue à la demande du centre.",
    None,
)
CANCEL_REASONS = (
    "Mission annulée : candidats regroupés sur un autre centre.",
    "Convocation émise par erreur.",
    "Lot de copies réaffecté à un autre correcteur.",
)

MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
    "octobre", "novembre", "décembre",
)  # fmt: skip
