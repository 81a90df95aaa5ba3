"""The template workbook: its layout, its summary description and its generator."""
