"""PDF assembly: cover sheet, index, merge, outline, stamps, links, embedded originals."""
