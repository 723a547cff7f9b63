"""DejaVu fonts (LICENSE-DejaVu.txt) for the batch summary PDF: the server does not depend on
the client package for them."""
