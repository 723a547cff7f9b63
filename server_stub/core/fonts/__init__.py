"""DejaVu Sans, regular and bold (LICENSE-DejaVu.txt), embedded in every PDF the server makes:
reportlab's Helvetica lacks the narrow no-break space Babel puts between thousands. The server
ships its own copy: it never imports the client."""
