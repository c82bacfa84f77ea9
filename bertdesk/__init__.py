"""bertdesk: label texts, fine-tune a BERT classifier, and test what it learned."""

__version__ = "0.1.0"
