"""Analysis of article text: rendered content, segmentation, topics."""
